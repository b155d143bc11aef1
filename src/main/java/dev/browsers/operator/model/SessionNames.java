package dev.browsers.operator.model;

/** Names of what the operator creates for a session, derived from the session's name. */
public final class SessionNames {
    /** The session's name is a label value on its pod, and label values have at most 63 characters. */
    public static final int MAX_SESSION_NAME_LENGTH = 63;

    private SessionNames() {}

    public static String podName(String sessionName) {
        return sessionName + "-browser";
    }

    public static String connectionSecretName(String sessionName) {
        return sessionName + "-connection";
    }

    /** The proxy credentials of a session created through the REST API with a proxyUrl holding them. */
    public static String proxySecretName(String sessionName) {
        return sessionName + "-proxy";
    }
}
