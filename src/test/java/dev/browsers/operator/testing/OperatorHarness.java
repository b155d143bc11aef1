package dev.browsers.operator.testing;

import dev.browsers.operator.config.ConfigBeans;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.reconciler.AgentActivityClient;
import dev.browsers.operator.reconciler.BrowserSessionReconciler;
import dev.browsers.operator.reconciler.SessionMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/** The real reconciler in a real JOSDK Operator against a (mock) API server; can be stopped and started again. */
public final class OperatorHarness implements AutoCloseable {
    private final KubernetesClient client;
    private final OperatorConfig config;
    private final Clock clock;
    private final AgentActivityClient agents;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SessionMetrics metrics;
    private Operator operator;

    public OperatorHarness(KubernetesClient client, OperatorConfig config, Clock clock, AgentActivityClient agents) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.agents = agents;
    }

    public OperatorHarness start() {
        metrics = new SessionMetrics(meters, clock);
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // The mock API server answers server-side apply with 415.
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new BrowserSessionReconciler(config, ConfigBeans.policyOf(config), clock, agents, metrics));
        operator.start();
        return this;
    }

    /** The reconciler's metrics; tests call {@link SessionMetrics#refresh()} where the operator runs a timer. */
    public SessionMetrics metrics() {
        return metrics;
    }

    public void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
