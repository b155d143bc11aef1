package dev.browsers.operator.config;

import dev.browsers.operator.lifecycle.Policy;
import dev.browsers.operator.model.AgentContract;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The beans every adapter shares, built from the configuration once. */
public class ConfigBeans {
    /** How soon to ask a session agent again after it did not answer. */
    static final Duration AGENT_RETRY_INTERVAL = Duration.ofSeconds(1);

    @Produces
    @Singleton
    Policy policy(OperatorConfig config) {
        return policyOf(config);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    void refuseLocalModeWithoutIt(
            @Observes StartupEvent event, OperatorConfig config, Instance<LocalModeSupport> localMode) {
        if (config.mode() == OperatorConfig.Mode.local && localMode.isUnsatisfied()) {
            throw new IllegalStateException("browser-operator.mode=local, but this build has no local mode (it was "
                    + "built for the cluster image with -Dcluster): set BROWSER_OPERATOR_MODE=cluster");
        }
    }

    /** A browser class that could not run, or could open CDP beyond the agent, never gets to start a pod. */
    void refuseBrowserClassesThatCannotRun(@Observes StartupEvent event, OperatorConfig config) {
        List<String> problems = BrowserClassCheck.problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start: " + String.join("; ", problems));
        }
    }

    /** Session pods would fail one by one on a limit their agents refuse: fail at start, naming the property. */
    void checkAgentLimits(@Observes StartupEvent event, OperatorConfig config) {
        checkAgentLimits(config.agent());
    }

    static void checkAgentLimits(OperatorConfig.Agent agent) {
        String prefix = "browser-operator.agent.";
        if (agent.maxConnections() < 1 || agent.maxConnections() > AgentContract.MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException(prefix + "max-connections must be from 1 to "
                    + AgentContract.MAX_CONNECTIONS_LIMIT + ", got " + agent.maxConnections());
        }
        long maxMessage = agent.maxMessageSize().asLongValue();
        if (maxMessage < AgentContract.MIN_MESSAGE_BYTES || maxMessage > AgentContract.MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException(prefix + "max-message-size must be from "
                    + AgentContract.MIN_MESSAGE_BYTES + " bytes to 1G, got " + maxMessage + " bytes");
        }
        if (agent.clientTimeout().toMillis() < AgentContract.MIN_CLIENT_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException(prefix + "client-timeout must be at least "
                    + AgentContract.MIN_CLIENT_TIMEOUT_MILLIS + "ms, got " + agent.clientTimeout());
        }
    }

    /** The lifecycle's policy as configured; also for code that builds the operator without CDI. */
    public static Policy policyOf(OperatorConfig config) {
        Set<String> classes = new HashSet<>(config.browserClasses().keySet());
        classes.add(OperatorConfig.DEFAULT_BROWSER_CLASS);
        return new Policy(
                config.defaultTimeout(),
                config.maxTimeout(),
                config.startupTimeout(),
                config.ttlAfterFinished(),
                config.agentUnreachableGrace(),
                AGENT_RETRY_INTERVAL,
                OperatorConfig.DEFAULT_BROWSER_CLASS,
                Set.copyOf(classes));
    }
}
