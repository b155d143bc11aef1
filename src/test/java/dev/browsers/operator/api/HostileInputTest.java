package dev.browsers.operator.api;

import static dev.browsers.operator.api.HostileRequests.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.RawHttp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "hostile input" report against the mock API server: bad ids and bad bodies get a 4xx JSON answer at once,
 * and neither create nor release anything. {@link HostileInputIT} sends the same to the packaged jar.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileInputTest {
    @Inject
    KubernetesClient client;
    @TestHTTPResource("/")
    URI server;
    FakeKubelet kubelet;
    ApiClient api;
    /** Live before each test; nothing a test sends may release it. */
    String live;

    @BeforeEach
    void liveSession() {
        kubelet = FakeKubelet.start(client);
        api = ApiClient.newTenant(client);
        live = api.request().contentType(ContentType.JSON).post("/v1/sessions").then().statusCode(201)
                .extract().path("id");
    }

    @AfterEach
    void stop() {
        kubelet.close();
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badIds")
    void badIdIsA400AtOnceThatReleasesNothing(String method, String target) throws Exception {
        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.send(server, method, target,
                Map.of("steel-api-key", api.key, "content-type", "application/json"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(assertJsonError(answer, 400)).containsAnyOf("session id", "malformed path", "cursorId");
        assertThat(sessions()).singleElement().satisfies(s -> assertThat(s.getSpec().getReleased()).isNull());
    }

    @ParameterizedTest
    @MethodSource("dev.browsers.operator.api.HostileRequests#badBodies")
    void badBodyIsA400NamingTheFieldThatCreatesNothing(byte[] body, String message) throws Exception {
        RawHttp.Answer answer = RawHttp.send(server, "POST", "/v1/sessions",
                Map.of("steel-api-key", api.key, "content-type", "application/json"), body);

        assertThat(assertJsonError(answer, 400)).startsWith(message);
        assertThat(sessions()).extracting(s -> s.getMetadata().getName()).containsExactly(live);
    }

    private List<BrowserSession> sessions() {
        return client.resources(BrowserSession.class).inNamespace(api.namespace).list().getItems();
    }
}
