package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.Sessions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * browser-operator.watch-namespaces, in the wired application on the mock API server: sessions, their pods and
 * Secrets, ResourceQuotas, REST API keys and the dashboard's feed are watched in those namespaces only; everything
 * elsewhere is left alone.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(WatchNamespacesTest.TwoTeams.class)
@WithKubernetesTestServer(crud = true)
class WatchNamespacesTest {
    static final String WATCHED = "team-a";
    static final String ALSO_WATCHED = "team-b";
    static final String UNWATCHED = "kube-system";

    public static class TwoTeams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "browser-operator.watch-namespaces",
                    WATCHED + "," + ALSO_WATCHED,
                    // Its feed is one more informer.
                    "browser-operator.api.dashboard",
                    "true");
        }
    }

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    /**
     * Every watch the application opens names a watched namespace: the requests the API server got since the start,
     * before any test's own (the fake kubelet watches pods everywhere, so this test runs first and starts none).
     */
    @Test
    @Order(1)
    void everyWatchIsInAWatchedNamespace() {
        List<String> watches = new ArrayList<>();
        // Per watched namespace: sessions by the reconciler and the dashboard's feed, Secrets by the reconciler (its
        // connection Secrets) and the API keys, pods and quotas by the reconciler.
        Map<String, Long> expected = new HashMap<>();
        for (String namespace : List.of(WATCHED, ALSO_WATCHED)) {
            expected.put(namespace + "/browsersessions", 2L);
            expected.put(namespace + "/secrets", 2L);
            expected.put(namespace + "/pods", 1L);
            expected.put(namespace + "/resourcequotas", 1L);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            RecordedRequest request;
            while ((request = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                if (request.getPath().contains("watch=true")) {
                    watches.add(request.getPath());
                }
            }
            Map<String, Long> seen = watches.stream()
                    .map(WATCHED_COLLECTION::matcher)
                    .filter(Matcher::find)
                    .collect(Collectors.groupingBy(m -> m.group(1) + "/" + m.group(2), Collectors.counting()));
            expected.forEach((collection, count) ->
                    assertThat(seen.getOrDefault(collection, 0L)).as(collection).isGreaterThanOrEqualTo(count));
        });
        assertThat(watches).allSatisfy(path -> assertThat(path).containsPattern(WATCHED_COLLECTION));
    }

    static final Pattern WATCHED_COLLECTION =
            Pattern.compile("^/api(?:s/[^/]+)?/v[^/]+/namespaces/(" + WATCHED + "|" + ALSO_WATCHED + ")/([a-z]+)\\?");

    @Test
    void sessionsOutsideTheWatchedNamespacesAreUntouched() {
        try (FakeKubelet kubelet = FakeKubelet.start(client)) {
            sessionsElsewhereAreUntouched();
        }
    }

    void sessionsElsewhereAreUntouched() {
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
        try (FakeKubelet kubelet = FakeKubelet.start(client)) {
            apiKeysElsewhereAreNotHonoured();
        }
    }

    void apiKeysElsewhereAreNotHonoured() {
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
