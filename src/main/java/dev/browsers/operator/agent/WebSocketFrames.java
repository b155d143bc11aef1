package dev.browsers.operator.agent;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** The WebSocket handshake keys and the frames the agent writes itself (RFC 6455). */
final class WebSocketFrames {
    static final short NORMAL = 1000;
    static final short GOING_AWAY = 1001;
    static final short PROTOCOL_ERROR = 1002;
    /** Sent when no close code was given; never written in a frame. */
    static final short NO_STATUS = 1005;

    static final short MESSAGE_TOO_BIG = 1009;
    static final short INTERNAL_ERROR = 1011;

    static final String KEY_HEADER = "Sec-WebSocket-Key";
    static final String ACCEPT_HEADER = "Sec-WebSocket-Accept";
    static final String VERSION_HEADER = "Sec-WebSocket-Version";
    /** The only version of RFC 6455, and the only one clients send. */
    static final String VERSION = "13";

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private WebSocketFrames() {}

    /** A close code and reason as read from a close frame's payload. */
    record Close(short code, String reason) {}

    /** Whether a client's Sec-WebSocket-Key is what RFC 6455 asks for: 16 bytes in base64. */
    static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    static String newKey() {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The Sec-WebSocket-Accept answering a Sec-WebSocket-Key. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /** The header of an unmasked frame, as a server writes it; the payload follows as it is. */
    static Buffer header(int opcode, boolean fin, long length) {
        Buffer header = Buffer.buffer(10);
        header.appendByte((byte) ((fin ? 0x80 : 0) | opcode));
        appendLength(header, 0, length);
        return header;
    }

    /** A whole control frame; masked when written by a client (to the browser), as RFC 6455 5.3 requires. */
    static Buffer control(int opcode, byte[] payload, boolean masked) {
        Buffer frame = Buffer.buffer(14 + payload.length);
        frame.appendByte((byte) (0x80 | opcode));
        appendLength(frame, masked ? 0x80 : 0, payload.length);
        if (!masked) {
            return frame.appendBytes(payload);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.appendBytes(mask);
        byte[] masking = payload.clone();
        for (int i = 0; i < masking.length; i++) {
            masking[i] ^= mask[i & 3];
        }
        return frame.appendBytes(masking);
    }

    static Buffer close(short code, String reason, boolean masked) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_CLOSE_REASON_BYTES) {
            text = Arrays.copyOf(text, MAX_CLOSE_REASON_BYTES);
        }
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return control(FrameParser.CLOSE, payload, masked);
    }

    static Close readClose(byte[] payload) {
        if (payload.length < 2) {
            return new Close(NO_STATUS, "");
        }
        short code = (short) (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
        return new Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** RFC 6455 7.4: 1005, 1006 and 1015 only describe a close locally and must never be sent. */
    static boolean isSendable(short code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static void appendLength(Buffer frame, int maskBit, long length) {
        if (length < 126) {
            frame.appendByte((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            frame.appendByte((byte) (maskBit | 126)).appendUnsignedShort((int) length);
        } else {
            frame.appendByte((byte) (maskBit | 127)).appendLong(length);
        }
    }
}
