package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestProxy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session's browser options, honoured by a real Chromium behind the real agent in local mode: window size, user
 * agent, the ad blocklist, and a proxy that demands credentials, which come from a Secret and appear nowhere else.
 */
@QuarkusTest
@TestProfile(LocalModeProfile.class)
class SessionOptionsIT {
    static final String NS = "default";
    static final AtomicInteger NAMES = new AtomicInteger();
    static final String USER_AGENT = "OptionsBot/2.0 (+https://example.com/bot)";
    static final String PASSWORD = "proxy-pa55word";

    static Vertx vertx;

    @Inject
    KubernetesClient client;

    @Inject
    LocalMode localMode;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @Test
    void windowSizeAndUserAgentAreWhatThePageSees() throws Exception {
        try (TestProxy proxy = TestProxy.open(vertx)) {
            Sessions sessions = new Sessions(client, NS);
            String name = create(
                    sessions,
                    new BrowserSessionSpec()
                            .withDimensions(new Dimensions(1234, 567))
                            .withUserAgent(USER_AGENT)
                            .withProxy(new SessionProxy(proxy.server(), null)));
            sessions.awaitPhase(name, Phase.Live, LocalModeIT.LOCAL_WAIT);
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
                String page = CdpPages.open(cdp);
                assertThat(evaluate(cdp, page, "[innerWidth, innerHeight, navigator.userAgent].join('|')"))
                        .isEqualTo("1234|567|" + USER_AGENT);
                assertThat(CdpPages.navigate(cdp, page, TestProxy.siteUrl())).isNull();
                // The header every request sends, as the server saw it.
                assertThat(CdpPages.text(cdp, page)).contains(USER_AGENT);
            }
        }
    }

    @Test
    void trafficGoesThroughTheProxyWithTheSecretsCredentialsAndAdsAreBlocked() throws Exception {
        try (TestProxy proxy = TestProxy.withCredentials(vertx, "alice", PASSWORD)) {
            Sessions sessions = new Sessions(client, NS);
            client.secrets()
                    .inNamespace(NS)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("proxy-login")
                            .endMetadata()
                            .withType("kubernetes.io/basic-auth")
                            // The mock API store keeps stringData as it is; a real one moves it to data.
                            .withData(Map.of("username", base64("alice"), "password", base64(PASSWORD)))
                            .build())
                    .create();
            String name = create(
                    sessions,
                    new BrowserSessionSpec()
                            .withBlockAds(true)
                            .withProxy(new SessionProxy(proxy.server(), new SecretReference("proxy-login"))));
            BrowserSessionStatus live = sessions.awaitPhase(name, Phase.Live, LocalModeIT.LOCAL_WAIT);
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
                String page = CdpPages.open(cdp);
                assertThat(CdpPages.navigate(cdp, page, TestProxy.siteUrl())).isNull();
                assertThat(CdpPages.text(cdp, page)).startsWith(TestProxy.siteUrl());
                assertThat(CdpPages.navigate(cdp, page, TestProxy.AD_URL)).isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
            }
            assertThat(proxy.challenged()).contains(TestProxy.siteUrl());
            assertThat(proxy.served()).contains(TestProxy.siteUrl()).noneMatch(url -> url.contains("doubleclick"));

            long pid = localMode
                    .runtime()
                    .orElseThrow()
                    .browserPid(NS, name + "-browser")
                    .orElseThrow();
            String commandLine =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertThat(commandLine).contains("--proxy-server=" + proxy.server()).doesNotContain(PASSWORD);
            assertThat(live.toString()).doesNotContain(PASSWORD);
            assertThat(sessions.events(name))
                    .extracting(Event::getMessage)
                    .noneMatch(m -> m != null && m.contains(PASSWORD));
        }
    }

    @Test
    void withoutBlockAdsThePagesAdGoesOut() throws Exception {
        try (TestProxy proxy = TestProxy.open(vertx)) {
            Sessions sessions = new Sessions(client, NS);
            String name = create(sessions, new BrowserSessionSpec().withProxy(new SessionProxy(proxy.server(), null)));
            sessions.awaitPhase(name, Phase.Live, LocalModeIT.LOCAL_WAIT);
            try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
                String page = CdpPages.open(cdp);
                assertThat(CdpPages.navigate(cdp, page, TestProxy.siteUrl())).isNull();
                CdpPages.text(cdp, page);
            }
            assertThat(proxy.served()).contains(TestProxy.siteUrl(), TestProxy.AD_URL);
        }
    }

    @Test
    void aProxyThatDoesNotAnswerFailsTheStartSayingSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Sessions sessions = new Sessions(client, NS);
        String name = create(
                sessions, new BrowserSessionSpec().withProxy(new SessionProxy("http://127.0.0.1:" + closedPort, null)));
        BrowserSessionStatus failed = sessions.awaitPhase(name, Phase.Failed, LocalModeIT.LOCAL_WAIT);
        assertThat(failed.getMessage()).contains("proxy 127.0.0.1:" + closedPort + " does not accept connections");
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String evaluate(CdpClient cdp, String session, String expression) throws Exception {
        return cdp.call(
                        "Runtime.evaluate",
                        new JsonObject().put("expression", expression).put("returnByValue", true),
                        session)
                .getJsonObject("result")
                .getString("value");
    }

    static String create(Sessions sessions, BrowserSessionSpec spec) {
        String name = "options-" + NAMES.incrementAndGet();
        sessions.create(name, spec.withTimeout("2m"));
        return name;
    }
}
