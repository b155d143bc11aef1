package dev.browsers.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserPoolSpec;
import dev.browsers.operator.model.v1alpha1.BrowserPoolStatus;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.Sessions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A warm pool in local mode: real Chromium behind the real agent, started before any session asks; a session claims
 * it, goes Live without a browser start, and is driven with its own token, while the pool's token opens nothing.
 */
@QuarkusTest
@TestProfile(LocalModeProfile.class)
class LocalPoolIT {
    static final String NS = "default";
    static final Duration LOCAL_WAIT = Duration.ofSeconds(30);
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    KubernetesClient client;

    @Inject
    LocalMode localMode;

    @TestHTTPResource("/v1/sessions")
    URI sessionsApi;

    @Test
    void pooledSessionIsLiveAtOnceAndAnswersItsOwnTokenOnly() throws Exception {
        String pool = "it-pool";
        client.resource(new BrowserPool(NS, pool, new BrowserPoolSpec().withSize(1)))
                .create();
        awaitPool(pool, 1, 0);
        Pod warm = warmPods(pool).get(0);
        String warmName = warm.getMetadata().getName();
        long warmPid =
                localMode.runtime().orElseThrow().browserPid(NS, warmName).orElseThrow();
        String agent = warm.getStatus().getPodIP() + ":9222";
        String poolToken = ConnectionSecret.token(client.secrets()
                        .inNamespace(NS)
                        .withName(SessionNames.poolTokenSecretName(pool))
                        .get()
                        .getData())
                .orElseThrow();
        // Before the claim, the pool's token is what the warm agent takes.
        assertThat(get(agent, "/json/version", poolToken)).isEqualTo(200);

        Sessions sessions = new Sessions(client, NS);
        sessions.create("pooled", new BrowserSessionSpec().withPoolName(pool));
        BrowserSessionStatus live = sessions.awaitPhase("pooled", Phase.Live, LOCAL_WAIT);
        assertThat(live.getPodName()).isEqualTo(warmName);
        // The same browser: claimed, not started.
        assertThat(localMode.runtime().orElseThrow().browserPid(NS, warmName)).contains(warmPid);

        String url = sessions.awaitConnectionUrl("pooled");
        String sessionToken = url.substring(url.indexOf("token=") + "token=".length());
        try (CdpClient cdp = CdpClient.connect(URI.create(url), Map.of())) {
            JsonObject version = cdp.call("Browser.getVersion", new JsonObject());
            assertThat(version.getString("product")).contains("Chrome");
            JsonObject target = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"));
            assertThat(target.getString("targetId")).isNotBlank();
        }
        assertThat(get(agent, "/json/version", sessionToken)).isEqualTo(200);

        // The pool's token opens nothing any more, neither pages nor WebSockets.
        assertThat(get(agent, "/json/version", poolToken)).isEqualTo(401);
        String poolUrl = url.replace(sessionToken, poolToken);
        assertThatThrownBy(() -> CdpClient.connect(URI.create(poolUrl), Map.of()))
                .hasStackTraceContaining("401");
        // And the session's token cannot replace itself: whoever holds it cannot shut the operator out.
        assertThat(putToken(agent, sessionToken, "another-token-of-the-clients-choosing"))
                .isEqualTo(409);
        assertThat(putToken(agent, sessionToken, sessionToken)).isEqualTo(200);

        // The pool refills in the background.
        awaitPool(pool, 1, 1);
        sessions.editSpec("pooled", s -> s.setReleased(true));
        sessions.awaitPhase("pooled", Phase.Released, LOCAL_WAIT);
        awaitPool(pool, 1, 0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(warmPid).map(p -> !p.isAlive()).orElse(true));
        client.resources(BrowserPool.class).inNamespace(NS).withName(pool).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> warmPods(pool).isEmpty());
    }

    /** The REST API names no pool: its sessions take the namespace's default pool. */
    @Test
    void restCreateTakesTheNamespacesDefaultPool() throws Exception {
        client.resource(new BrowserPool(NS, BrowserPool.DEFAULT_POOL, new BrowserPoolSpec().withSize(1)))
                .create();
        try {
            awaitPool(BrowserPool.DEFAULT_POOL, 1, 0);
            String warm =
                    warmPods(BrowserPool.DEFAULT_POOL).get(0).getMetadata().getName();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(sessionsApi)
                            .header("steel-api-key", "local")
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 60000}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            JsonObject session = new JsonObject(created.body());
            assertThat(new Sessions(client, NS).status(session.getString("id")).getPodName())
                    .isEqualTo(warm);
            try (CdpClient cdp = CdpClient.connect(URI.create(session.getString("websocketUrl")), Map.of())) {
                assertThat(cdp.call("Browser.getVersion", new JsonObject()).getString("product"))
                        .contains("Chrome");
            }
        } finally {
            // Other tests of this application create sessions in this namespace without a pool.
            client.resources(BrowserPool.class)
                    .inNamespace(NS)
                    .withName(BrowserPool.DEFAULT_POOL)
                    .delete();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> warmPods(BrowserPool.DEFAULT_POOL).isEmpty());
        }
    }

    int get(String agent, String path, String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://" + agent + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    int putToken(String agent, String bearer, String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://" + agent + "/token"))
                                .header("Authorization", "Bearer " + bearer)
                                .PUT(HttpRequest.BodyPublishers.ofString(
                                        new JsonObject().put("token", token).encode()))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    List<Pod> warmPods(String pool) {
        return client.pods().inNamespace(NS).withLabel(SessionLabels.POOL, pool).list().getItems().stream()
                .filter(p -> !p.getMetadata().getLabels().containsKey(SessionLabels.SESSION))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    BrowserPoolStatus awaitPool(String pool, int ready, int claimed) {
        return await().atMost(LOCAL_WAIT)
                .until(
                        () -> {
                            BrowserPool p = client.resources(BrowserPool.class)
                                    .inNamespace(NS)
                                    .withName(pool)
                                    .get();
                            return p == null ? null : p.getStatus();
                        },
                        s -> s != null
                                && s.getReady() != null
                                && s.getReady() == ready
                                && s.getClaimed() == claimed
                                && s.getStarting() == 0);
    }
}
