package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Clock;

/** CDI wiring of the reconciler's collaborators. */
public class ReconcilerBeans {

    @Produces
    @Singleton
    AgentClient agentClient() {
        return new HttpAgentClient();
    }

    @Produces
    @Singleton
    AgentTokenClient agentTokenClient() {
        return new HttpAgentTokenClient();
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

    @Produces
    @Singleton
    LeaderElection leaderElection(OperatorConfig config, SessionMetrics metrics) {
        // Losing the Lease while running: stop at once, without a graceful shutdown during which this replica would
        // still reconcile next to the new leader. Kubernetes restarts the container as a standby.
        return new LeaderElection(config, metrics, () -> Runtime.getRuntime().halt(1));
    }

    /**
     * Picked up by the operator SDK in the profiles of quarkus.operator-sdk.activate-leader-election-for-profiles
     * (prod: the packaged jar); null, so no election, in local mode or when turned off.
     */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElectionConfiguration(LeaderElection election, KubernetesClient client) {
        return election.configuration(client).orElse(null);
    }

    /** Before the operator SDK stops the operator (its observer has the default priority), so the Lease is handed over. */
    void handOverTheLease(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event, LeaderElection election) {
        election.stopping();
    }
}
