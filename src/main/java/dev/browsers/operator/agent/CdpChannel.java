package dev.browsers.operator.agent;

import io.vertx.core.http.ServerWebSocket;

/** The browser side of one client's CDP WebSocket, opened before the client was upgraded. */
interface CdpChannel {

    /**
     * Relays CDP messages between the upgraded client and the browser from now on, counting them on {@code activity}.
     *
     * @param onClosed run once, when either side has closed (at once if one already had)
     */
    void splice(ServerWebSocket client, ActivityClock activity, Runnable onClosed);

    /** Closes the client, if spliced, and the browser side. */
    void close();
}
