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

    /**
     * Set once a session with spec.context.saveToSecret has finished: True (reason {@link #SAVED}) once its context is
     * in the Secret, False with the reason it is not. Set, it is final: the context is never saved twice.
     */
    public static final String CONTEXT_SAVED = "ContextSaved";

    public static final String SAVED = "Saved";
    /** Why a context was not saved: the session failed, so whatever its browser held is not trusted as a login. */
    public static final String SESSION_FAILED = "SessionFailed";
    /** Why a context was not saved: the session ended before it was Live; there was never a browser to read. */
    public static final String NOT_LIVE = "NotLive";
    /** Why a context was not saved: the pod or its browser had already ended (the agent's backstop, for one). */
    public static final String BROWSER_GONE = "BrowserGone";

    public static final String AGENT_UNREACHABLE = "AgentUnreachable";
    /** Why a context was not saved: the browser's context is over the most a context may have. */
    public static final String TOO_LARGE = "TooLarge";
    /** Why a context was not saved: the browser's context breaks a rule of what can be restored. */
    public static final String INVALID = "Invalid";
    /** Why a context was not saved: the Secret exists without the label that lets the operator write it. */
    public static final String SECRET_NOT_MANAGED = "SecretNotManaged";
    /** Why a context was not saved: the API server refused the write. */
    public static final String SECRET_WRITE_FAILED = "SecretWriteFailed";

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
