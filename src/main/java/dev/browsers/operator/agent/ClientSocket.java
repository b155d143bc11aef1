package dev.browsers.operator.agent;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A client's CDP WebSocket, served by the agent itself on the raw connection after the handshake. It enforces what
 * every client connection must keep to, whatever is behind it:
 *
 * <ul>
 *   <li>No message over the maximum size: the first frame that makes one too long closes the connection with 1009
 *       and a reason, before its payload is read, and the rest is skipped. Memory never depends on message size.
 *   <li>A gone client is noticed: nothing heard from it for a third of the client timeout brings a ping; nothing for
 *       the whole timeout closes the connection without waiting for a close handshake. Taking data (the socket
 *       draining) counts as a sign of life, so a slow reader of a long message is not cut off.
 *   <li>Pings are answered here; the agent's own control frames (pong, ping, close) wait for the end of the frame being
 *       written, so they never land inside one.
 * </ul>
 *
 * Everything runs on the connection's context.
 */
final class ClientSocket {
    private static final Logger LOG = Logger.getLogger(ClientSocket.class.getName());
    /** How long a close handshake the agent started may take before the connection is dropped. */
    private static final long CLOSING_TIMEOUT_MILLIS = 3_000;
    /** Long messages are written in slices, each once the socket has room, so none is copied whole to the socket. */
    private static final int WRITE_SLICE = 256 * 1024;

    private static final byte[] NO_PAYLOAD = new byte[0];

    /** Where data frames go; control frames never reach it. */
    interface Inbound {
        /** {@link FrameParser.Action#PASS} or {@link FrameParser.Action#DATA}, for a frame within the limit. */
        FrameParser.Action dataFrame(FrameParser.Header header);

        /** Raw bytes of {@link FrameParser.Action#PASS} frames, still masked. */
        default void pass(Buffer bytes) {}

        /** Unmasked payload of {@link FrameParser.Action#DATA} frames, in pieces. */
        default void data(byte[] payload) {}

        void dataFrameEnd(FrameParser.Header header);
    }

    private record Control(Buffer frame, Runnable written) {}

    private record Outgoing(byte[] message, Promise<Void> written) {}

    private final Vertx vertx;
    private final NetSocket socket;
    private final long maxMessageBytes;
    private final long timeoutNanos;
    private final long pingPeriodMillis;
    private final FrameParser parser;
    private final ArrayDeque<Control> controls = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private Inbound inbound;
    private Runnable onClosed;
    private Runnable drain = () -> {};
    private Consumer<WebSocketFrames.Close> closeReceived = close -> {};
    private Runnable closeSent = () -> {};
    private long lastHeard = System.nanoTime();
    private long pingTimer = -1;
    private long closingTimer = -1;
    private boolean midFrame;
    private int slicing = -1;
    private boolean pumping;
    private boolean pumpAgain;
    private boolean pingQueued;
    private boolean closeQueued;
    private boolean isCloseSent;
    private boolean peerClosed;
    private boolean closed;

    /**
     * @param socket the upgraded connection; paused until {@link #start}
     * @param clientTimeoutMillis silence after which the client counts as gone
     */
    ClientSocket(Vertx vertx, NetSocket socket, long maxMessageBytes, long clientTimeoutMillis) {
        this.vertx = vertx;
        this.socket = socket;
        this.maxMessageBytes = maxMessageBytes;
        this.timeoutNanos = clientTimeoutMillis * 1_000_000L;
        this.pingPeriodMillis = Math.max(1, clientTimeoutMillis / 3);
        this.parser = new FrameParser(true, new Reader());
    }

    /** Starts reading; {@code onClosed} runs once, when the connection is closed. */
    void start(Inbound inbound, Runnable onClosed) {
        this.inbound = inbound;
        this.onClosed = onClosed;
        socket.handler(chunk -> {
            lastHeard = System.nanoTime();
            parser.feed(chunk);
        });
        socket.drainHandler(v -> {
            lastHeard = System.nanoTime();
            pump();
            drain.run();
        });
        socket.closeHandler(v -> closed());
        socket.exceptionHandler(e -> LOG.fine(() -> "client " + socket.remoteAddress() + " failed: " + e));
        pingTimer = vertx.setPeriodic(pingPeriodMillis, id -> tick());
        socket.resume();
    }

    /** Runs when the socket has room again after {@link #writeQueueFull()}. */
    void drainHandler(Runnable drain) {
        this.drain = drain;
    }

    /** Runs when the client sends its close frame first (not when it answers the agent's). */
    void closeReceivedHandler(Consumer<WebSocketFrames.Close> closeReceived) {
        this.closeReceived = closeReceived;
    }

    /** Runs once the agent's close frame has been written: nothing more will be written to the client. */
    void closeSentHandler(Runnable closeSent) {
        this.closeSent = closeSent;
    }

    boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    void pause() {
        socket.pause();
    }

    void resume() {
        socket.resume();
    }

    boolean isClosed() {
        return closed;
    }

    String remoteAddress() {
        return String.valueOf(socket.remoteAddress());
    }

    /**
     * Writes bytes of whole server frames as they come (the relay's browser side); {@code atBoundary}: they end where
     * a frame ends. Dropped once the agent's close frame has been written.
     */
    void write(Buffer frames, boolean atBoundary) {
        if (isCloseSent || closed) {
            return;
        }
        socket.write(frames);
        midFrame = !atBoundary;
        flushControls();
    }

    /**
     * Sends a text message, in slices as the socket takes them. Completes once written, or once it never will be
     * (the connection closed first).
     */
    Future<Void> writeText(byte[] message) {
        Promise<Void> written = Promise.promise();
        if (closeQueued || closed) {
            written.complete();
        } else {
            outgoing.add(new Outgoing(message, written));
            pump();
        }
        return written.future();
    }

    /** Starts the close handshake: the close frame goes out once the frame being written is complete. */
    void close(short code, String reason) {
        if (closeQueued || closed) {
            return;
        }
        closeQueued = true;
        queueControl(WebSocketFrames.close(code, reason, false), this::afterCloseSent);
    }

    private void afterCloseSent() {
        isCloseSent = true;
        outgoing.forEach(o -> o.written().complete());
        outgoing.clear();
        closeSent.run();
        if (peerClosed) {
            socket.close();
        } else {
            closingTimer = vertx.setTimer(CLOSING_TIMEOUT_MILLIS, id -> abort());
        }
    }

    /** Drops the connection at once, whatever is still queued for it: the client is not reading. */
    void abort() {
        if (socket instanceof NetSocketInternal internal) {
            // A graceful close first flushes what is queued, which a client that stopped reading never takes.
            internal.channelHandlerContext().close();
        } else {
            socket.close();
        }
    }

    private void tick() {
        if (closeQueued || closed) {
            return;
        }
        long silent = System.nanoTime() - lastHeard;
        if (silent > timeoutNanos) {
            LOG.info(() -> "closing the connection of client " + socket.remoteAddress() + ": nothing heard from it for "
                    + silent / 1_000_000 + " ms, not even a pong");
            abort();
        } else if (silent >= pingPeriodMillis * 1_000_000L && !pingQueued) {
            pingQueued = true;
            queueControl(WebSocketFrames.control(FrameParser.PING, NO_PAYLOAD, false), () -> pingQueued = false);
        }
    }

    private void queueControl(Buffer frame, Runnable written) {
        if (isCloseSent || closed) {
            return;
        }
        controls.add(new Control(frame, written));
        flushControls();
    }

    private void flushControls() {
        while (!midFrame && !controls.isEmpty() && !closed && !isCloseSent) {
            Control control = controls.poll();
            socket.write(control.frame());
            control.written().run();
        }
        if (!midFrame) {
            pump();
        }
    }

    /**
     * Writes queued text messages, a slice at a time while the socket has room. A write can call the drain handler
     * before it returns, which pumps again: that inner call is only noted, and done by the outer one.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                pumpOnce();
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    private void pumpOnce() {
        while (!outgoing.isEmpty() && !closed && !isCloseSent) {
            byte[] message = outgoing.peek().message();
            if (slicing < 0) {
                if (closeQueued || !controls.isEmpty()) {
                    return;
                }
                midFrame = true;
                slicing = 0;
                socket.write(WebSocketFrames.header(FrameParser.TEXT, true, message.length));
            }
            while (slicing < message.length && !socket.writeQueueFull()) {
                int from = slicing;
                int length = Math.min(WRITE_SLICE, message.length - from);
                slicing += length;
                socket.write(Buffer.buffer(Unpooled.wrappedBuffer(message, from, length)));
            }
            if (slicing < message.length) {
                return;
            }
            slicing = -1;
            midFrame = false;
            outgoing.poll().written().complete();
            if (!controls.isEmpty()) {
                flushControls();
            }
        }
    }

    private void closed() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(pingTimer);
        vertx.cancelTimer(closingTimer);
        controls.clear();
        outgoing.forEach(o -> o.written().complete());
        outgoing.clear();
        onClosed.run();
    }

    private final class Reader implements FrameParser.Listener {
        @Override
        public FrameParser.Action header(FrameParser.Header header) {
            if (header.isControl()) {
                return FrameParser.Action.CONTROL;
            }
            if (closeQueued || closed) {
                return FrameParser.Action.SKIP;
            }
            if (header.messageLength() > maxMessageBytes) {
                String reason = "message of " + (header.fin() ? "" : "at least ") + header.messageLength()
                        + " bytes is over the limit of " + maxMessageBytes + " bytes";
                LOG.info(() -> "closing the connection of client " + socket.remoteAddress() + ": its " + reason);
                close(WebSocketFrames.MESSAGE_TOO_BIG, reason);
                return FrameParser.Action.SKIP;
            }
            return inbound.dataFrame(header);
        }

        @Override
        public void pass(Buffer bytes, boolean atBoundary) {
            inbound.pass(bytes);
        }

        @Override
        public void data(byte[] payload) {
            inbound.data(payload);
        }

        @Override
        public void control(FrameParser.Header header, byte[] payload) {
            switch (header.opcode()) {
                case FrameParser.PING ->
                    queueControl(WebSocketFrames.control(FrameParser.PONG, payload, false), () -> {});
                case FrameParser.CLOSE -> closeFrame(WebSocketFrames.readClose(payload));
                default -> {
                    // A pong: hearing it was the point.
                }
            }
        }

        private void closeFrame(WebSocketFrames.Close close) {
            peerClosed = true;
            if (isCloseSent) {
                socket.close();
            } else if (!closeQueued) {
                closeReceived.accept(close);
                short echo = WebSocketFrames.isSendable(close.code()) ? close.code() : WebSocketFrames.NORMAL;
                close(echo, close.reason());
            }
        }

        @Override
        public void frameEnd(FrameParser.Header header, FrameParser.Action action) {
            if (!header.isControl() && action != FrameParser.Action.SKIP) {
                inbound.dataFrameEnd(header);
            }
        }

        @Override
        public void protocolError(String reason) {
            LOG.info(() -> "closing the connection of client " + socket.remoteAddress() + ": " + reason);
            close(WebSocketFrames.PROTOCOL_ERROR, reason);
        }
    }
}
