package dev.browsers.operator.model.v1alpha1;

/** Why a session is in its phase; also the reason of the Event emitted on each transition. */
public enum Reason {
    /** Pending: the pod is starting. */
    Starting,
    /** Pending: the API server refused the session's pod or Secret (admission, a name clash, an invalid object). */
    PodRejected,
    /** Pending: a ResourceQuota refused the session's pod or Secret. */
    QuotaExceeded,
    Running,
    Released,
    Timeout,
    InactivityTimeout,
    PodFailed,
    PodDeleted,
    BrowserCrashed,
    StartupTimeout,
    Unschedulable,
    ImagePullFailed,
    InvalidSpec,
    /** Failed: the operator could not reach the session's agent for its grace period. */
    AgentUnreachable;

    /** The API server refuses to create what the session needs; the operator keeps trying until the startup deadline. */
    public boolean isCreateRefusal() {
        return this == PodRejected || this == QuotaExceeded;
    }
}
