package dev.browsers.operator.reconciler;

import dev.browsers.operator.config.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI wiring of the reconciler's collaborators; each can be replaced by a bean of its own. */
public class ReconcilerBeans {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    AgentAddressResolver agentAddressResolver(OperatorConfig config) {
        return new PodAddressResolver(config.agent().port());
    }

    @Produces
    @Singleton
    @DefaultBean
    AgentActivityClient agentActivityClient() {
        return new HttpAgentActivityClient();
    }

    @Produces
    @Singleton
    SessionMetrics sessionMetrics(MeterRegistry registry) {
        return new SessionMetrics(registry);
    }
}
