package dev.browsers.operator.reconciler;

import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/** Prometheus metrics: transitions, billed minutes, start-up time and lateness of releases. */
public class SessionMetrics {
    private final MeterRegistry registry;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void transition(String namespace, BrowserSessionStatus status) {
        Counter.builder("browser.sessions.transitions")
                .description("Session phase transitions")
                .tag("phase", status.getPhase().name())
                .tag("reason", status.getReason().name())
                .register(registry)
                .increment();
        Instant start = Timestamps.parse(status.getStartTime());
        Instant live = Timestamps.parse(status.getLiveTime());
        if (status.getPhase() == Phase.Live && start != null && live != null) {
            Timer.builder("browser.sessions.startup")
                    .description("From pod creation to the browser answering CDP")
                    .register(registry)
                    .record(Duration.between(start, live));
        }
        if (status.getPhase() != null && status.getPhase().isTerminal()) {
            finished(namespace, status);
        }
    }

    private void finished(String namespace, BrowserSessionStatus status) {
        double seconds = status.getDurationSeconds() == null ? 0 : status.getDurationSeconds();
        Counter.builder("browser.sessions.billed.minutes")
                .description("Live time of finished sessions, in started minutes")
                .tag("namespace", namespace)
                .register(registry)
                .increment(Math.ceil(seconds / 60.0));
        Instant deadline = Timestamps.parse(
                status.getReason() == Reason.InactivityTimeout
                        ? status.getInactivityDeadline()
                        : status.getReason() == Reason.Timeout ? status.getExpiresAt() : null);
        Instant finished = Timestamps.parse(status.getFinishedTime());
        if (deadline != null && finished != null) {
            Timer.builder("browser.sessions.release.lateness")
                    .description("How long after its deadline a session was released")
                    .publishPercentiles(0.5, 0.99)
                    .register(registry)
                    .record(Duration.between(deadline, finished));
        }
    }
}
