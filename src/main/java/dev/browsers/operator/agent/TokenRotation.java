package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The token the agent accepts, which the operator may replace once ({@link AgentContract#TOKEN_PATH}): a warm pod of a
 * pool starts with the pool's token, and the session that claims it gets a token of its own. After the rotation the
 * pool token opens nothing, and the session token cannot be replaced — a client holding it may only confirm it, so it
 * cannot shut the operator out.
 */
final class TokenRotation {
    private static final Logger LOG = Logger.getLogger(TokenRotation.class.getName());

    /** The token in force and whether it is the first one (rotation still allowed). */
    private record Current(String token, TokenGuard guard, boolean initial) {}

    private final AtomicReference<Current> current;
    private final Runnable onRotated;

    /** @param onRotated run once the token changed, e.g. to close what the old token opened */
    TokenRotation(String initialToken, Runnable onRotated) {
        this.current = new AtomicReference<>(new Current(initialToken, new TokenGuard(initialToken), true));
        this.onRotated = onRotated;
    }

    /** How the token in force was presented; empty if it was not. */
    Optional<TokenGuard.Presented> check(String authorization, String rawQuery) {
        return current.get().guard().check(authorization, rawQuery);
    }

    String token() {
        return current.get().token();
    }

    /**
     * {@code PUT /token} with {"token": "..."}, authorized by the token in force. The body is small and announced, or
     * refused unread.
     */
    void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.PUT) {
            respond(request, 405, "only PUT sets the token");
            return;
        }
        Current presentedFor = current.get();
        if (presentedFor
                .guard()
                .check(request.getHeader(HttpHeaders.AUTHORIZATION), null)
                .isEmpty()) {
            LOG.info(() ->
                    "refused " + request.path() + " from " + request.remoteAddress() + ": missing or wrong token");
            request.response().putHeader("WWW-Authenticate", "Bearer");
            respond(request, 401, "missing or wrong token");
            return;
        }
        long bytes = contentLength(request);
        if (bytes < 0 || bytes > AgentContract.TOKEN_MAX_BYTES) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
            respond(
                    request,
                    bytes < 0 ? 411 : 413,
                    "the token request needs a Content-Length of at most " + AgentContract.TOKEN_MAX_BYTES + " bytes");
            return;
        }
        request.body().onComplete(body -> {
            if (body.failed()) {
                respond(request, 400, "cannot read the request: " + body.cause().getMessage());
                return;
            }
            String token;
            try {
                token = new JsonObject(body.result()).getString(AgentContract.TOKEN_FIELD);
            } catch (RuntimeException e) {
                respond(request, 400, "expected {\"" + AgentContract.TOKEN_FIELD + "\": a string}: " + e.getMessage());
                return;
            }
            if (token == null || token.isBlank() || token.length() > AgentContract.MAX_TOKEN_LENGTH) {
                respond(
                        request,
                        400,
                        AgentContract.TOKEN_FIELD + " must be a string of 1 to " + AgentContract.MAX_TOKEN_LENGTH
                                + " characters");
                return;
            }
            rotate(request, presentedFor, token);
        });
    }

    private void rotate(HttpServerRequest request, Current presentedFor, String token) {
        if (!presentedFor.initial()) {
            if (presentedFor.token().equals(token)) {
                respond(request, 200, "the token is in force");
            } else {
                respond(request, 409, "the token was already set; it cannot be replaced");
            }
            return;
        }
        Current rotated = new Current(token, new TokenGuard(token), false);
        if (!current.compareAndSet(presentedFor, rotated)) {
            respond(request, 409, "the token was already set; it cannot be replaced");
            return;
        }
        LOG.info("session token set; the previous token no longer opens anything");
        onRotated.run();
        respond(request, 200, "the token is in force");
    }

    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void respond(HttpServerRequest request, int status, String message) {
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("message", message).encode());
    }
}
