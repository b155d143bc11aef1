package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.TestProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's browser rules as in a session pod: over a browser-level WebSocket of its own to Chromium's port, it
 * blocks the ad blocklist and answers the proxy's challenges, for pages its clients open.
 */
class AgentBrowserRulesIT {
    private static final String TOKEN = "t0ken";

    private Vertx vertx;
    private TestProxy proxy;
    private ChromiumOnPort chromium;
    private SessionAgent agent;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        proxy = TestProxy.withCredentials(vertx, "bob", "pod-pa55");
        chromium = ChromiumOnPort.start(List.of("--proxy-server=" + proxy.server()));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            result(agent.stop());
        }
        chromium.close();
        proxy.close();
        result(vertx.close());
    }

    @Test
    void blocksAdsAndAnswersTheProxyForEveryClientsPages() throws Exception {
        BrowserRules rules = BrowserRules.fromEnvironment(
                Map.of(
                        "AGENT_BLOCK_ADS", "true",
                        "AGENT_PROXY_SERVER", proxy.server(),
                        "AGENT_PROXY_USERNAME", "bob",
                        "AGENT_PROXY_PASSWORD", "pod-pa55"),
                List.of());
        agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN), rules);
        int port = result(agent.start());
        result(rules.checkProxy(vertx));
        // The readiness probe puts the rules in place before the session counts as ready.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> agent.browserReady()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .handle((ok, e) -> e == null)
                        .get());

        try (CdpClient cdp = CdpClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN), Map.of())) {
            String page = CdpPages.open(cdp);
            assertThat(CdpPages.navigate(cdp, page, TestProxy.siteUrl())).isNull();
            assertThat(CdpPages.text(cdp, page)).startsWith(TestProxy.siteUrl());
            assertThat(CdpPages.navigate(cdp, page, TestProxy.AD_URL)).isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
        }
        assertThat(proxy.challenged()).contains(TestProxy.siteUrl());
        assertThat(proxy.served()).contains(TestProxy.siteUrl()).noneMatch(url -> url.contains("doubleclick"));
    }

    @Test
    void withoutTheAgentsAnswerTheProxyRefusesThePage() throws Exception {
        agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN));
        int port = result(agent.start());
        result(agent.browserReady());

        try (CdpClient cdp = CdpClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN), Map.of())) {
            String page = CdpPages.open(cdp);
            CdpPages.navigate(cdp, page, TestProxy.siteUrl());
            assertThat(CdpPages.text(cdp, page)).doesNotContain(TestProxy.TITLE);
        }
        assertThat(proxy.served()).isEmpty();
        assertThat(proxy.challenged()).isNotEmpty();
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
