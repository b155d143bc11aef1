package dev.browsers.operator.lifecycle;

/** What the reconciler must do to the cluster for a decision; each is idempotent. */
public enum Action {
    ENSURE_CONNECTION_SECRET,
    ENSURE_POD,
    DELETE_POD,
    DELETE_SESSION
}
