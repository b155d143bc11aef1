package dev.browsers.operator.agent;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's CDP connection spliced onto its own connection to the browser. Frames pass unchanged (opcode and
 * fragmentation kept) with backpressure both ways; when one side closes, so does the other.
 */
final class WebSocketBridge {
    private static final Logger LOG = Logger.getLogger(WebSocketBridge.class.getName());
    private static final short INTERNAL_ERROR = 1011;

    private final ServerWebSocket client;
    private final WebSocket browser;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param browser paused, so nothing the browser sent before the splice is lost; resumed here
     * @param onClosed run once, when either side has closed
     */
    WebSocketBridge(
            ServerWebSocket client, WebSocket browser, ActivityClock activity, Consumer<WebSocketBridge> onClosed) {
        this.client = client;
        this.browser = browser;
        forward(client, browser, activity::clientMessage);
        forward(browser, client, activity::browserMessage);
        client.closeHandler(v -> {
            closePeer(browser, client.closeStatusCode(), client.closeReason());
            closedOnce(onClosed);
        });
        browser.closeHandler(v -> {
            if (browser.closeStatusCode() == null) {
                // The browser's connection broke without a close frame: tell the client it was not a normal end.
                client.close(INTERNAL_ERROR, "browser connection lost");
            } else {
                closePeer(client, browser.closeStatusCode(), browser.closeReason());
            }
            closedOnce(onClosed);
        });
        // Failures end in a close, handled above. Clients vanish routinely; a failing browser side is worth a
        // warning (a crashed browser, or a message too large for the agent's memory).
        client.exceptionHandler(e -> LOG.fine(() -> "client " + client.remoteAddress() + " failed: " + e));
        browser.exceptionHandler(e -> LOG.log(
                e instanceof HttpClosedException ? Level.FINE : Level.WARNING,
                e,
                () -> "browser side of the connection from " + client.remoteAddress() + " failed"));
        browser.resume();
    }

    void close() {
        client.close();
        browser.close();
    }

    /** Counts messages, not frames: a continuation belongs to the message its first frame started. */
    private static void forward(WebSocketBase from, WebSocketBase to, Runnable onMessage) {
        to.drainHandler(v -> from.resume());
        from.frameHandler(frame -> {
            if (!isData(frame)) {
                // Each hop answers its own pings; closing is handled by the close handlers.
                return;
            }
            if (!frame.isContinuation()) {
                onMessage.run();
            }
            to.writeFrame(frame);
            if (to.writeQueueFull()) {
                from.pause();
            }
        });
    }

    private static boolean isData(WebSocketFrame frame) {
        return frame.isText() || frame.isBinary() || frame.isContinuation();
    }

    private static void closePeer(WebSocketBase peer, Short statusCode, String reason) {
        if (statusCode != null && isSendable(statusCode)) {
            peer.close(statusCode, reason);
        } else {
            peer.close();
        }
    }

    /** RFC 6455 7.4: 1005, 1006 and 1015 only describe a close locally and must never be sent. */
    private static boolean isSendable(short code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void closedOnce(Consumer<WebSocketBridge> onClosed) {
        if (closed.compareAndSet(false, true)) {
            onClosed.accept(this);
        }
    }
}
