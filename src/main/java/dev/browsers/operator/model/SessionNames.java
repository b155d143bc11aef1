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

    /** The pool token every warm pod of a pool starts with, replaced by its session's token at the claim. */
    public static String poolTokenSecretName(String poolName) {
        return poolName + "-pool-token";
    }

    /** A warm pod of a pool; the suffix tells its pods apart (they come and go). */
    public static String poolPodName(String poolName, String suffix) {
        return poolName + "-pool-" + suffix;
    }

    /** The proxy credentials of a session created through the REST API with a proxyUrl holding them. */
    public static String proxySecretName(String sessionName) {
        return sessionName + "-proxy";
    }

    /** The Secret the REST API writes a create's {@code sessionContext} to, owned by the session. */
    public static String contextSecretName(String sessionName) {
        return sessionName + "-context";
    }
}
