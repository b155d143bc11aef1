package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * What the agent saw of its clients at one moment.
 *
 * @param lastActivityTime the last client message or DevTools HTTP request; null if there was none yet
 * @param lastActivityKind how the client was last active: {@link AgentContract#ACTIVITY_KIND_CDP} or
 *     {@link AgentContract#ACTIVITY_KIND_INPUT}; null exactly when {@code lastActivityTime} is
 * @param idle time since {@code lastActivityTime}; null exactly when it is null
 * @param openConnections proxied WebSocket connections open now
 * @param clientMessages WebSocket messages clients sent to the browser
 * @param browserMessages WebSocket messages the browser sent to clients (responses and events)
 */
public record ActivitySnapshot(
        Instant lastActivityTime,
        String lastActivityKind,
        Duration idle,
        int openConnections,
        long clientMessages,
        long browserMessages) {

    /** The body of {@code GET /activity}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("lastActivityTime", Timestamps.format(lastActivityTime))
                .put(AgentContract.ACTIVITY_LAST_KIND, lastActivityKind)
                .put(AgentContract.ACTIVITY_IDLE_MILLIS, idle == null ? null : idle.toMillis())
                .put("openConnections", openConnections)
                .put("clientMessages", clientMessages)
                .put("browserMessages", browserMessages);
    }
}
