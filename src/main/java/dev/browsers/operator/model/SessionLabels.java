package dev.browsers.operator.model;

import java.util.Map;

/** Labels and annotations on everything the operator creates for a session. */
public final class SessionLabels {
    /** The API group of the operator's resources; also the prefix of its labels and annotations. */
    public static final String GROUP = "browsers.dev";

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "browser-operator";
    public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
    public static final String SESSION = GROUP + "/session";
    /** On the pod: the hard deadline the agent took from the operator (PUT /deadline), so it is given again only when it moves. */
    public static final String EXPIRES_AT_ANNOTATION = GROUP + "/expires-at";
    /** On a pool's pods, warm or claimed: the pool that started it. */
    public static final String POOL = GROUP + "/pool";
    /** On a pool's pods: the browser class it runs, which a claiming session's class must equal. */
    public static final String BROWSER_CLASS = GROUP + "/browser-class";
    /** On a warm pod: no session may claim it from this time on (RFC 3339); the pool replaces it then. */
    public static final String CLAIM_BEFORE_ANNOTATION = GROUP + "/claim-before";

    /**
     * On a context Secret: "true" lets a session's {@code spec.context.saveToSecret} write to it. The operator puts it
     * on the Secrets it creates; anyone else's Secret is written only once its owner adds it.
     */
    public static final String CONTEXT = GROUP + "/context";

    public static final String CONTEXT_VALUE = "true";
    /** On a context Secret: the session whose context it last received. */
    public static final String SAVED_FROM = GROUP + "/saved-from";
    /**
     * On a context Secret: the uid of the session whose context it last received, so that a save the session's status
     * does not show yet (the operator stopped between the write and the status) is still recognised as done.
     */
    public static final String SAVED_FROM_UID_ANNOTATION = GROUP + "/saved-from-uid";

    private SessionLabels() {}

    public static Map<String, String> forSession(String sessionName) {
        return Map.of(MANAGED_BY, MANAGED_BY_VALUE, SESSION, sessionName);
    }

    /** A warm pod of a pool: no session label until a session claims it. */
    public static Map<String, String> forPool(String poolName, String browserClass) {
        return Map.of(MANAGED_BY, MANAGED_BY_VALUE, POOL, poolName, BROWSER_CLASS, browserClass);
    }
}
