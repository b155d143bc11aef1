package dev.browsers.operator.agent;

/** The browser side of one client's CDP WebSocket, opened before the client was upgraded. */
interface CdpChannel {

    /**
     * Relays CDP messages between the upgraded client and the browser from now on, counting them on {@code activity}.
     *
     * @param client paused; started here
     * @param onClosed run once, when both sides have closed
     */
    void splice(ClientSocket client, ActivityClock activity, Runnable onClosed);

    /** Closes the client, if spliced, and the browser side. */
    void close();
}
