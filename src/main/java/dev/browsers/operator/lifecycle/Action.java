package dev.browsers.operator.lifecycle;

/** What the reconciler must do to the cluster for a decision; each is idempotent. */
public enum Action {
    ENSURE_CONNECTION_SECRET,
    ENSURE_POD,
    /** Read the browser's context from the agent and write it to spec.context.saveToSecret; before DELETE_POD. */
    SAVE_CONTEXT,
    DELETE_POD,
    DELETE_SESSION
}
