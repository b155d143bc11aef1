package dev.browsers.operator.agent;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Reads WebSocket frames (RFC 6455 5.2) from a byte stream as the bytes arrive, never waiting for a whole frame. This
 * is why the agent speaks WebSocket itself on raw sockets: Chromium sends each CDP message as one frame, and a frame
 * decoder that hands out whole frames holds a whole screenshot in memory at least twice on its way through.
 *
 * <p>For every frame its {@link Listener} decides, once the header is read, what becomes of it: {@link Action#PASS}
 * passes its bytes on unchanged (header and masked payload, in runs as long as the input allows), {@link Action#DATA}
 * hands out its payload unmasked, {@link Action#CONTROL} collects a control frame's payload (at most 125 bytes) for
 * {@link Listener#control}, {@link Action#SKIP} drops it.
 */
final class FrameParser {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final int MAX_CONTROL_PAYLOAD = 125;

    enum Action {
        PASS,
        DATA,
        CONTROL,
        SKIP
    }

    /**
     * @param messageLength the bytes of the message this data frame belongs to, this frame included
     * @param firstOfMessage whether this data frame starts a message (not a continuation)
     */
    record Header(boolean fin, int opcode, boolean masked, long length, long messageLength, boolean firstOfMessage) {
        boolean isControl() {
            return (opcode & 0x8) != 0;
        }
    }

    interface Listener {
        Action header(Header header);

        /** Bytes of {@link Action#PASS} frames; {@code atBoundary}: they end where a frame ends. */
        void pass(Buffer bytes, boolean atBoundary);

        /** Payload of a {@link Action#DATA} frame, unmasked, in pieces. */
        void data(byte[] payload);

        /** The whole payload of a {@link Action#CONTROL} frame, unmasked. */
        void control(Header header, byte[] payload);

        /** A frame has been read to its end, whatever its action. */
        void frameEnd(Header header, Action action);

        /** The stream breaks the protocol; nothing more is read from it. */
        void protocolError(String reason);
    }

    private final boolean masked;
    private final Listener listener;
    private final byte[] head = new byte[14];
    private int headLength;
    private Header header;
    private Action action;
    private long remaining;
    private final byte[] mask = new byte[4];
    private long maskOffset;
    private boolean inMessage;
    private long messageLength;
    private final ByteArrayOutputStream controlPayload = new ByteArrayOutputStream(MAX_CONTROL_PAYLOAD);
    /** Whether bytes of the current PASS frame have been passed on already. */
    private boolean passing;

    private boolean failed;

    /** @param masked whether frames must be masked (read from a client) or must not be (read from a server) */
    FrameParser(boolean masked, Listener listener) {
        this.masked = masked;
        this.listener = listener;
    }

    /** Whether what was passed on so far ends where a frame ends, so that another frame may be written after it. */
    boolean atBoundary() {
        return !passing;
    }

    void feed(Buffer chunk) {
        int n = chunk.length();
        int i = 0;
        // A frame passed on that began in an earlier chunk goes on from this chunk's first byte.
        int run = header != null && action == Action.PASS ? 0 : -1;
        while (i < n && !failed) {
            if (header == null) {
                int headerStart = i;
                int carried = headLength;
                while (i < n && headLength < headerLength()) {
                    head[headLength++] = chunk.getByte(i++);
                }
                if (headLength < headerLength()) {
                    // The header goes on in the next chunk: what came before it ends at a frame boundary.
                    run = passRun(chunk, run, headerStart, true);
                    break;
                }
                if (!readHeader()) {
                    return;
                }
                action = listener.header(header);
                if (action == Action.PASS) {
                    if (carried > 0) {
                        run = passRun(chunk, run, headerStart, false);
                        listener.pass(Buffer.buffer(Arrays.copyOf(head, headLength)), remaining == 0);
                        run = i;
                    } else if (run < 0) {
                        run = headerStart;
                    }
                    passing = true;
                } else {
                    run = passRun(chunk, run, headerStart, true);
                }
                if (remaining == 0) {
                    endFrame();
                }
                continue;
            }
            int take = (int) Math.min(remaining, n - i);
            if (action == Action.DATA) {
                listener.data(unmask(chunk, i, take));
            } else if (action == Action.CONTROL) {
                controlPayload.writeBytes(unmask(chunk, i, take));
            }
            i += take;
            remaining -= take;
            maskOffset += take;
            if (remaining == 0) {
                endFrame();
            }
        }
        passRun(chunk, run, i, atBoundary());
    }

    /** Passes on the run of bytes from {@code run} to {@code end}, if there is one; returns that no run is open. */
    private int passRun(Buffer chunk, int run, int end, boolean atBoundary) {
        if (run >= 0 && end > run) {
            listener.pass(run == 0 && end == chunk.length() ? chunk : chunk.slice(run, end), atBoundary);
        }
        return -1;
    }

    private int headerLength() {
        if (headLength < 2) {
            return 2;
        }
        int length7 = head[1] & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extended + ((head[1] & 0x80) != 0 ? 4 : 0);
    }

    private boolean readHeader() {
        boolean fin = (head[0] & 0x80) != 0;
        int rsv = (head[0] >> 4) & 0x7;
        int opcode = head[0] & 0xF;
        boolean isMasked = (head[1] & 0x80) != 0;
        int length7 = head[1] & 0x7F;
        long length = length7;
        int at = 2;
        if (length7 == 126) {
            length = ((head[2] & 0xFFL) << 8) | (head[3] & 0xFFL);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int k = 2; k < 10; k++) {
                length = (length << 8) | (head[k] & 0xFFL);
            }
            at = 10;
        }
        if (isMasked) {
            System.arraycopy(head, at, mask, 0, 4);
        }
        boolean control = (opcode & 0x8) != 0;
        String violation = null;
        if (rsv != 0) {
            violation = "reserved bits set, but no extension was agreed";
        } else if (isMasked != masked) {
            violation = masked ? "a client's frame is not masked" : "a server's frame is masked";
        } else if (length < 0) {
            violation = "frame length out of range";
        } else if (control && (!fin || length > MAX_CONTROL_PAYLOAD)) {
            violation = "control frame fragmented or longer than 125 bytes";
        } else if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && !control
                || control && opcode != CLOSE && opcode != PING && opcode != PONG) {
            violation = "unknown opcode " + opcode;
        } else if (opcode == CONTINUATION && !inMessage) {
            violation = "continuation frame without a message to continue";
        } else if ((opcode == TEXT || opcode == BINARY) && inMessage) {
            violation = "new message before the last one ended";
        }
        if (violation != null) {
            failed = true;
            listener.protocolError(violation);
            return false;
        }
        boolean first = false;
        if (!control) {
            first = opcode != CONTINUATION;
            messageLength = first ? length : messageLength + length;
            inMessage = !fin;
        }
        header = new Header(fin, opcode, isMasked, length, control ? length : messageLength, first);
        remaining = length;
        maskOffset = 0;
        return true;
    }

    private byte[] unmask(Buffer chunk, int from, int count) {
        byte[] bytes = chunk.getBytes(from, from + count);
        if (masked) {
            for (int k = 0; k < count; k++) {
                bytes[k] ^= mask[(int) ((maskOffset + k) & 3)];
            }
        }
        return bytes;
    }

    private void endFrame() {
        Header ended = header;
        Action endedAction = action;
        header = null;
        action = null;
        headLength = 0;
        passing = false;
        if (endedAction == Action.CONTROL) {
            byte[] payload = controlPayload.toByteArray();
            controlPayload.reset();
            listener.control(ended, payload);
        }
        listener.frameEnd(ended, endedAction);
    }
}
