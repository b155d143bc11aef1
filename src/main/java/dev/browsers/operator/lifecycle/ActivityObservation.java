package dev.browsers.operator.lifecycle;

import java.time.Instant;

/** The answer of the session's agent to "when was a client last active?". */
public sealed interface ActivityObservation {

    /** @param lastActivity null when no client has sent anything yet */
    record Reported(Instant lastActivity) implements ActivityObservation {}

    record Unreachable(String error) implements ActivityObservation {}
}
