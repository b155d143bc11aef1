package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One live viewer's WebSocket: frames and the tab list go out ({@link Screencast}); the viewer's window size, tab
 * choice and (when interactive) mouse, wheel, keys and pasted text come in, checked field by field and sent to the
 * shown tab with {@code Input.*}. Input is activity, exactly as a client's CDP command; watching is not. A message
 * that breaks the rules, or input to a watch-only viewer, closes the socket with 1008 and a reason naming the field.
 * Runs on the agent's context.
 */
final class ViewerSocket implements Screencast.Screen {
    private static final Logger LOG = Logger.getLogger(ViewerSocket.class.getName());
    static final short POLICY_VIOLATION = 1008;
    static final short UNSUPPORTED_DATA = 1003;
    /** The largest frame side asked of Chromium, in device pixels: beyond a 4K screen. */
    static final int MAX_FRAME_SIDE = 4096;

    private static final int MAX_WINDOW_SIDE = 100_000;
    private static final double MAX_COORDINATE = 1_000_000;
    private static final int MAX_KEY_LENGTH = 64;
    private static final int MAX_KEY_TEXT_LENGTH = 16;
    private static final Set<String> MOUSE_EVENTS = Set.of("mousePressed", "mouseReleased", "mouseMoved");
    private static final Set<String> BUTTONS = Set.of("none", "left", "middle", "right", "back", "forward");
    private static final Set<String> KEY_EVENTS = Set.of("keyDown", "keyUp");

    private final boolean interactive;
    private final ActivityClock activity;
    private ClientSocket client;
    private Screencast cast;
    private ByteArrayOutputStream receiving;

    /** @param interactive false: watch-only, every input message is refused */
    ViewerSocket(boolean interactive, ActivityClock activity) {
        this.interactive = interactive;
        this.activity = activity;
    }

    /** Serves the upgraded viewer; {@code onClosed} runs once, when its connection is closed. */
    void start(ClientSocket client, Screencast cast, Runnable onClosed) {
        this.client = client;
        this.cast = cast;
        client.start(new Inbound(), () -> {
            cast.close();
            onClosed.run();
        });
        send(new JsonObject().put("type", "hello").put("interactive", interactive));
        cast.sendTabs();
    }

    @Override
    public Future<Void> send(JsonObject message) {
        return client == null
                ? Future.succeededFuture()
                : client.writeText(message.toBuffer().getBytes());
    }

    @Override
    public void ended(String reason) {
        if (client != null) {
            client.close(WebSocketFrames.GOING_AWAY, reason);
        }
    }

    /** The agent is stopping. */
    void close() {
        ended("the session agent is stopping");
    }

    private final class Inbound implements ClientSocket.Inbound {
        @Override
        public FrameParser.Action dataFrame(FrameParser.Header header) {
            if (header.firstOfMessage()) {
                if (header.opcode() != FrameParser.TEXT) {
                    refuse(UNSUPPORTED_DATA, "the viewer takes text messages only");
                    return FrameParser.Action.SKIP;
                }
                receiving = new ByteArrayOutputStream();
            }
            return receiving == null ? FrameParser.Action.SKIP : FrameParser.Action.DATA;
        }

        @Override
        public void data(byte[] payload) {
            receiving.writeBytes(payload);
        }

        @Override
        public void dataFrameEnd(FrameParser.Header header) {
            if (header.fin() && receiving != null) {
                String text = receiving.toString(StandardCharsets.UTF_8);
                receiving = null;
                try {
                    handle(text);
                } catch (BadMessage e) {
                    refuse(POLICY_VIOLATION, e.getMessage());
                }
            }
        }
    }

    private void refuse(short code, String reason) {
        LOG.info(() -> "closing the viewer of " + client.remoteAddress() + ": " + reason);
        client.close(code, reason);
    }

    private void handle(String text) throws BadMessage {
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new BadMessage("a message must be a JSON object");
        }
        String type = string(message, "type", 16, true);
        switch (type) {
            case "resize" -> {
                double ratio = number(message, "dpr", 0.25, 8, 1);
                int width = integer(message, "width", 1, MAX_WINDOW_SIDE, null);
                int height = integer(message, "height", 1, MAX_WINDOW_SIDE, null);
                cast.resize((int) Math.min(MAX_FRAME_SIDE, Math.round(width * ratio)), (int)
                        Math.min(MAX_FRAME_SIDE, Math.round(height * ratio)));
            }
            case "tab" -> {
                String targetId = string(message, "targetId", 64, true);
                if (!cast.hasTab(targetId)) {
                    throw new BadMessage("targetId: no such tab");
                }
                if (interactive) {
                    activity.input();
                }
                cast.show(targetId, interactive);
            }
            case "mouse", "wheel", "key", "text" -> {
                if (!interactive) {
                    throw new BadMessage("this viewer is watch-only (interactive=false): input is refused");
                }
                input(type, message);
            }
            default -> throw new BadMessage("type: unknown message type " + type);
        }
    }

    private void input(String type, JsonObject message) throws BadMessage {
        String method;
        JsonObject params;
        switch (type) {
            case "mouse" -> {
                method = "Input.dispatchMouseEvent";
                params = new JsonObject()
                        .put("type", oneOf(message, "event", MOUSE_EVENTS))
                        .put("x", number(message, "x", -MAX_COORDINATE, MAX_COORDINATE, null))
                        .put("y", number(message, "y", -MAX_COORDINATE, MAX_COORDINATE, null))
                        .put("button", message.containsKey("button") ? oneOf(message, "button", BUTTONS) : "none")
                        .put("buttons", integer(message, "buttons", 0, 31, 0))
                        .put("clickCount", integer(message, "clickCount", 0, 3, 0))
                        .put("modifiers", integer(message, "modifiers", 0, 15, 0));
            }
            case "wheel" -> {
                method = "Input.dispatchMouseEvent";
                params = new JsonObject()
                        .put("type", "mouseWheel")
                        .put("x", number(message, "x", -MAX_COORDINATE, MAX_COORDINATE, null))
                        .put("y", number(message, "y", -MAX_COORDINATE, MAX_COORDINATE, null))
                        .put("deltaX", number(message, "deltaX", -MAX_COORDINATE, MAX_COORDINATE, 0))
                        .put("deltaY", number(message, "deltaY", -MAX_COORDINATE, MAX_COORDINATE, 0))
                        .put("modifiers", integer(message, "modifiers", 0, 15, 0));
            }
            case "key" -> {
                String event = oneOf(message, "event", KEY_EVENTS);
                String keyText = message.containsKey("text") ? string(message, "text", MAX_KEY_TEXT_LENGTH, false) : "";
                int keyCode = integer(message, "keyCode", 0, 255, 0);
                method = "Input.dispatchKeyEvent";
                // A key that types goes down as keyDown with its text; any other (arrows, shortcuts) as rawKeyDown.
                params = new JsonObject()
                        .put("type", event.equals("keyUp") ? "keyUp" : keyText.isEmpty() ? "rawKeyDown" : "keyDown")
                        .put("key", string(message, "key", MAX_KEY_LENGTH, true))
                        .put("code", message.containsKey("code") ? string(message, "code", MAX_KEY_LENGTH, false) : "")
                        .put("windowsVirtualKeyCode", keyCode)
                        .put("nativeVirtualKeyCode", keyCode)
                        .put("modifiers", integer(message, "modifiers", 0, 15, 0))
                        .put("location", integer(message, "location", 0, 3, 0))
                        .put("autoRepeat", Boolean.TRUE.equals(message.getValue("autoRepeat")));
                if (!keyText.isEmpty() && !event.equals("keyUp")) {
                    params.put("text", keyText).put("unmodifiedText", keyText);
                }
            }
            default -> {
                method = "Input.insertText";
                params = new JsonObject().put("text", string(message, "text", Viewer.MAX_INPUT_BYTES, true));
            }
        }
        activity.input();
        cast.input(method, params);
    }

    /** A viewer message that breaks the rules; its text names the field and becomes the close reason. */
    private static final class BadMessage extends Exception {
        BadMessage(String message) {
            super(message, null, false, false);
        }
    }

    private static String string(JsonObject message, String field, int maxLength, boolean required) throws BadMessage {
        Object value = message.getValue(field);
        if (!(value instanceof String text) || (required && text.isEmpty())) {
            throw new BadMessage(field + ": must be a" + (required ? " non-empty" : "") + " string");
        }
        if (text.length() > maxLength) {
            throw new BadMessage(field + ": at most " + maxLength + " characters");
        }
        return text;
    }

    private static String oneOf(JsonObject message, String field, Set<String> allowed) throws BadMessage {
        Object value = message.getValue(field);
        if (!(value instanceof String text) || !allowed.contains(text)) {
            throw new BadMessage(field + ": must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        return text;
    }

    private static double number(JsonObject message, String field, double min, double max, Number absent)
            throws BadMessage {
        Object value = message.getValue(field);
        if (value == null && absent != null) {
            return absent.doubleValue();
        }
        if (!(value instanceof Number number)
                || !Double.isFinite(number.doubleValue())
                || number.doubleValue() < min
                || number.doubleValue() > max) {
            throw new BadMessage(field + ": must be a number from " + min + " to " + max);
        }
        return number.doubleValue();
    }

    private static int integer(JsonObject message, String field, int min, int max, Integer absent) throws BadMessage {
        Object value = message.getValue(field);
        if (value == null && absent != null) {
            return absent;
        }
        if (!(value instanceof Integer || value instanceof Long)
                || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new BadMessage(field + ": must be a whole number from " + min + " to " + max);
        }
        return ((Number) value).intValue();
    }
}
