package dev.browsers.operator.testing;

import dev.browsers.operator.config.ConfigBeans;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.reconciler.AgentClient;
import dev.browsers.operator.reconciler.AgentTokenClient;
import dev.browsers.operator.reconciler.BrowserPoolReconciler;
import dev.browsers.operator.reconciler.BrowserSessionReconciler;
import dev.browsers.operator.reconciler.LeaderElection;
import dev.browsers.operator.reconciler.SessionMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real reconciler in a real JOSDK Operator against a (mock) API server; can be stopped and started again. It is
 * registered as the operator SDK's Quarkus extension registers it (the reconciler adjusts its own configuration,
 * e.g. its namespaces), and elects a leader when the configuration says so (mode cluster).
 */
public final class OperatorHarness implements AutoCloseable {
    private final KubernetesClient client;
    private final OperatorConfig config;
    private final Clock clock;
    private final AgentClient agents;
    private volatile AgentTokenClient tokens = (endpoint, poolToken, sessionToken) -> true;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** How often this operator lost its Lease while running (where the packaged operator exits). */
    public final AtomicInteger leasesLost = new AtomicInteger();

    private SessionMetrics metrics;
    private LeaderElection election;
    private Operator operator;
    private volatile boolean killed;

    public OperatorHarness(KubernetesClient client, OperatorConfig config, Clock clock, AgentClient agents) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.agents = agents;
    }

    /** How the operator hands a claimed warm pod's agent its session token; by default every agent takes it. */
    public OperatorHarness withTokens(AgentTokenClient tokens) {
        this.tokens = tokens;
        return this;
    }

    public OperatorHarness start() {
        metrics = new SessionMetrics(meters, clock);
        killed = false;
        election = new LeaderElection(config, metrics, () -> {
            // A killed process runs nothing more; here the stopping elector still calls back.
            if (!killed) {
                leasesLost.incrementAndGet();
            }
        });
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The mock API server answers server-side apply with 415.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false);
            election.configuration(client).ifPresent(o::withLeaderElectionConfiguration);
        });
        var reconciler =
                new BrowserSessionReconciler(config, ConfigBeans.policyOf(config), clock, agents, tokens, metrics);
        var configuration = ControllerConfigurationOverrider.override(
                operator.getConfigurationService().getConfigurationFor(reconciler));
        reconciler.updateConfigurationFrom(configuration);
        operator.register(reconciler, configuration.build());
        var pools = new BrowserPoolReconciler(config, clock, metrics);
        var poolConfiguration = ControllerConfigurationOverrider.override(
                operator.getConfigurationService().getConfigurationFor(pools));
        pools.updateConfigurationFrom(poolConfiguration);
        operator.register(pools, poolConfiguration.build());
        operator.start();
        return this;
    }

    /** The reconciler's metrics; tests call {@link SessionMetrics#refresh()} where the operator runs a timer. */
    public SessionMetrics metrics() {
        return metrics;
    }

    /** This operator's name in the Lease. */
    public String identity() {
        return election.identity();
    }

    /** What the operator SDK's health check reads: the readiness of the operator's pod. */
    public RuntimeInfo runtimeInfo() {
        return operator.getRuntimeInfo();
    }

    /** A graceful stop, as on SIGTERM: a leader hands its Lease over. */
    public void stop() {
        if (operator != null) {
            election.stopping();
            operator.stop();
            operator = null;
        }
    }

    /** Stops without a word to anyone, as a killed process would: a Lease it holds stays until it expires. */
    public void kill() {
        if (operator != null) {
            killed = true;
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
