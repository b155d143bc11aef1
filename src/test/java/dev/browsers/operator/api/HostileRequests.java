package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The requests of the "hostile input" report, shared by the test against the mock API server and the one against
 * the packaged jar, and what every answer to them must look like.
 */
final class HostileRequests {
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
