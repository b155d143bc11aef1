package dev.browsers.operator.model.v1alpha1;

import java.util.Map;

/** Labels and annotations on everything the operator creates for a session. */
public final class SessionLabels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "browser-operator";
    public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
    public static final String SESSION = BrowserSession.GROUP + "/session";
    /** On the pod: the hard deadline, read by the agent through the downward API as its backstop. */
    public static final String EXPIRES_AT_ANNOTATION = BrowserSession.GROUP + "/expires-at";
    /** On the pod: the agent's port when it is not the configured one (local mode). */
    public static final String AGENT_PORT_ANNOTATION = BrowserSession.GROUP + "/agent-port";

    private SessionLabels() {}

    public static Map<String, String> forSession(String sessionName) {
        return Map.of(MANAGED_BY, MANAGED_BY_VALUE, SESSION, sessionName);
    }
}
