package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.Sessions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * browser-operator.watch-namespaces, in the wired application on the mock API server: sessions, their pods and
 * Secrets, and REST API keys are watched in those namespaces only; everything elsewhere is left alone.
 */
@QuarkusTest
@TestProfile(WatchNamespacesTest.TwoTeams.class)
@WithKubernetesTestServer(crud = true)
class WatchNamespacesTest {
    static final String WATCHED = "team-a";
    static final String ALSO_WATCHED = "team-b";
    static final String UNWATCHED = "kube-system";

    public static class TwoTeams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("browser-operator.watch-namespaces", WATCHED + "," + ALSO_WATCHED);
        }
    }

    @Inject
    KubernetesClient client;

    FakeKubelet kubelet;

    @BeforeEach
    void startKubelet() {
        kubelet = FakeKubelet.start(client);
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }

    @Test
    void sessionsOutsideTheWatchedNamespacesAreUntouched() {
        Sessions elsewhere = new Sessions(client, UNWATCHED);
        elsewhere.create("stray", new BrowserSessionSpec().withTimeout("1m"));
        new Sessions(client, WATCHED).create("mine", new BrowserSessionSpec().withTimeout("1m"));
        new Sessions(client, ALSO_WATCHED).create("theirs", new BrowserSessionSpec().withTimeout("1m"));

        new Sessions(client, WATCHED).awaitPhase("mine", Phase.Live);
        new Sessions(client, ALSO_WATCHED).awaitPhase("theirs", Phase.Live);
        // The watched sessions were reconciled to Live after the stray one was created, and it has nothing.
        assertThat(elsewhere.status("stray")).isNull();
        assertThat(client.pods().inNamespace(UNWATCHED).list().getItems()).isEmpty();
        assertThat(client.secrets().inNamespace(UNWATCHED).list().getItems()).isEmpty();
    }

    @Test
    void apiKeysOfUnwatchedNamespacesAreNotHonoured() {
        ApiClient watched = ApiClient.withKeyIn(client, WATCHED);
        ApiClient unwatched = ApiClient.withKeyIn(client, "outsiders");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> watched.request().get("/v1/sessions").statusCode() == 200);
        watched.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", "via-api", "timeout", 60000))
                .post("/v1/sessions")
                .then()
                .statusCode(201)
                .body("status", equalTo("live"));

        unwatched.request().get("/v1/sessions").then().statusCode(401).body("message", equalTo("unknown API key"));
        unwatched
                .request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions")
                .then()
                .statusCode(401);
        assertThat(new Sessions(client, "outsiders").status("via-api")).isNull();
    }
}
