package dev.browsers.operator.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds error answers: always JSON, and explicit about whether the SDK may retry. */
final class ApiErrors {
    /** The SDK obeys this header before its own rules (it would otherwise retry 408, 409, 429 and 5xx). */
    static final String SHOULD_RETRY = "x-should-retry";

    private ApiErrors() {}

    static Response response(int status, String message, boolean retryable) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(SHOULD_RETRY, String.valueOf(retryable))
                .entity(new ErrorBody(message))
                .build();
    }
}
