package dev.browsers.operator.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds error answers: always JSON, and explicit about whether the SDK may retry. */
final class ApiErrors {
    /** The SDK obeys this header before its own rules (it would otherwise retry 408, 409, 429 and 5xx). */
    static final String SHOULD_RETRY = "x-should-retry";
    /** How much of a value a client sent an error message repeats: enough to recognise it, never a whole upload. */
    static final int SHOWN_CHARACTERS = 64;

    private ApiErrors() {}

    static Response response(int status, String message, boolean retryable) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(SHOULD_RETRY, String.valueOf(retryable))
                .entity(new ErrorBody(message))
                .build();
    }

    /** The same answer from a Vert.x route, for requests that never reach JAX-RS. */
    static void respond(RoutingContext context, int status, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader(SHOULD_RETRY, "false")
                .end(new JsonObject().put("message", message).encode());
    }

    /** A value from the request as an error message shows it: its first characters, and its length when cut. */
    static String shown(String value) {
        return value.length() <= SHOWN_CHARACTERS ? value : prefix(value) + "… (" + value.length() + " characters)";
    }

    /** {@link #shown} in double quotes, for values that are strings. */
    static String quoted(String value) {
        return value.length() <= SHOWN_CHARACTERS
                ? "\"" + value + "\""
                : "\"" + prefix(value) + "…\" (" + value.length() + " characters)";
    }

    private static String prefix(String value) {
        // Never ends between the two halves of a surrogate pair.
        return value.substring(
                0,
                Character.isHighSurrogate(value.charAt(SHOWN_CHARACTERS - 1))
                        ? SHOWN_CHARACTERS - 1
                        : SHOWN_CHARACTERS);
    }
}
