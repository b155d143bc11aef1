package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.Pods;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Create, retrieve, list and release through the API, with the real reconciler and a fake kubelet. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SessionsApiTest extends ApiTestBase {
    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void createWithoutBodyAnswersTheLiveSessionWithEveryFieldOfSteelsSession() {
        Response created = api.request().contentType(ContentType.JSON).post("/v1/sessions");

        created.then()
                .statusCode(201)
                .body("id", matchesPattern(UUID_V7))
                .body("status", equalTo("live"))
                .body("timeout", equalTo(300000))
                .body("duration", greaterThanOrEqualTo(0))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"))
                .body(
                        "websocketUrl",
                        matchesPattern("ws://" + FakeKubelet.POD_IP + ":9222/devtools/browser\\?token=.+"))
                .body("debugUrl", matchesPattern("http://" + FakeKubelet.POD_IP + ":9222/viewer\\?token=.+"))
                .body("sessionViewerUrl", matchesPattern("http://" + FakeKubelet.POD_IP + ":9222/viewer\\?token=.+"))
                .body("creditsUsed", equalTo(0))
                .body("eventCount", equalTo(0))
                .body("proxyBytesUsed", equalTo(0))
                .body("containsKey('proxySource')", equalTo(true))
                .body("proxySource", equalTo(null))
                .body("dimensions.width", equalTo(1920))
                .body("dimensions.height", equalTo(1080))
                .body("optimizeBandwidth", equalTo(Map.of()))
                .body("isSelenium", equalTo(false))
                .body("headless", equalTo(true));
        BrowserSession session = session(created.path("id"));
        assertThat(session.getSpec().getTimeout()).isEqualTo("5m");
        assertThat(session.getStatus().getPhase()).isEqualTo(Phase.Live);
        String token = created.<String>path("websocketUrl").replaceFirst(".*token=", "");
        assertThat(client.secrets()
                        .inNamespace(api.namespace)
                        .withName(session.getMetadata().getName() + "-connection")
                        .get()
                        .getData()
                        .get("token"))
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(token.getBytes()));
    }

    @Test
    void createWithAnEmptyObjectTakesTheDefaults() {
        Response created =
                api.request().contentType(ContentType.JSON).body("{}").post("/v1/sessions");

        created.then().statusCode(201).body("timeout", equalTo(300000));
        assertThat(session(created.path("id")).getSpec().getTimeout()).isEqualTo("5m");
    }

    @Test
    void createHonoursTimeoutInactivityTimeoutSessionIdDimensionsUserAgentAndBlockAds() {
        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "sessionId",
                        "checkout-1",
                        "timeout",
                        90000,
                        "inactivityTimeout",
                        30000,
                        "dimensions",
                        Map.of("width", 1280, "height", 720),
                        "userAgent",
                        "Checkout-Bot/1.0 (+https://example.com)",
                        "blockAds",
                        true))
                .post("/v1/sessions")
                .then()
                .statusCode(201)
                .body("id", equalTo("checkout-1"))
                .body("timeout", equalTo(90000))
                .body("dimensions.width", equalTo(1280))
                .body("dimensions.height", equalTo(720));

        BrowserSession session = session("checkout-1");
        assertThat(session.getSpec().getTimeout()).isEqualTo("1m30s");
        assertThat(session.getSpec().getInactivityTimeout()).isEqualTo("30s");
        assertThat(session.getSpec().getDimensions().getWidth()).isEqualTo(1280);
        assertThat(session.getSpec().getDimensions().getHeight()).isEqualTo(720);
        assertThat(session.getSpec().getUserAgent()).isEqualTo("Checkout-Bot/1.0 (+https://example.com)");
        assertThat(session.getSpec().blocksAds()).isTrue();
        assertThat(Pods.container(
                                Pods.get(client, api.namespace, SessionNames.podName("checkout-1")),
                                AgentContract.BROWSER_CONTAINER)
                        .getArgs())
                .contains("--window-size=1280,720", "--user-agent=Checkout-Bot/1.0 (+https://example.com)");
    }

    @Test
    void proxyUrlCredentialsGoToASecretOwnedByTheSessionAndNowhereElse() {
        Response created = api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", "proxied-1", "proxyUrl", "http://al%40ice:pa%3Ass@proxy.example:3128"))
                .post("/v1/sessions");

        created.then().statusCode(201).body("proxySource", equalTo("external"));
        assertThat(created.asString()).doesNotContain("pa%3Ass").doesNotContain("pa:ss");
        BrowserSession session = session("proxied-1");
        assertThat(session.getSpec().getProxy().getServer()).isEqualTo("http://proxy.example:3128");
        assertThat(session.getSpec().getProxy().getCredentialsSecretRef().getName())
                .isEqualTo("proxied-1-proxy");
        assertThat(Serialization.asJson(session)).doesNotContain("pa:ss");
        Secret secret = client.secrets()
                .inNamespace(api.namespace)
                .withName("proxied-1-proxy")
                .get();
        assertThat(secret.getData())
                .containsEntry("username", base64("al@ice"))
                .containsEntry("password", base64("pa:ss"));
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getUid())
                        .isEqualTo(session.getMetadata().getUid()));
    }

    @Test
    void proxyUrlWithoutCredentialsNeedsNoSecretAndGetsTheSchemesPort() {
        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", "proxied-2", "proxyUrl", "socks5://[::1]"))
                .post("/v1/sessions")
                .then()
                .statusCode(201);
        assertThat(session("proxied-2").getSpec().getProxy().getServer()).isEqualTo("socks5://[::1]:1080");
        assertThat(session("proxied-2").getSpec().getProxy().getCredentialsSecretRef())
                .isNull();
        assertThat(client.secrets()
                        .inNamespace(api.namespace)
                        .withName("proxied-2-proxy")
                        .get())
                .isNull();
    }

    static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void repeatedCreateWithTheSameSessionIdJoinsTheSessionInsteadOfStartingAnother() {
        Map<String, Object> body = Map.of("sessionId", "retried-1", "timeout", 60000);
        List<Response> answers = Stream.of(1, 2)
                .map(i -> CompletableFuture.supplyAsync(() ->
                        api.request().contentType(ContentType.JSON).body(body).post("/v1/sessions")))
                .toList()
                .stream()
                .map(CompletableFuture::join)
                .toList();

        assertThat(answers).extracting(Response::statusCode).containsExactlyInAnyOrder(201, 200);
        assertThat(answers).extracting(r -> r.path("id")).containsOnly("retried-1");
        String uid = session("retried-1").getMetadata().getUid();

        api.request()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/sessions")
                .then()
                .statusCode(200)
                .body("id", equalTo("retried-1"))
                .body("status", equalTo("live"));
        assertThat(session("retried-1").getMetadata().getUid()).isEqualTo(uid);
        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(api.namespace)
                        .list()
                        .getItems())
                .hasSize(1);
        assertThat(client.pods()
                        .inNamespace(api.namespace)
                        .withLabel(SessionLabels.SESSION, "retried-1")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void createOfAnEndedSessionIdIsAConflictNotToBeRetried() {
        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", "once"))
                .post("/v1/sessions")
                .then()
                .statusCode(201);
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/once/release")
                .then()
                .statusCode(200);

        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", "once"))
                .post("/v1/sessions")
                .then()
                .statusCode(409)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", containsString("cannot be reused"));
    }

    @Test
    void createOfASessionThatFailsAnswersTheFailureAndForbidsRetries() {
        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", FakeKubelet.DOOMED + "1"))
                .post("/v1/sessions")
                .then()
                .statusCode(500)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", containsString("failed to start (PodFailed)"))
                .body("message", containsString("the node ran out of memory"));

        api.request()
                .get("/v1/sessions/" + FakeKubelet.DOOMED + "1")
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"));
    }

    @Test
    void retrieveAnswersTheSessionOr404() {
        String id =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");

        api.request()
                .get("/v1/sessions/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("live"))
                .body("timeout", equalTo(300000));
        api.request()
                .get("/v1/sessions/no-such-session")
                .then()
                .statusCode(404)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", equalTo("session no-such-session not found"));
    }

    @Test
    void sessionsCreatedByKubectlAreSeenToo() {
        client.resources(BrowserSession.class)
                .inNamespace(api.namespace)
                .resource(new BrowserSession(api.namespace, "from-kubectl", null))
                .create();

        api.request()
                .get("/v1/sessions/from-kubectl")
                .then()
                .statusCode(200)
                .body("status", equalTo("live"))
                .body("timeout", equalTo(300000));
    }

    @Test
    void generatedIdsListNewestFirst() {
        String first =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");
        String second =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");

        api.request()
                .get("/v1/sessions")
                .then()
                .statusCode(200)
                .body("sessions.id", equalTo(List.of(second, first)))
                .body("totalCount", equalTo(2))
                .body("nextCursor", equalTo(null));
    }

    @Test
    void releaseWithoutABodyReleasesAndIsIdempotent() {
        String id =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");

        // What the SDK sends: no body, yet Content-Type: application/json.
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + id + "/release")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("message", equalTo("session " + id + " released"));
        assertThat(session(id).getSpec().isReleased()).isTrue();
        api.request().get("/v1/sessions/" + id).then().body("status", equalTo("released"));

        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + id + "/release")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("message", equalTo("session " + id + " was already released"));
    }

    @Test
    void releaseOfAFailedSessionSucceedsAndSaysItHadFailed() {
        String id = FakeKubelet.DOOMED + "2";
        api.request()
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", id))
                .post("/v1/sessions")
                .then()
                .statusCode(500);

        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + id + "/release")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("message", containsString("had already failed (PodFailed)"));
        assertThat(session(id).getSpec().getReleased()).isNull();
    }

    @Test
    void releaseOfAnUnknownSessionIs404() {
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/ghost/release")
                .then()
                .statusCode(404)
                .body("message", equalTo("session ghost not found"));
    }

    @Test
    void releaseAllReleasesEveryUnfinishedSessionOfTheNamespace() {
        String a =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");
        String b =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + a + "/release")
                .then()
                .statusCode(200);
        String c =
                api.request().contentType(ContentType.JSON).post("/v1/sessions").path("id");

        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/release")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("message", equalTo("released 2 sessions"));

        api.request().get("/v1/sessions?status=released").then().body("sessions.id", equalTo(List.of(c, b, a)));
        api.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/release")
                .then()
                .statusCode(200)
                .body("message", equalTo("released 0 sessions"));
    }

    @Test
    void unknownEndpointsWrongMethodsAndBadJsonAnswerJson() {
        api.request()
                .get("/v1/sessions/x/live-details/nope")
                .then()
                .statusCode(404)
                .body("message", containsString("no such endpoint"));
        api.request().get("/v1/credentials").then().statusCode(404);
        api.request().delete("/v1/sessions/x").then().statusCode(405);
        api.request()
                .contentType(ContentType.TEXT)
                .body("timeout=1")
                .post("/v1/sessions")
                .then()
                .statusCode(415);
        api.request()
                .contentType(ContentType.JSON)
                .body("{\"timeout\": ")
                .post("/v1/sessions")
                .then()
                .statusCode(400)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", containsString("not valid JSON"));
        api.request()
                .contentType(ContentType.JSON)
                .body("[1]")
                .post("/v1/sessions")
                .then()
                .statusCode(400);
    }

    private BrowserSession session(String name) {
        return client.resources(BrowserSession.class)
                .inNamespace(api.namespace)
                .withName(name)
                .get();
    }
}
