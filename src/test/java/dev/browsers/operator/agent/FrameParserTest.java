package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames read as they arrive, in pieces of any size: passed on unchanged, unmasked, or answered. */
class FrameParserTest {
    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    /** Records what the parser hands out; passes data frames on or unmasks them, and takes control frames. */
    private static final class Recorder implements FrameParser.Listener {
        final FrameParser.Action dataAction;
        final ByteArrayOutputStream passed = new ByteArrayOutputStream();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        boolean lastPassEndedAtBoundary = true;

        Recorder(FrameParser.Action dataAction) {
            this.dataAction = dataAction;
        }

        @Override
        public FrameParser.Action header(FrameParser.Header header) {
            return header.isControl() ? FrameParser.Action.CONTROL : dataAction;
        }

        @Override
        public void pass(Buffer bytes, boolean atBoundary) {
            passed.writeBytes(bytes.getBytes());
            lastPassEndedAtBoundary = atBoundary;
        }

        @Override
        public void data(byte[] payload) {
            data.writeBytes(payload);
        }

        @Override
        public void control(FrameParser.Header header, byte[] payload) {
            events.add("control " + header.opcode() + " " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void frameEnd(FrameParser.Header header, FrameParser.Action action) {
            if (!header.isControl()) {
                events.add("end " + header.opcode() + " fin=" + header.fin() + " message=" + header.messageLength());
            }
        }

        @Override
        public void protocolError(String reason) {
            events.add("error " + reason);
        }
    }

    @Test
    void passedFramesComeOutByteForByteHoweverTheInputIsCut() {
        byte[] stream = concat(
                frame(0x1, true, text("{\"id\":1}"), true),
                frame(0x1, false, text("x".repeat(200)), true),
                frame(0x9, true, text("ping"), true),
                frame(0x0, true, text("y".repeat(70_000)), true),
                frame(0x2, true, new byte[0], true));
        byte[] dataOnly = concat(
                frame(0x1, true, text("{\"id\":1}"), true),
                frame(0x1, false, text("x".repeat(200)), true),
                frame(0x0, true, text("y".repeat(70_000)), true),
                frame(0x2, true, new byte[0], true));
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Recorder recorder = new Recorder(FrameParser.Action.PASS);
            FrameParser parser = new FrameParser(true, recorder);
            for (int at = 0; at < stream.length; ) {
                int piece = Math.min(stream.length - at, 1 + random.nextInt(round < 100 ? 16 : 100_000));
                parser.feed(Buffer.buffer().appendBytes(stream, at, piece));
                at += piece;
            }
            assertThat(recorder.passed.toByteArray()).isEqualTo(dataOnly);
            assertThat(recorder.lastPassEndedAtBoundary).isTrue();
            assertThat(parser.atBoundary()).isTrue();
            assertThat(recorder.events)
                    .containsExactly(
                            "end 1 fin=true message=8",
                            "end 1 fin=false message=200",
                            "control 9 ping",
                            "end 0 fin=true message=70200",
                            "end 2 fin=true message=0");
        }
    }

    @Test
    void dataFramesAreUnmaskedAcrossPieces() {
        String message = "{\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"" + "z".repeat(1000) + "\"}}";
        byte[] stream = frame(0x1, true, text(message), true);
        Recorder recorder = new Recorder(FrameParser.Action.DATA);
        FrameParser parser = new FrameParser(true, recorder);
        for (int at = 0; at < stream.length; at += 7) {
            parser.feed(Buffer.buffer().appendBytes(stream, at, Math.min(7, stream.length - at)));
        }
        assertThat(recorder.data.toString(StandardCharsets.UTF_8)).isEqualTo(message);
        assertThat(recorder.passed.size()).isZero();
    }

    @Test
    void aFrameCutInItsPayloadLeavesTheOutputMidFrame() {
        byte[] stream = frame(0x1, true, text("a".repeat(100)), false);
        Recorder recorder = new Recorder(FrameParser.Action.PASS);
        FrameParser parser = new FrameParser(false, recorder);
        parser.feed(Buffer.buffer().appendBytes(stream, 0, 50));
        assertThat(parser.atBoundary()).isFalse();
        assertThat(recorder.lastPassEndedAtBoundary).isFalse();
        parser.feed(Buffer.buffer().appendBytes(stream, 50, stream.length - 50));
        assertThat(parser.atBoundary()).isTrue();
        assertThat(recorder.passed.toByteArray()).isEqualTo(stream);
    }

    @Test
    void brokenStreamsAreProtocolErrors() {
        assertThat(errorOf(frame(0x1, true, text("x"), false), true)).contains("not masked");
        assertThat(errorOf(frame(0x1, true, text("x"), true), false)).contains("masked");
        assertThat(errorOf(frame(0x0, true, text("x"), true), true)).contains("continuation");
        assertThat(errorOf(frame(0x9, false, text("x"), true), true)).contains("control frame");
        assertThat(errorOf(frame(0x3, true, text("x"), true), true)).contains("unknown opcode 3");
        assertThat(errorOf(concat(frame(0x1, false, text("x"), true), frame(0x1, true, text("y"), true)), true))
                .contains("new message");
    }

    private static String errorOf(byte[] stream, boolean masked) {
        Recorder recorder = new Recorder(FrameParser.Action.PASS);
        new FrameParser(masked, recorder).feed(Buffer.buffer(stream));
        return recorder.events.stream()
                .filter(e -> e.startsWith("error"))
                .findFirst()
                .orElse("no error");
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
        Buffer frame = Buffer.buffer().appendByte((byte) ((fin ? 0x80 : 0) | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.appendByte((byte) (maskBit | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.appendByte((byte) (maskBit | 126)).appendUnsignedShort(payload.length);
        } else {
            frame.appendByte((byte) (maskBit | 127)).appendLong(payload.length);
        }
        byte[] body = payload.clone();
        if (masked) {
            frame.appendBytes(MASK);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= MASK[i & 3];
            }
        }
        return frame.appendBytes(body).getBytes();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
