package dev.browsers.operator.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The top-level routing fields of one CDP message ({@code id}, {@code method}, {@code sessionId}) and where they sit
 * in its bytes, found with Jackson's streaming parser: a screenshot of tens of megabytes is scanned once, never
 * built into a tree or a string, and the session id is added or removed by splicing bytes.
 *
 * @param id the top-level {@code id}, or null (an event, or a malformed command)
 * @param method the top-level {@code method}, or null (a response)
 * @param sessionId the top-level {@code sessionId}, or null
 */
record CdpEnvelope(
        Long id,
        String method,
        String sessionId,
        int objectStart,
        boolean hasMembers,
        int sessionIdStart,
        int sessionIdEnd) {

    /** Chromium nests DOM trees deeply and sends strings of many megabytes: no limits but the message's own size. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    /** A message that is not one JSON object, or has a routing field twice or of the wrong type. */
    static final class MalformedMessage extends Exception {
        MalformedMessage(String message) {
            super(message, null, false, false);
        }
    }

    /** Scans a whole message. */
    static CdpEnvelope scan(byte[] message) throws MalformedMessage {
        try (JsonParser parser = JSON.createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedMessage("not a JSON object");
            }
            int objectStart = (int) parser.currentTokenLocation().getByteOffset();
            Long id = null;
            String method = null;
            String sessionId = null;
            int sessionIdStart = -1;
            int sessionIdEnd = -1;
            boolean hasMembers = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                hasMembers = true;
                String name = parser.currentName();
                int nameStart = (int) parser.currentTokenLocation().getByteOffset();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "id" -> {
                        if (id != null || value != JsonToken.VALUE_NUMBER_INT) {
                            throw new MalformedMessage("id twice or not an integer");
                        }
                        id = parser.getLongValue();
                    }
                    case "method" -> {
                        if (method != null || value != JsonToken.VALUE_STRING) {
                            throw new MalformedMessage("method twice or not a string");
                        }
                        method = parser.getText();
                    }
                    case "sessionId" -> {
                        if (sessionId != null || value != JsonToken.VALUE_STRING) {
                            throw new MalformedMessage("sessionId twice or not a string");
                        }
                        sessionId = parser.getText();
                        sessionIdStart = nameStart;
                        // The whole string has been read, so the parser stands just past its closing quote.
                        sessionIdEnd = (int) parser.currentLocation().getByteOffset();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MalformedMessage("not a single JSON object");
            }
            return new CdpEnvelope(id, method, sessionId, objectStart, hasMembers, sessionIdStart, sessionIdEnd);
        } catch (IOException e) {
            throw new MalformedMessage("not JSON: " + reason(e));
        }
    }

    /**
     * {@code params.sessionId} of a {@code Target.attachedToTarget} or {@code Target.detachedFromTarget} event (small
     * messages), or null.
     */
    static String paramsSessionId(byte[] message) throws MalformedMessage {
        try (JsonParser parser = JSON.createParser(message)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("params") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_STRING && field.equals("sessionId")) {
                            return parser.getText();
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new MalformedMessage("not JSON: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
    }

    /** The message with {@code "sessionId":"<id>"} as its first member; this envelope must have no session id. */
    byte[] withSessionId(byte[] message, String id) {
        byte[] member = ("\"sessionId\":" + quote(id) + (hasMembers ? "," : "")).getBytes(StandardCharsets.UTF_8);
        int at = objectStart + 1;
        byte[] result = new byte[message.length + member.length];
        System.arraycopy(message, 0, result, 0, at);
        System.arraycopy(member, 0, result, at, member.length);
        System.arraycopy(message, at, result, at + member.length, message.length - at);
        return result;
    }

    /** The message without its top-level session id member (and the comma that separated it). */
    byte[] withoutSessionId(byte[] message) {
        int from = sessionIdStart;
        int to = sessionIdEnd;
        int before = skipWhitespaceBack(message, from - 1);
        if (message[before] == ',') {
            from = before;
        } else {
            int after = skipWhitespace(message, to);
            if (message[after] == ',') {
                to = after + 1;
            }
        }
        byte[] result = new byte[message.length - (to - from)];
        System.arraycopy(message, 0, result, 0, from);
        System.arraycopy(message, to, result, from, message.length - to);
        return result;
    }

    private static int skipWhitespace(byte[] bytes, int i) {
        while (isWhitespace(bytes[i])) {
            i++;
        }
        return i;
    }

    private static int skipWhitespaceBack(byte[] bytes, int i) {
        while (isWhitespace(bytes[i])) {
            i--;
        }
        return i;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** A JSON string literal; session ids are hex in practice, but nothing a client sends is trusted to be. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
