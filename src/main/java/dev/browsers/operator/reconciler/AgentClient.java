package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.ActivityObservation;
import java.time.Instant;

/** What the operator asks and tells a session's agent. Nothing here throws: an agent that cannot be reached says no. */
public interface AgentClient {

    /** When a client was last active; an agent that cannot be asked is {@link ActivityObservation.Unreachable}. */
    ActivityObservation lastActivity(String endpoint, String token, Instant now);

    /**
     * Whether the browser answers CDP through the agent: the question of the pod's readiness probe. The kubelet asks
     * it at most once a probe period, and only after it has noticed the containers run; the operator can ask as soon
     * as the pod has an address.
     */
    boolean browserAnswers(String endpoint);

    /** Gives the agent the session's hard deadline, for its backstop; true once the agent has taken it. */
    boolean giveDeadline(String endpoint, String token, Instant expiresAt);
}
