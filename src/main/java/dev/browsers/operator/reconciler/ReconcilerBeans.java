package dev.browsers.operator.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the reconciler's collaborators. */
public class ReconcilerBeans {

    @Produces
    @Singleton
    AgentClient agentClient() {
        return new HttpAgentClient();
    }

    @Produces
    @Singleton
    SessionMetrics sessionMetrics(MeterRegistry registry) {
        return new SessionMetrics(registry);
    }
}
