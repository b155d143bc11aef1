package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /token} on a real agent: the operator replaces a warm pod's pool token by the session's, once. No browser
 * is needed: a request the token lets through reaches for the browser and gets 502, one it stops gets 401.
 */
class TokenRotationTest {
    static final String POOL_TOKEN = "pool-token-0123456789";
    static final String SESSION_TOKEN = "session-token-9876543210";

    final HttpClient http = HttpClient.newHttpClient();
    Vertx vertx;
    SessionAgent agent;
    String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        int noBrowser;
        // A port nobody listens on: the browser is never reached.
        try (ServerSocket socket = new ServerSocket(0)) {
            noBrowser = socket.getLocalPort();
        }
        agent = new SessionAgent(vertx, AgentOptions.defaults(noBrowser, POOL_TOKEN));
        int port = agent.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() throws Exception {
        agent.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void thePoolTokenIsReplacedOnceAndThenOpensNothing() throws Exception {
        assertThat(status(get("/json/version", POOL_TOKEN))).isEqualTo(502);
        assertThat(status(get("/json/version", SESSION_TOKEN))).isEqualTo(401);

        HttpResponse<String> rotated = put(POOL_TOKEN, body(SESSION_TOKEN));
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(rotated.headers().firstValue("content-type")).contains("application/json");

        assertThat(status(get("/json/version", POOL_TOKEN))).isEqualTo(401);
        assertThat(status(get("/activity", POOL_TOKEN))).isEqualTo(401);
        assertThat(status(get("/json/version", SESSION_TOKEN))).isEqualTo(502);
        assertThat(status(get("/activity", SESSION_TOKEN))).isEqualTo(200);
        // By query too, as clients present it in the CDP URL.
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/activity?token=" + SESSION_TOKEN))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);

        // The pool token cannot come back, and the session token cannot be replaced: only confirmed.
        assertThat(put(POOL_TOKEN, body("pool-token-again")).statusCode()).isEqualTo(401);
        HttpResponse<String> replaced = put(SESSION_TOKEN, body("a-token-the-client-chose"));
        assertThat(replaced.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(replaced.body()).getString("message")).contains("cannot be replaced");
        assertThat(put(SESSION_TOKEN, body(SESSION_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(status(get("/activity", SESSION_TOKEN))).isEqualTo(200);
    }

    @Test
    void badRequestsAreRefusedWithJsonNamingWhatIsWrong() throws Exception {
        assertThat(put("wrong", body(SESSION_TOKEN)).statusCode()).isEqualTo(401);
        assertThat(status(get("/token", POOL_TOKEN))).isEqualTo(405);
        HttpResponse<String> notJson = put(POOL_TOKEN, "not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(put(POOL_TOKEN, "{}").body()).getString("message"))
                .contains("token must be a string of 1 to 256 characters");
        assertThat(put(POOL_TOKEN, body("x".repeat(257))).statusCode()).isEqualTo(400);
        HttpResponse<String> tooLong = put(POOL_TOKEN, body("x".repeat(600)));
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(tooLong.body()).getString("message")).contains("at most 512 bytes");
        // Nothing of the above took: the pool token still works.
        assertThat(status(get("/json/version", POOL_TOKEN))).isEqualTo(502);
    }

    static String body(String token) {
        return new JsonObject().put("token", token).encode();
    }

    HttpResponse<String> put(String bearer, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/token"))
                        .header("Authorization", "Bearer " + bearer)
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int status(HttpResponse<?> response) {
        return response.statusCode();
    }
}
