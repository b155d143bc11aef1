package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.dependent.ConnectionSecretDependent;
import dev.browsers.operator.lifecycle.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.TestPages;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end in local mode: the real operator, the embedded API store, real Chromium behind the real agent,
 * driven by a real CDP client.
 */
@QuarkusTest
@TestProfile(LocalModeProfile.class)
class LocalModeIT {
    static final String NS = "default";
    static final AtomicInteger NAMES = new AtomicInteger();
    static TestPages pages;

    @Inject
    KubernetesClient client;
    @Inject
    LocalMode localMode;

    @BeforeAll
    static void servePages() throws Exception {
        pages = new TestPages();
    }

    @AfterAll
    static void stopPages() {
        pages.close();
    }

    @Test
    void sessionGoesLiveServesCdpAndIsReleasedAtItsTimeoutWithTheBrowserGone() throws Exception {
        String name = create(new BrowserSessionSpec().withTimeout("5s"));
        BrowserSessionStatus live = awaitPhase(name, Phase.Live);
        long pid = browserPid(name);
        int hitsBefore = pages.hits();
        try (CdpClient cdp = CdpClient.connect(URI.create(connectionUrl(name)), Map.of())) {
            assertThat(loadAndReadTitle(cdp, pages.url())).isEqualTo(TestPages.TITLE);
        }
        assertThat(pages.hits()).isGreaterThan(hitsBefore);

        BrowserSessionStatus released = awaitPhase(name, Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.Timeout);
        assertThat(released.getExpiresAt()).isEqualTo(live.getExpiresAt());
        assertThat(lateness(released.getExpiresAt(), released.getFinishedTime())).isLessThan(Duration.ofSeconds(1));
        awaitGone(pid);
    }

    @Test
    void releasedOnRequestEndsTheBrowser() {
        String name = create(new BrowserSessionSpec().withTimeout("10m"));
        awaitPhase(name, Phase.Live);
        long pid = browserPid(name);
        client.resources(BrowserSession.class).inNamespace(NS).withName(name).edit(s -> {
            s.getSpec().setReleased(true);
            return s;
        });
        assertThat(awaitPhase(name, Phase.Released).getReason()).isEqualTo(Reason.Released);
        awaitGone(pid);
    }

    @Test
    void idleClientIsReleasedForInactivityWithinASecondOfTheIdleDeadline() throws Exception {
        String name = create(new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("3s"));
        awaitPhase(name, Phase.Live);
        long pid = browserPid(name);
        try (CdpClient cdp = CdpClient.connect(URI.create(connectionUrl(name)), Map.of())) {
            cdp.call("Browser.getVersion", new JsonObject());
            // Connected, then silent: only the browser could talk now, and that is not activity.
            BrowserSessionStatus released = awaitPhase(name, Phase.Released, Duration.ofSeconds(15));
            assertThat(released.getReason()).isEqualTo(Reason.InactivityTimeout);
            assertThat(released.getLastActivityTime()).isNotNull();
            assertThat(lateness(released.getInactivityDeadline(), released.getFinishedTime()))
                    .isLessThan(Duration.ofSeconds(1));
        }
        awaitGone(pid);
    }

    @Test
    void busyClientIsNotReleasedForInactivity() throws Exception {
        String name = create(new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("3s"));
        awaitPhase(name, Phase.Live);
        try (CdpClient cdp = CdpClient.connect(URI.create(connectionUrl(name)), Map.of())) {
            Instant end = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(end)) {
                cdp.call("Browser.getVersion", new JsonObject());
                // A command a second is the point of this test, not a wait for a condition.
                Thread.sleep(1000);
            }
            BrowserSessionStatus status = status(name);
            assertThat(status.getPhase()).isEqualTo(Phase.Live);
            assertThat(Timestamps.parse(status.getLastActivityTime())).isAfter(end.minusSeconds(8));
        }
    }

    @Test
    void killedBrowserFailsTheSession() {
        String name = create(new BrowserSessionSpec().withTimeout("10m"));
        awaitPhase(name, Phase.Live);
        ProcessHandle.of(browserPid(name)).orElseThrow().destroyForcibly();
        BrowserSessionStatus failed = awaitPhase(name, Phase.Failed);
        assertThat(failed.getReason()).isEqualTo(Reason.BrowserCrashed);
        assertThat(failed.getMessage()).contains("exit code");
        await().until(() -> localMode.runtime().orElseThrow().browserPid(NS, name + "-browser").isEmpty());
    }

    /** Opens a page through CDP and reads its title once it has loaded. */
    static String loadAndReadTitle(CdpClient cdp, String url) throws Exception {
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String session = cdp.call("Target.attachToTarget",
                new JsonObject().put("targetId", targetId).put("flatten", true)).getString("sessionId");
        cdp.call("Page.navigate", new JsonObject().put("url", url), session);
        JsonObject title = cdp.call("Runtime.evaluate", new JsonObject()
                .put("expression", "new Promise(done => document.readyState === 'complete'"
                        + " ? done(document.title) : addEventListener('load', () => done(document.title)))")
                .put("awaitPromise", true)
                .put("returnByValue", true), session);
        return title.getJsonObject("result").getString("value");
    }

    String create(BrowserSessionSpec spec) {
        String name = "local-" + NAMES.incrementAndGet();
        client.resource(new BrowserSession(NS, name, spec)).create();
        return name;
    }

    BrowserSessionStatus status(String name) {
        BrowserSession s = client.resources(BrowserSession.class).inNamespace(NS).withName(name).get();
        return s == null ? null : s.getStatus();
    }

    BrowserSessionStatus awaitPhase(String name, Phase phase) {
        return awaitPhase(name, phase, Duration.ofSeconds(30));
    }

    BrowserSessionStatus awaitPhase(String name, Phase phase, Duration atMost) {
        return await().atMost(atMost).until(() -> status(name), s -> s != null && s.getPhase() == phase);
    }

    long browserPid(String session) {
        return localMode.runtime().orElseThrow().browserPid(NS, session + "-browser").orElseThrow();
    }

    String connectionUrl(String session) {
        return await().until(() -> Optional.ofNullable(client.secrets().inNamespace(NS).withName(session + "-connection")
                .get()).flatMap(ConnectionSecretDependent::websocketUrl), Optional::isPresent).orElseThrow();
    }

    static void awaitGone(long pid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    static Duration lateness(String deadline, String finished) {
        return Duration.between(Timestamps.parse(deadline), Timestamps.parse(finished));
    }
}
