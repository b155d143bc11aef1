package dev.browsers.operator.lifecycle;

import java.time.Duration;
import java.util.Set;

/**
 * The operator's rules for every session, from its configuration.
 *
 * @param ttlAfterFinished how long a finished session is kept; zero keeps it forever
 * @param agentUnreachableGrace how long the agent may fail to answer before the browser counts as gone
 * @param agentRetryInterval how soon to ask an unreachable agent again
 */
public record Policy(
        Duration defaultTimeout,
        Duration maxTimeout,
        Duration startupTimeout,
        Duration ttlAfterFinished,
        Duration agentUnreachableGrace,
        Duration agentRetryInterval,
        String defaultBrowserClass,
        Set<String> browserClasses) {

    public static Policy defaults() {
        return new Policy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(1),
                Duration.ofSeconds(10), Duration.ofSeconds(1), "default", Set.of("default"));
    }

    public Policy withTtlAfterFinished(Duration ttl) {
        return new Policy(defaultTimeout, maxTimeout, startupTimeout, ttl, agentUnreachableGrace, agentRetryInterval,
                defaultBrowserClass, browserClasses);
    }
}
