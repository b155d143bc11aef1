package dev.browsers.operator.model.v1alpha1;

/** Why a session is in its phase; also the reason of the Event emitted on each transition. */
public enum Reason {
    Starting, Running,
    Released, Timeout, InactivityTimeout,
    PodFailed, PodDeleted, BrowserCrashed, StartupTimeout, Unschedulable, ImagePullFailed, InvalidSpec
}
