package dev.browsers.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** A create request checked field by field; every rejection names the field, the value and what is allowed. */
record SessionRequest(
        Optional<String> sessionId,
        Duration timeout,
        Optional<Duration> inactivityTimeout,
        Optional<Dimensions> dimensions,
        Optional<String> userAgent,
        boolean blockAds,
        Optional<ProxyUrl> proxy,
        Optional<String> sessionContext) {

    /**
     * @param parsed empty for an empty body
     * @param defaultTimeout used when timeout is omitted
     */
    static SessionRequest validate(Optional<CreateSessionBody> parsed, Duration defaultTimeout, Duration maxTimeout) {
        if (parsed.isEmpty()) {
            return new SessionRequest(
                    Optional.empty(),
                    defaultTimeout,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    Optional.empty());
        }
        CreateSessionBody body = parsed.get();
        if (!body.unknownFields().isEmpty()) {
            throw ApiException.badRequest("unknown field "
                    + ApiErrors.quoted(body.unknownFields().get(0))
                    + ": not a field of Steel's SessionCreateParams; accepted: " + CreateSessionBody.acceptedFields());
        }
        RefusedOptions.check(body.refusedOptions());
        return new SessionRequest(
                present(body.sessionId).map(SessionRequest::sessionId),
                present(body.timeout)
                        .map(v -> milliseconds("timeout", v, maxTimeout))
                        .orElse(defaultTimeout),
                present(body.inactivityTimeout).map(v -> milliseconds("inactivityTimeout", v, maxTimeout)),
                present(body.dimensions).map(SessionRequest::dimensions),
                present(body.userAgent).map(SessionRequest::userAgent),
                present(body.blockAds).map(v -> bool("blockAds", v)).orElse(false),
                present(body.proxyUrl).map(ProxyUrl::parse),
                present(body.sessionContext).flatMap(SessionContextBody::validate));
    }

    private static Optional<JsonNode> present(JsonNode node) {
        return Optional.ofNullable(node).filter(n -> !n.isNull());
    }

    private static String sessionId(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.badRequest("sessionId: " + shown(value) + " is not a string; " + SessionIds.ALLOWED);
        }
        return SessionIds.require("sessionId", value.asText());
    }

    private static Duration milliseconds(String field, JsonNode value, Duration max) {
        String allowed = "; allowed: a whole number of milliseconds from 1 to " + max.toMillis() + " ("
                + GoDuration.format(max) + ")";
        return Duration.ofMillis(whole(field, value, 1, max.toMillis(), allowed));
    }

    private static Dimensions dimensions(JsonNode value) {
        if (!value.isObject()) {
            throw ApiException.badRequest("dimensions: " + shown(value) + " is not an object; allowed: "
                    + "{\"width\": w, \"height\": h} with whole numbers of pixels, width from " + Dimensions.MIN_WIDTH
                    + " to " + Dimensions.MAX_WIDTH + ", height from " + Dimensions.MIN_HEIGHT + " to "
                    + Dimensions.MAX_HEIGHT);
        }
        return new Dimensions(
                (int) whole("dimensions.width", value.get("width"), Dimensions.MIN_WIDTH, Dimensions.MAX_WIDTH),
                (int) whole("dimensions.height", value.get("height"), Dimensions.MIN_HEIGHT, Dimensions.MAX_HEIGHT));
    }

    private static String userAgent(JsonNode value) {
        String allowed = "; allowed: 1 to " + BrowserSessionSpec.MAX_USER_AGENT_LENGTH + " printable ASCII characters";
        if (!value.isTextual()) {
            throw ApiException.badRequest("userAgent: " + shown(value) + " is not a string" + allowed);
        }
        String text = value.asText();
        if (text.isEmpty()
                || text.length() > BrowserSessionSpec.MAX_USER_AGENT_LENGTH
                || !text.matches(BrowserSessionSpec.USER_AGENT_PATTERN)) {
            throw ApiException.badRequest("userAgent: " + shown(value) + " is not allowed" + allowed);
        }
        return text;
    }

    private static boolean bool(String field, JsonNode value) {
        if (!value.isBoolean()) {
            throw ApiException.badRequest(field + ": " + shown(value) + " is not a boolean; allowed: true or false");
        }
        return value.asBoolean();
    }

    private static long whole(String field, JsonNode value, long min, long max) {
        return whole(field, value, min, max, "; allowed: a whole number of pixels from " + min + " to " + max);
    }

    /** A JSON number with no fraction, from min to max. */
    private static long whole(String field, JsonNode value, long min, long max, String allowed) {
        if (value == null || value.isNull()) {
            throw ApiException.badRequest(field + ": missing" + allowed);
        }
        if (!value.isNumber()) {
            throw ApiException.badRequest(field + ": " + shown(value) + " is not a number" + allowed);
        }
        BigDecimal number = value.decimalValue();
        if (number.stripTrailingZeros().scale() > 0) {
            throw ApiException.badRequest(field + ": " + shown(value) + " is not a whole number" + allowed);
        }
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiException.badRequest(field + ": " + shown(value) + " is out of range" + allowed);
        }
        return number.longValueExact();
    }

    private static String shown(JsonNode value) {
        return value.isTextual() ? ApiErrors.quoted(value.asText()) : ApiErrors.shown(value.toString());
    }
}
