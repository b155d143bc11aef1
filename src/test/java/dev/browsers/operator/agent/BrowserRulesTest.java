package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the agent answers to the requests and challenges its browser-wide interception pauses. */
class BrowserRulesTest {
    private static final BrowserRules ADS =
            BrowserRules.fromEnvironment(Map.of("AGENT_BLOCK_ADS", "true"), List.of("file:*"));
    private static final BrowserRules PROXY = BrowserRules.fromEnvironment(
            Map.of(
                    "AGENT_PROXY_SERVER", "http://proxy.example:3128",
                    "AGENT_PROXY_USERNAME", "alice",
                    "AGENT_PROXY_PASSWORD", "s3cret"),
            List.of());

    static JsonObject paused(String url) {
        return new JsonObject().put("requestId", "r1").put("request", new JsonObject().put("url", url));
    }

    @ParameterizedTest
    @CsvSource({
        "http://doubleclick.net/ad.js, true",
        "https://securepubads.g.doubleclick.net/tag/js/gpt.js, true",
        "http://ads.doubleclick.net:8080/x, true",
        "https://www.google-analytics.com/analytics.js, true",
        "file:///etc/passwd, true",
        "https://example.com/?next=http://doubleclick.net/, false",
        "https://notdoubleclick.net/, false",
        "https://example.com/, false",
    })
    void blocksListedHostsAndTheirSubdomainsOnly(String url, boolean blocked) {
        BrowserRules.Command answer = ADS.answerPaused(paused(url));
        assertThat(answer.method()).isEqualTo(blocked ? "Fetch.failRequest" : "Fetch.continueRequest");
        assertThat(answer.params().getString("requestId")).isEqualTo("r1");
        if (blocked) {
            assertThat(answer.params().getString("errorReason")).isEqualTo("BlockedByClient");
        }
    }

    @Test
    void withoutCredentialsOnlyBlockedPatternsArePaused() {
        JsonObject enable = ADS.fetchEnable();
        assertThat(enable.getBoolean("handleAuthRequests")).isFalse();
        assertThat(enable.getJsonArray("patterns").stream().map(p -> ((JsonObject) p).getString("urlPattern")))
                .contains("file:*", "*://*.doubleclick.net/*", "*://doubleclick.net:*")
                .doesNotContain("*");
        assertThat(BrowserRules.NONE.intercepts()).isFalse();
    }

    @Test
    void proxyChallengesGetTheCredentialsAndOthersTheBrowsersOwnAnswer() {
        JsonObject enable = PROXY.fetchEnable();
        assertThat(enable.getBoolean("handleAuthRequests")).isTrue();
        assertThat(enable.getJsonArray("patterns")).hasSize(1);
        assertThat(PROXY.answerPaused(paused("https://example.com/")).method()).isEqualTo("Fetch.continueRequest");

        BrowserRules.Command proxy = PROXY.answerAuth(
                new JsonObject().put("requestId", "r2").put("authChallenge", new JsonObject().put("source", "Proxy")));
        assertThat(proxy.method()).isEqualTo("Fetch.continueWithAuth");
        assertThat(proxy.params().getJsonObject("authChallengeResponse").getMap())
                .containsEntry("response", "ProvideCredentials")
                .containsEntry("username", "alice")
                .containsEntry("password", "s3cret");

        BrowserRules.Command server = PROXY.answerAuth(
                new JsonObject().put("requestId", "r3").put("authChallenge", new JsonObject().put("source", "Server")));
        assertThat(server.params().getJsonObject("authChallengeResponse").getMap())
                .containsOnly(Map.entry("response", "Default"));
    }

    @Test
    void aProxyAddressWithCredentialsIsRefused() {
        assertThatThrownBy(() -> BrowserRules.fromEnvironment(
                        Map.of("AGENT_PROXY_SERVER", "http://alice:s3cret@proxy.example:3128"), List.of()))
                .hasMessage("AGENT_PROXY_SERVER must be scheme://host:port")
                .hasMessageNotContaining("s3cret");
    }
}
