package dev.browsers.operator.lifecycle;

/**
 * What the operator sees of a session's pod, reduced to what the lifecycle needs.
 *
 * @param detail human words from the pod (condition or container message) or from the API server, may be null
 * @param agentEndpoint host:port where the session's agent listens, once the pod has an address (READY, and
 *     NOT_READY while the browser starts: the reconciler may then ask the agent itself)
 */
public record PodObservation(State state, String detail, String agentEndpoint) {

    public enum State {
        /** No pod, or a pod being deleted. */
        ABSENT,
        /** Exists, not ready yet (or no longer ready). */
        NOT_READY,
        READY,
        UNSCHEDULABLE,
        IMAGE_PULL_FAILED,
        /** The browser container terminated. */
        BROWSER_EXITED,
        /** The pod ended for another reason: evicted, its active deadline, a node loss. */
        POD_FAILED,
        /** No pod: the API server refused to create it or its Secret (admission, name clash, invalid). */
        CREATE_REFUSED,
        /** No pod: a ResourceQuota refused it or its Secret. */
        QUOTA_EXCEEDED
    }

    public static PodObservation absent() {
        return new PodObservation(State.ABSENT, null, null);
    }

    public static PodObservation of(State state) {
        return new PodObservation(state, null, null);
    }

    public static PodObservation of(State state, String detail) {
        return new PodObservation(state, detail, null);
    }

    /** Not ready (yet), with the pod's agent already reachable at an address. */
    public static PodObservation notReady(String detail, String agentEndpoint) {
        return new PodObservation(State.NOT_READY, detail, agentEndpoint);
    }

    public static PodObservation ready(String agentEndpoint) {
        return new PodObservation(State.READY, null, agentEndpoint);
    }

    /** The pod no longer runs the browser: whatever happens next, the session is over. */
    public boolean ended() {
        return state == State.BROWSER_EXITED || state == State.POD_FAILED;
    }

    /** There is no pod because the API server would not create it (or its Secret). */
    public boolean refused() {
        return state == State.CREATE_REFUSED || state == State.QUOTA_EXCEEDED;
    }
}
