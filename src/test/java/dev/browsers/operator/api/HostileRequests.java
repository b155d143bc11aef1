package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The requests of the "hostile input" report, shared by the test against the mock API server and the one against
 * the packaged jar, and what every answer to them must look like.
 */
final class HostileRequests {
    static final int BODY_LIMIT = 128 * 1024;
    static final int REQUEST_LINE_LIMIT = 4096;
    static final int HEADER_LIMIT = 8 * 1024;
    static final String TEN_MIB_SESSION_ID = "{\"sessionId\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}";

    private HostileRequests() {}

    /** Method and request target, exactly as sent; none may reach the Kubernetes API or release anything. */
    static Stream<Arguments> badIds() {
        return Stream.of(
                Arguments.of("POST", "/v1/sessions//release"),
                Arguments.of("GET", "/v1/sessions/"),
                Arguments.of("GET", "/v1/sessions/x%3Fwatch%3Dtrue"),
                Arguments.of("POST", "/v1/sessions/x%3Fwatch%3Dtrue/release"),
                Arguments.of("GET", "/v1/sessions/..%2F..%2Fteam-b%2Fx"),
                Arguments.of("POST", "/v1/sessions/..%2F..%2Fteam-b%2Fx/release"),
                Arguments.of("GET", "/v1/sessions/a%2Fb"),
                Arguments.of("GET", "/v1/sessions/%C3%A9t%C3%A9"),
                Arguments.of("POST", "/v1/sessions/%C3%A9t%C3%A9/release"),
                Arguments.of("GET", "/v1/sessions/" + "a".repeat(64)),
                Arguments.of("POST", "/v1/sessions/" + "a".repeat(64) + "/release"),
                Arguments.of("GET", "/v1/sessions/Checkout-1"),
                Arguments.of("POST", "/v1/sessions/x/../release"),
                Arguments.of("POST", "/v1/sessions/%2e%2e/release"),
                Arguments.of("GET", "/v1/sessions?cursorId=..%2Fteam-b"));
    }

    /** A create body and how the 400's message starts: it names the field when there is one. */
    static Stream<Arguments> badBodies() {
        return Stream.of(
                body("{\"timeout\": 60000}garbage", "request body is not valid JSON: Unrecognized token 'garbage'"),
                body(
                        "{\"timeout\": 60000}\u0000",
                        "request body is not valid JSON: Illegal character ((CTRL-CHAR, code 0))"),
                body("{\"timeout\": 60000} {}", "request body: unexpected data after the JSON value"),
                body("null", "request body must be a JSON object (or empty), not null"),
                body("[1]", "request body must be a JSON object (or empty), not array"),
                body("\"str\"", "request body must be a JSON object (or empty), not string"),
                body("{\"timeout\": 1e400}", "timeout: 1E+400 is out of range"),
                body("{\"inactivityTimeout\": 1e400}", "inactivityTimeout: 1E+400 is out of range"),
                body(
                        "{\"dimensions\": {\"width\": 1e400, \"height\": 600}}",
                        "dimensions.width: 1E+400 is out of range"),
                body(
                        "{\"dimensions\": {\"width\": 800, \"height\": 1e400}}",
                        "dimensions.height: 1E+400 is out of range"),
                body("{\"timeout\": 1e20}", "timeout: 1E+20 is out of range"),
                body("{\"timeout\": 100000000000000000000}", "timeout: 100000000000000000000 is out of range"),
                body("{\"timeout\": 1.5}", "timeout: 1.5 is not a whole number"),
                body("{\"timeout\": -1}", "timeout: -1 is out of range"),
                body("{\"timeout\": -0}", "timeout: 0 is out of range"),
                body("{\"inactivityTimeout\": -0.0}", "inactivityTimeout: 0"),
                body(
                        "{\"timeout\": 1e2147483648}",
                        "request body (at timeout): a number beyond what can be represented"),
                body(
                        "{\"timeout\": " + "9".repeat(1001) + "}",
                        "request body is not valid JSON (at timeout): Number value length"),
                body(
                        "{\"timeout\": 1000, \"timeout\": 2000}",
                        "request body is not valid JSON (at timeout): Duplicate field 'timeout'"),
                body(
                        "{\"sessionContext\": " + "[".repeat(40) + "]".repeat(40) + "}",
                        "request body is not valid JSON (at sessionContext"),
                body(
                        "{\"sessionId\": \"" + "a".repeat(60_000) + "\"}",
                        "sessionId: \"" + "a".repeat(ApiErrors.SHOWN_CHARACTERS)
                                + "…\" (60000 characters) is not a valid session id"));
    }

    private static Arguments body(String json, String message) {
        return Arguments.of(json.getBytes(StandardCharsets.UTF_8), message);
    }

    /** JSON with a message, never to be retried, repeating no more than a short prefix of anything sent. */
    static String assertJsonError(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("content-type")).startsWith("application/json");
        assertThat(answer.header(ApiErrors.SHOULD_RETRY)).isEqualTo("false");
        String message = new JsonObject(answer.body()).getString("message");
        assertThat(message).isNotBlank().hasSizeLessThan(400);
        return message;
    }
}
