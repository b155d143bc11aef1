package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gauges and the Live-seconds meter, fed from a cache of sessions as the reconciler's would be. */
class SessionMetricsTest {
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00.000Z");
    final MutableClock clock = MutableClock.fixedAt(T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SessionMetrics metrics = new SessionMetrics(registry, clock);
    final List<BrowserSession> cache = new ArrayList<>();

    SessionMetricsTest() {
        metrics.observe(() -> new ArrayList<>(cache).stream());
    }

    static BrowserSession session(String namespace, String name, Phase phase, Instant liveTime, Duration timeout) {
        BrowserSession session = new BrowserSession(namespace, name, new BrowserSessionSpec());
        BrowserSessionStatus status = new BrowserSessionStatus();
        status.setPhase(phase);
        status.setReason(phase == Phase.Live ? Reason.Running : Reason.Starting);
        status.setStartTime(Timestamps.format(T0));
        if (liveTime != null) {
            status.setLiveTime(Timestamps.format(liveTime));
            status.setExpiresAt(Timestamps.format(liveTime.plus(timeout)));
        }
        session.setStatus(status);
        return session;
    }

    double liveSeconds(String namespace) {
        var counter = registry.find("browser.sessions.live.seconds")
                .tag("namespace", namespace)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String namespace, String phase) {
        var gauge = registry.find("browser.sessions")
                .tags("namespace", namespace, "phase", phase, "browser_class", "default")
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void liveTimeAccruesAsItPassesOnceEachAndStopsAtTheDeadline() {
        cache.add(session("a", "one", Phase.Live, T0, Duration.ofSeconds(30)));
        cache.add(session("a", "two", Phase.Live, T0, Duration.ofMinutes(10)));
        cache.add(session("b", "three", Phase.Pending, null, null));
        clock.advance(Duration.ofSeconds(10));
        metrics.refresh();
        assertThat(liveSeconds("a")).isEqualTo(20.0);
        metrics.refresh();
        assertThat(liveSeconds("a")).as("nothing is counted twice").isEqualTo(20.0);
        clock.advance(Duration.ofSeconds(40));
        metrics.refresh();
        // "one" stops at its 30 s deadline; "two" runs on.
        assertThat(liveSeconds("a")).isEqualTo(30.0 + 50.0);
        assertThat(liveSeconds("b")).isZero();
        assertThat(gauge("a", "Live")).isEqualTo(2.0);
        assertThat(gauge("b", "Pending")).isEqualTo(1.0);
    }

    @Test
    void aFinishedSessionAddsItsLastStretchAndNothingMore() {
        BrowserSession live = session("a", "one", Phase.Live, T0, Duration.ofMinutes(10));
        cache.add(live);
        clock.advance(Duration.ofSeconds(5));
        metrics.refresh();
        BrowserSessionStatus released = live.getStatus().copy();
        released.setPhase(Phase.Released);
        released.setReason(Reason.Released);
        released.setFinishedTime(Timestamps.format(T0.plusSeconds(7)));
        released.setDurationSeconds(7.0);
        clock.advance(Duration.ofSeconds(3));
        metrics.transition(live, released);
        live.setStatus(released);
        assertThat(liveSeconds("a")).isEqualTo(7.0);
        clock.advance(Duration.ofSeconds(60));
        metrics.refresh();
        assertThat(liveSeconds("a")).isEqualTo(7.0);
        assertThat(gauge("a", "Released")).isEqualTo(1.0);
        assertThat(gauge("a", "Live")).isZero();
    }

    @Test
    void timeBeforeThisProcessStartedIsNotCountedAgain() {
        // Live for an hour already when this operator started (at T0).
        cache.add(session("a", "old", Phase.Live, T0.minusSeconds(3600), Duration.ofHours(2)));
        clock.advance(Duration.ofSeconds(4));
        metrics.refresh();
        assertThat(liveSeconds("a")).isEqualTo(4.0);
    }

    @Test
    void aSessionDeletedWhileLiveSimplyStopsCounting() {
        cache.add(session("a", "gone", Phase.Live, T0, Duration.ofMinutes(10)));
        clock.advance(Duration.ofSeconds(2));
        metrics.refresh();
        cache.clear();
        clock.advance(Duration.ofSeconds(20));
        metrics.refresh();
        assertThat(liveSeconds("a")).isEqualTo(2.0);
        assertThat(gauge("a", "Live")).isZero();
    }

    @Test
    void releaseLatenessAndStartupGoToTheirHistograms() {
        BrowserSession session = session("a", "late", Phase.Live, T0.plusMillis(800), Duration.ofSeconds(30));
        metrics.transition(session, session.getStatus());
        BrowserSessionStatus timedOut = session.getStatus().copy();
        timedOut.setPhase(Phase.Released);
        timedOut.setReason(Reason.Timeout);
        timedOut.setFinishedTime(
                Timestamps.format(T0.plusMillis(800).plusSeconds(30).plusMillis(40)));
        metrics.transition(session, timedOut);
        assertThat(registry.find("browser.sessions.startup")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(800.0);
        assertThat(registry.find("browser.sessions.release.lateness")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(40.0);
        assertThat(registry.find("browser.sessions.transitions")
                        .tags("namespace", "a", "phase", "Released", "reason", "Timeout")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }
}
