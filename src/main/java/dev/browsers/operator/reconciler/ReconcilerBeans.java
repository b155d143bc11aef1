package dev.browsers.operator.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI wiring of the reconciler's collaborators. */
public class ReconcilerBeans {

    @Produces
    @Singleton
    AgentActivityClient agentActivityClient() {
        return new HttpAgentActivityClient();
    }

    /** Gauges and the Live-seconds meter follow the sessions this often; Prometheus scrapes every 15 s or more. */
    static final long METRICS_REFRESH_MILLIS = 5_000;

    @Produces
    @Singleton
    SessionMetrics sessionMetrics(MeterRegistry registry, Clock clock, Vertx vertx) {
        SessionMetrics metrics = new SessionMetrics(registry, clock);
        vertx.setPeriodic(
                METRICS_REFRESH_MILLIS,
                id -> vertx.executeBlocking(
                        () -> {
                            metrics.refresh();
                            return null;
                        },
                        false));
        return metrics;
    }
}
