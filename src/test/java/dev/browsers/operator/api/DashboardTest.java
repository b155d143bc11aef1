package dev.browsers.operator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's feed: behind the API key, scoped to the key's namespace, live, and bounded in connections. */
@QuarkusTest
@TestProfile(DashboardTest.DashboardOn.class)
@WithKubernetesTestServer(crud = true)
class DashboardTest extends ApiTestBase {
    public static class DashboardOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "browser-operator.api.dashboard", "true", "browser-operator.api.max-dashboards-per-namespace", "2");
        }
    }

    @TestHTTPResource("/v1/dashboard/events")
    URI events;

    final List<CompletableFuture<?>> open = new ArrayList<>();

    @AfterEach
    void closeFeeds() {
        open.forEach(f -> f.cancel(true));
    }

    /** Opens the feed and hands each event's JSON to a queue. */
    LinkedBlockingQueue<JsonObject> follow(String key) throws Exception {
        LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(events)
                                .header("steel-api-key", key)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        open.add(CompletableFuture.runAsync(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        received.add(new JsonObject(line.substring(5)));
                    }
                }
            } catch (Exception closed) {
                // the test ended the feed
            }
        }));
        return received;
    }

    @Test
    void theFeedStartsWithTheNamespacesSessionsAndFollowsThem() throws Exception {
        ApiClient other = ApiClient.newTenant(client);
        client.resource(new BrowserSession(other.namespace, "not-mine", new BrowserSessionSpec()))
                .create();
        LinkedBlockingQueue<JsonObject> feed = follow(api.key);
        JsonObject snapshot = feed.poll(10, TimeUnit.SECONDS);
        assertThat(snapshot.getString("type")).isEqualTo("snapshot");
        assertThat(snapshot.getJsonArray("sessions")).isEmpty();

        client.resource(new BrowserSession(api.namespace, "mine", new BrowserSessionSpec()))
                .create();
        JsonObject live = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && live == null) {
            JsonObject event = feed.poll(1, TimeUnit.SECONDS);
            if (event != null && event.getString("type").equals("update")) {
                JsonObject row = event.getJsonArray("sessions").getJsonObject(0);
                assertThat(row.getString("id")).isEqualTo("mine");
                assertThat(row.encode()).doesNotContain("token");
                if ("Live".equals(row.getString("phase"))) {
                    live = row;
                }
            }
        }
        assertThat(live).as("the session's turn to Live reached the feed").isNotNull();
        assertThat(live.getString("expiresAt")).isNotBlank();
    }

    @Test
    void theFeedNeedsAKeyAndHasALimit() throws Exception {
        given().get(events).then().statusCode(401);
        follow(api.key);
        follow(api.key);
        given().header("steel-api-key", api.key)
                .get(events)
                .then()
                .statusCode(429)
                .body("message", containsString("max-dashboards-per-namespace"));
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicyAndNothingElseUnderIt() {
        given().get("/dashboard/")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<title>Browser sessions</title>"));
        given().get("/dashboard/dashboard.js").then().statusCode(200);
        given().get("/dashboard/..%2Fapplication.properties").then().statusCode(404);
        given().get("/dashboard/secret.txt").then().statusCode(404);
    }
}
