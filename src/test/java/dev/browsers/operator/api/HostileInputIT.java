package dev.browsers.operator.api;

import static dev.browsers.operator.api.HostileRequests.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.RawHttp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "hostile input" report against the packaged jar in local mode, as {@code bin/run} starts it: bad ids,
 * bad bodies and requests over the HTTP limits get a 4xx JSON answer at once and neither create nor release
 * anything. Where it listens is {@link ApiBindingIT}.
 */
class HostileInputIT {
    static final Map<String, String> KEY =
            Map.of("steel-api-key", ApiConfig.WELL_KNOWN_LOCAL_KEY, "content-type", "application/json");
    static LocalOperatorProcess operator;
    static KubernetesClient kubernetes;
    static URI server;
    /** Live throughout; nothing a test sends may release it. */
    static String live;

    @BeforeAll
    static void start() throws Exception {
        operator = LocalOperatorProcess.start();
        kubernetes = operator.kubernetesClient();
        server = operator.httpUri("");
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                                .header("steel-api-key", ApiConfig.WELL_KNOWN_LOCAL_KEY)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 600000}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        live = new JsonObject(created.body()).getString("id");
    }

    @AfterAll
    static void stop() throws Exception {
        kubernetes.close();
        operator.close();
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badIds")
    void badIdIsA400AtOnceThatReleasesNothing(String method, String target) throws Exception {
        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.send(server, method, target, KEY);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(assertJsonError(answer, 400)).containsAnyOf("session id", "malformed path", "cursorId");
        assertThat(session(live).getSpec().getReleased()).isNull();
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badBodies")
    void badBodyIsA400NamingTheFieldThatCreatesNothing(byte[] body, String message) throws Exception {
        RawHttp.Answer answer = RawHttp.send(server, "POST", "/v1/sessions", KEY, body);

        assertThat(assertJsonError(answer, 400)).startsWith(message);
        assertThat(sessionNames()).containsExactly(live);
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        byte[] body =
                ("{\"timeout\": 60000" + " ".repeat(HostileRequests.BODY_LIMIT) + "}").getBytes(StandardCharsets.UTF_8);

        assertThat(assertJsonError(RawHttp.send(server, "POST", "/v1/sessions", KEY, body), 413))
                .isEqualTo("request body too large; the limit is 131072 bytes");
        assertThat(sessionNames()).containsExactly(live);
    }

    @Test
    void tenMebibyteSessionIdIsRefusedWithoutBeingEchoed() throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server,
                "POST",
                "/v1/sessions",
                KEY,
                HostileRequests.TEN_MIB_SESSION_ID.getBytes(StandardCharsets.UTF_8));

        assertJsonError(answer, 413);
        assertThat(answer.body()).doesNotContain("aaaa");
        assertThat(sessionNames()).containsExactly(live);
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        RawHttp.Answer answer = RawHttp.send(
                server, "GET", "/v1/sessions?cursorId=" + "a".repeat(HostileRequests.REQUEST_LINE_LIMIT), KEY);

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
                Map.of(
                        "steel-api-key",
                        ApiConfig.WELL_KNOWN_LOCAL_KEY,
                        "x-padding",
                        "a".repeat(HostileRequests.HEADER_LIMIT)));

        assertThat(assertJsonError(answer, 431))
                .startsWith("request headers too large:")
                .endsWith("the limit is 8192");
    }

    @Test
    void badPercentEscapeIs400() throws Exception {
        for (String target : List.of("/v1/sessions/%ZZ", "/v1/sessions/%ZZ/release", "/%ZZ")) {
            assertThat(assertJsonError(RawHttp.send(server, "POST", target, KEY), 400))
                    .as(target)
                    .startsWith("request URI is not valid: Malformed escape pair");
        }
        assertThat(session(live).getSpec().getReleased()).isNull();
    }

    @Test
    void unknownPathsAndMethodsAndMediaTypesAreJson() throws Exception {
        assertJsonError(RawHttp.send(server, "GET", "/nope", Map.of()), 404);
        assertJsonError(RawHttp.send(server, "DELETE", "/v1/sessions/" + live, KEY), 405);
        assertJsonError(
                RawHttp.send(
                        server,
                        "POST",
                        "/v1/sessions",
                        Map.of("steel-api-key", ApiConfig.WELL_KNOWN_LOCAL_KEY, "content-type", "text/plain"),
                        "timeout=1".getBytes(StandardCharsets.UTF_8)),
                415);
        assertThat(sessionNames()).containsExactly(live);
    }

    private static BrowserSession session(String name) {
        return kubernetes
                .resources(BrowserSession.class)
                .inNamespace("default")
                .withName(name)
                .get();
    }

    private static List<String> sessionNames() {
        return kubernetes.resources(BrowserSession.class).inNamespace("default").list().getItems().stream()
                .map(s -> s.getMetadata().getName())
                .toList();
    }
}
