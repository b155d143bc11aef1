package dev.browsers.operator.api;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a request body strictly: one JSON object and nothing after it, no key twice, and every number exactly
 * as written (a fraction is a BigDecimal, so 1e400 is a number out of range rather than Infinity). A rejection
 * names where in the body the problem is and repeats at most a short prefix of what was there.
 */
final class StrictJson {
    /** Create bodies are flat; deep nesting is only ever an attempt to exhaust the parser. */
    static final int MAX_NESTING_DEPTH = 16;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .errorReportConfiguration(ErrorReportConfiguration.builder()
                            .maxErrorTokenLength(ApiErrors.SHOWN_CHARACTERS)
                            .maxRawContentLength(0)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Pattern START_MARKER = Pattern.compile(" \\(start marker at \\[Source: .*\\]\\)$");

    private StrictJson() {}

    /** @return empty when the body is empty or only whitespace */
    static Optional<ObjectNode> object(byte[] body) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            try {
                return object(parser);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("request body is not valid JSON" + where(parser) + ": "
                        + withoutSource(e.getOriginalMessage()));
            } catch (NumberFormatException e) {
                // What the parser throws, unwrapped, for an exponent beyond an int, such as 1e2147483648.
                throw ApiException.badRequest(
                        "request body" + where(parser) + ": a number beyond what can be represented");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array", e);
        }
    }

    /**
     * Jackson names where an unclosed object or array began as a location in its source, which reads as its internals
     * ("[Source: REDACTED ..."); the message already says where the body broke off.
     */
    private static String withoutSource(String message) {
        return START_MARKER.matcher(message).replaceFirst("");
    }

    private static Optional<ObjectNode> object(JsonParser parser) throws IOException {
        JsonNode value = MAPPER.readTree(parser);
        if (value == null) {
            return Optional.empty();
        }
        if (parser.nextToken() != null) {
            throw ApiException.badRequest("request body: unexpected data after the JSON value, at byte "
                    + parser.currentTokenLocation().getByteOffset());
        }
        if (!value.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object (or empty), not "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of((ObjectNode) value);
    }

    static <T> T convert(ObjectNode object, Class<T> type) {
        return MAPPER.convertValue(object, type);
    }

    /** The field being read when parsing failed, as in the API's other messages: {@code dimensions.width}. */
    private static String where(JsonParser parser) {
        JsonPointer pointer = parser.getParsingContext().pathAsPointer();
        String field = pointer.toString().replaceFirst("^/", "").replace('/', '.');
        return field.isEmpty() ? "" : " (at " + ApiErrors.shown(field) + ")";
    }
}
