package dev.browsers.operator.testing;

import dev.browsers.operator.config.ConfigBeans;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.reconciler.AgentClient;
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
    private final AgentClient agents;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Operator operator;

    public OperatorHarness(KubernetesClient client, OperatorConfig config, Clock clock, AgentClient agents) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.agents = agents;
    }

    public OperatorHarness start() {
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // The mock API server answers server-side apply with 415.
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new BrowserSessionReconciler(
                config, ConfigBeans.policyOf(config), clock, agents, new SessionMetrics(meters)));
        operator.start();
        return this;
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
