package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.Sessions;
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
    /** Starting a real browser takes longer than the mock API server's round trips. */
    static final Duration LOCAL_WAIT = Duration.ofSeconds(30);

    static TestPages pages;

    @Inject
    KubernetesClient client;

    @Inject
    LocalMode localMode;

    Sessions sessions;

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
        BrowserSessionStatus live = sessions.awaitPhase(name, Phase.Live, LOCAL_WAIT);
        long pid = browserPid(name);
        int hitsBefore = pages.hits();
        try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
            assertThat(loadAndReadTitle(cdp, pages.url())).isEqualTo(TestPages.TITLE);
        }
        assertThat(pages.hits()).isGreaterThan(hitsBefore);

        BrowserSessionStatus released = sessions.awaitPhase(name, Phase.Released, LOCAL_WAIT);
        assertThat(released.getReason()).isEqualTo(Reason.Timeout);
        assertThat(released.getExpiresAt()).isEqualTo(live.getExpiresAt());
        assertThat(lateness(released.getExpiresAt(), released.getFinishedTime()))
                .isLessThan(Duration.ofSeconds(1));
        awaitGone(pid);
    }

    @Test
    void releasedOnRequestEndsTheBrowser() {
        String name = create(new BrowserSessionSpec().withTimeout("10m"));
        sessions.awaitPhase(name, Phase.Live, LOCAL_WAIT);
        long pid = browserPid(name);
        sessions.editSpec(name, spec -> spec.setReleased(true));
        assertThat(sessions.awaitPhase(name, Phase.Released, LOCAL_WAIT).getReason())
                .isEqualTo(Reason.Released);
        awaitGone(pid);
    }

    @Test
    void idleClientIsReleasedForInactivityWithinASecondOfTheIdleDeadline() throws Exception {
        String name = create(new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("3s"));
        sessions.awaitPhase(name, Phase.Live, LOCAL_WAIT);
        long pid = browserPid(name);
        try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
            cdp.call("Browser.getVersion", new JsonObject());
            // Connected, then silent: only the browser could talk now, and that is not activity.
            BrowserSessionStatus released = sessions.awaitPhase(name, Phase.Released, Duration.ofSeconds(15));
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
        sessions.awaitPhase(name, Phase.Live, LOCAL_WAIT);
        try (CdpClient cdp = CdpClient.connect(URI.create(sessions.awaitConnectionUrl(name)), Map.of())) {
            Instant end = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(end)) {
                cdp.call("Browser.getVersion", new JsonObject());
                // A command a second is the point of this test, not a wait for a condition.
                Thread.sleep(1000);
            }
            BrowserSessionStatus status = sessions.status(name);
            assertThat(status.getPhase()).isEqualTo(Phase.Live);
            assertThat(Timestamps.parse(status.getLastActivityTime())).isAfter(end.minusSeconds(8));
        }
    }

    @Test
    void killedBrowserFailsTheSession() {
        String name = create(new BrowserSessionSpec().withTimeout("10m"));
        sessions.awaitPhase(name, Phase.Live, LOCAL_WAIT);
        ProcessHandle.of(browserPid(name)).orElseThrow().destroyForcibly();
        BrowserSessionStatus failed = sessions.awaitPhase(name, Phase.Failed, LOCAL_WAIT);
        assertThat(failed.getReason()).isEqualTo(Reason.BrowserCrashed);
        assertThat(failed.getMessage()).contains("exit code");
        await().until(() -> localMode
                .runtime()
                .orElseThrow()
                .browserPid(NS, name + "-browser")
                .isEmpty());
    }

    /** Opens a page through CDP and reads its title once it has loaded. */
    static String loadAndReadTitle(CdpClient cdp, String url) throws Exception {
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String session = cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
        cdp.call("Page.navigate", new JsonObject().put("url", url), session);
        JsonObject title = cdp.call(
                "Runtime.evaluate",
                new JsonObject()
                        .put(
                                "expression",
                                "new Promise(done => document.readyState === 'complete'"
                                        + " ? done(document.title) : addEventListener('load', () => done(document.title)))")
                        .put("awaitPromise", true)
                        .put("returnByValue", true),
                session);
        return title.getJsonObject("result").getString("value");
    }

    String create(BrowserSessionSpec spec) {
        String name = "local-" + NAMES.incrementAndGet();
        sessions = new Sessions(client, NS);
        sessions.create(name, spec);
        return name;
    }

    long browserPid(String session) {
        return localMode
                .runtime()
                .orElseThrow()
                .browserPid(NS, session + "-browser")
                .orElseThrow();
    }

    static void awaitGone(long pid) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    static Duration lateness(String deadline, String finished) {
        return Duration.between(Timestamps.parse(deadline), Timestamps.parse(finished));
    }
}
