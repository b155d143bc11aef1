package dev.browsers.operator.api;

import jakarta.ws.rs.core.Response;

/**
 * A deliberate error answer of the API: a status and a message that says what was wrong. A retry of the
 * same request cannot succeed, so these always tell the SDK not to retry.
 */
public class ApiException extends RuntimeException {
    private final Response.Status status;

    public ApiException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Response.Status.BAD_REQUEST, message);
    }

    public static ApiException notFound(String sessionId) {
        return new ApiException(Response.Status.NOT_FOUND, "session " + sessionId + " not found");
    }
}
