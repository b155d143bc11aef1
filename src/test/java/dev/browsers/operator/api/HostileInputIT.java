package dev.browsers.operator.api;

import static dev.browsers.operator.api.HostileRequests.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.RawHttp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "hostile input" report against the packaged jar in local mode, as {@code bin/run} starts it: bad ids and
 * bad bodies get a 4xx JSON answer at once and neither create nor release anything. Where it listens is
 * {@link ApiBindingIT}.
 */
class HostileInputIT {
    static final Map<String, String> KEY = Map.of("steel-api-key", LocalApiKey.WELL_KNOWN_KEY,
            "content-type", "application/json");
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
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(operator.httpUri("/v1/sessions"))
                .header("steel-api-key", LocalApiKey.WELL_KNOWN_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 600000}")).build(),
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

    private static BrowserSession session(String name) {
        return kubernetes.resources(BrowserSession.class).inNamespace("default").withName(name).get();
    }

    private static List<String> sessionNames() {
        return kubernetes.resources(BrowserSession.class).inNamespace("default").list().getItems().stream()
                .map(s -> s.getMetadata().getName()).toList();
    }
}
