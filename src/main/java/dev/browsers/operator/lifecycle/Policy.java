package dev.browsers.operator.lifecycle;

import java.time.Duration;
import java.util.Set;

/**
 * The operator's rules for every session, from its configuration (the one place with defaults).
 *
 * @param ttlAfterFinished how long a finished session is kept; zero keeps it forever
 * @param agentUnreachableGrace how long the agent may fail to answer before the browser counts as gone
 * @param agentRetryInterval how soon to ask an unreachable agent again
 * @param defaultBrowserClass the class of sessions that name none
 * @param browserClasses every class a session may name
 */
public record Policy(
        Duration defaultTimeout,
        Duration maxTimeout,
        Duration startupTimeout,
        Duration ttlAfterFinished,
        Duration agentUnreachableGrace,
        Duration agentRetryInterval,
        String defaultBrowserClass,
        Set<String> browserClasses) {}
