package dev.browsers.operator.api;

import static dev.browsers.operator.api.HostileRequests.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "hostile input" report against the mock API server: bad ids, bad bodies and requests over the HTTP limits
 * get a 4xx JSON answer at once, and neither create nor release anything. {@link HostileInputIT} sends the same
 * to the packaged jar.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileInputTest extends ApiTestBase {
    @TestHTTPResource("/")
    URI server;

    /** Live before each test; nothing a test sends may release it. */
    String live;

    @BeforeEach
    void liveSession() {
        live = api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badIds")
    void badIdIsA400AtOnceThatReleasesNothing(String method, String target) throws Exception {
        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.send(
                server, method, target, Map.of("steel-api-key", api.key, "content-type", "application/json"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(assertJsonError(answer, 400)).containsAnyOf("session id", "malformed path", "cursorId");
        assertThat(sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.getSpec().getReleased()).isNull());
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badBodies")
    void badBodyIsA400NamingTheFieldThatCreatesNothing(byte[] body, String message) throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server,
                "POST",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"),
                body);

        assertThat(assertJsonError(answer, 400)).startsWith(message);
        assertThat(sessions()).extracting(s -> s.getMetadata().getName()).containsExactly(live);
    }

    @Test
    void bodyOverTheLimitIs413FromItsContentLength() throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server,
                "POST",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"),
                ("{\"timeout\": 60000" + " ".repeat(HostileRequests.BODY_LIMIT) + "}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(assertJsonError(answer, 413)).isEqualTo("request body too large; the limit is 131072 bytes");
        assertThat(answer.header("connection")).isEqualTo("close");
        assertThat(sessions()).hasSize(1);
    }

    /** Only counted while JAX-RS reads it, and answered by Quarkus, without a JSON body (see README). */
    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        RawHttp.Answer answer = RawHttp.sendChunked(
                server,
                "POST",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"),
                ("{\"timeout\": 60000" + " ".repeat(HostileRequests.BODY_LIMIT) + "}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(sessions()).hasSize(1);
    }

    @Test
    void chunkedBodyWithinTheLimitIsRead() throws Exception {
        RawHttp.Answer answer = RawHttp.sendChunked(
                server,
                "POST",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"),
                ("{\"timeout\": 60000" + " ".repeat(HostileRequests.BODY_LIMIT - 100) + "}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(sessions()).hasSize(2);
    }

    @Test
    void tenMebibyteSessionIdIsRefusedWithoutBeingEchoed() throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server,
                "POST",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"),
                HostileRequests.TEN_MIB_SESSION_ID.getBytes(StandardCharsets.UTF_8));

        assertJsonError(answer, 413);
        assertThat(answer.body()).doesNotContain("aaaa");
        assertThat(sessions()).hasSize(1);
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        String target = "/v1/sessions?cursorId=" + "a".repeat(HostileRequests.REQUEST_LINE_LIMIT);

        RawHttp.Answer answer = RawHttp.send(server, "GET", target, Map.of("steel-api-key", api.key));

        assertThat(assertJsonError(answer, 414))
                .startsWith("request line too long:")
                .endsWith("the limit is 4096");
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server,
                "GET",
                "/v1/sessions",
                Map.of("steel-api-key", api.key, "x-padding", "a".repeat(HostileRequests.HEADER_LIMIT)));

        assertThat(assertJsonError(answer, 431))
                .startsWith("request headers too large:")
                .endsWith("the limit is 8192");
    }

    @Test
    void badPercentEscapeIs400() throws Exception {
        for (String target :
                List.of("/v1/sessions/%ZZ", "/v1/sessions/%ZZ/release", "/%ZZ", "/v1/sessions?cursorId=%G1")) {
            RawHttp.Answer answer = RawHttp.send(server, "GET", target, Map.of("steel-api-key", api.key));

            assertThat(assertJsonError(answer, 400))
                    .as(target)
                    .startsWith("request URI is not valid: Malformed escape pair");
        }
    }

    @Test
    void unknownPathsOutsideTheApiAre404Json() throws Exception {
        for (String target : List.of("/nope", "/q/nope", "/v2/sessions")) {
            assertJsonError(RawHttp.send(server, "GET", target, Map.of()), 404);
        }
    }

    private List<BrowserSession> sessions() {
        return client.resources(BrowserSession.class)
                .inNamespace(api.namespace)
                .list()
                .getItems();
    }
}
