package dev.browsers.operator.reconciler;

import dev.browsers.operator.lifecycle.ActivityObservation;
import java.time.Instant;

/** Asks a session's agent when a client was last active. */
public interface AgentActivityClient {

    /** Never throws: an agent that cannot be asked is {@link ActivityObservation.Unreachable}. */
    ActivityObservation lastActivity(String endpoint, String token, Instant now);
}
