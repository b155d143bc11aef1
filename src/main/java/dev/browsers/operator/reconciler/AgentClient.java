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

    /**
     * The browser's context now, Steel's shape as JSON ({@code GET /context}); reading it is not activity. Bounded in
     * time and size: a late or oversized answer is a failure.
     */
    ContextAnswer readContext(String endpoint, String token);

    /** What the agent answered to {@link #readContext}. */
    sealed interface ContextAnswer {
        /** @param json a JSON object, at most {@code AgentContract.CONTEXT_MAX_BYTES} */
        record Read(String json) implements ContextAnswer {}

        /**
         * @param reason one of the ContextSaved condition's reasons ({@code SessionConditions})
         * @param message what went wrong, for the condition and the Event
         */
        record Failed(String reason, String message) implements ContextAnswer {}
    }
}
