package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/** The session's conditions (metav1.Condition shape) and how they are set. */
public final class SessionConditions {
    /** True only while Live and the browser answers CDP. */
    public static final String READY = "Ready";
    /** True while Pending: the operator is still bringing the session up (kstatus: InProgress). */
    public static final String RECONCILING = "Reconciling";
    /** True once Failed, with the status reason (kstatus: Failed). */
    public static final String STALLED = "Stalled";
    /** True when an inactivity timeout is in force; False when one is set but has no effect. */
    public static final String INACTIVITY_TIMEOUT = "InactivityTimeout";
    /** Present once the agent failed to answer; its False transition time starts the grace period. */
    public static final String AGENT_REACHABLE = "AgentReachable";

    private SessionConditions() {}

    public static Optional<Condition> find(BrowserSessionStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    /**
     * Upserts a condition; its lastTransitionTime moves only when its status flips.
     *
     * @param now RFC 3339 time of this evaluation
     */
    public static void set(
            BrowserSessionStatus status,
            String type,
            boolean value,
            String reason,
            String message,
            Long generation,
            String now) {
        String statusText = value ? "True" : "False";
        Optional<Condition> existing = find(status, type);
        String transitionTime = existing.filter(c -> statusText.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now);
        Condition updated = new Condition(transitionTime, message, generation, reason, statusText, type);
        List<Condition> conditions = status.getConditions();
        existing.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), updated), () -> conditions.add(updated));
    }

    public static void remove(BrowserSessionStatus status, String type) {
        status.getConditions().removeIf(c -> type.equals(c.getType()));
    }
}
