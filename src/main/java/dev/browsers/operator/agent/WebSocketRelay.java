package dev.browsers.operator.agent;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's CDP WebSocket relayed to its own WebSocket to the browser, byte for byte: data frames pass unchanged
 * (the client's still masked, as the browser expects from a client), opcode and fragmentation kept, in whatever pieces
 * the sockets deliver, with backpressure both ways. So a message of any size costs the agent a few socket buffers,
 * not its size. Each hop answers its own pings; a close on either side closes the other, with the browser's code
 * passed to the client.
 */
final class WebSocketRelay {
    private static final Logger LOG = Logger.getLogger(WebSocketRelay.class.getName());

    private final ClientSocket client;
    private final NetSocket browser;
    private final ActivityClock activity;
    private final long maxMessageBytes;
    private final FrameParser fromBrowser;
    private final Runnable onClosed;
    private boolean browserClosed;
    private boolean browserSentClose;
    private boolean done;

    /**
     * @param browser the upgraded connection to the browser, paused so nothing it sent is lost; resumed here
     * @param onClosed run once, when both sides are closed
     */
    WebSocketRelay(
            ClientSocket client, NetSocket browser, ActivityClock activity, long maxMessageBytes, Runnable onClosed) {
        this.client = client;
        this.browser = browser;
        this.activity = activity;
        this.maxMessageBytes = maxMessageBytes;
        this.onClosed = onClosed;
        this.fromBrowser = new FrameParser(false, new BrowserReader());
        client.drainHandler(browser::resume);
        client.closeReceivedHandler(close -> browser.write(WebSocketFrames.close(
                WebSocketFrames.isSendable(close.code()) ? close.code() : WebSocketFrames.NORMAL,
                close.reason(),
                true)));
        client.closeSentHandler(browser::close);
        browser.drainHandler(v -> client.resume());
        browser.handler(fromBrowser::feed);
        browser.closeHandler(v -> browserClosed());
        browser.exceptionHandler(e -> LOG.log(
                Level.FINE, e, () -> "browser side of the connection from " + client.remoteAddress() + " failed"));
        client.start(new ClientReader(), this::clientClosed);
        browser.resume();
    }

    void close() {
        client.close(WebSocketFrames.GOING_AWAY, "the session agent is stopping");
        browser.close();
    }

    private void clientClosed() {
        browser.close();
        closedOnce();
    }

    private void browserClosed() {
        browserClosed = true;
        if (!browserSentClose) {
            // The browser's connection broke without a close frame: tell the client it was not a normal end.
            client.close(WebSocketFrames.INTERNAL_ERROR, "browser connection lost");
        }
        closedOnce();
    }

    private void closedOnce() {
        if (!done && browserClosed && client.isClosed()) {
            done = true;
            onClosed.run();
        }
    }

    /** The client's data frames go to the browser as they arrive. */
    private final class ClientReader implements ClientSocket.Inbound {
        @Override
        public FrameParser.Action dataFrame(FrameParser.Header header) {
            if (header.firstOfMessage()) {
                activity.clientMessage();
            }
            return FrameParser.Action.PASS;
        }

        @Override
        public void pass(Buffer bytes) {
            browser.write(bytes);
            if (browser.writeQueueFull()) {
                client.pause();
            }
        }

        @Override
        public void dataFrameEnd(FrameParser.Header header) {}
    }

    /** The browser's data frames go to the client as they arrive; its control frames are the agent's to answer. */
    private final class BrowserReader implements FrameParser.Listener {
        @Override
        public FrameParser.Action header(FrameParser.Header header) {
            if (header.isControl()) {
                return FrameParser.Action.CONTROL;
            }
            if (header.messageLength() > maxMessageBytes) {
                String reason = "browser's message of " + (header.fin() ? "" : "at least ") + header.messageLength()
                        + " bytes is over the limit of " + maxMessageBytes + " bytes";
                LOG.info(() -> "closing the connection of client " + client.remoteAddress() + ": the " + reason);
                browserSentClose = true;
                client.close(WebSocketFrames.MESSAGE_TOO_BIG, reason);
                browser.close();
                return FrameParser.Action.SKIP;
            }
            if (header.firstOfMessage()) {
                activity.browserMessage();
            }
            return FrameParser.Action.PASS;
        }

        @Override
        public void pass(Buffer bytes, boolean atBoundary) {
            client.write(bytes, atBoundary);
            if (client.writeQueueFull()) {
                browser.pause();
            }
        }

        @Override
        public void data(byte[] payload) {}

        @Override
        public void control(FrameParser.Header header, byte[] payload) {
            switch (header.opcode()) {
                case FrameParser.PING -> browser.write(WebSocketFrames.control(FrameParser.PONG, payload, true));
                case FrameParser.CLOSE -> {
                    browserSentClose = true;
                    WebSocketFrames.Close close = WebSocketFrames.readClose(payload);
                    client.close(
                            WebSocketFrames.isSendable(close.code()) ? close.code() : WebSocketFrames.NORMAL,
                            close.reason());
                }
                default -> {
                    // A pong to a ping the agent never sent: nothing to do.
                }
            }
        }

        @Override
        public void frameEnd(FrameParser.Header header, FrameParser.Action action) {}

        @Override
        public void protocolError(String reason) {
            LOG.warning(() -> "the browser broke the WebSocket protocol on the connection of client "
                    + client.remoteAddress() + ": " + reason);
            browserSentClose = true;
            client.close(WebSocketFrames.INTERNAL_ERROR, "browser broke the WebSocket protocol");
            browser.close();
        }
    }
}
