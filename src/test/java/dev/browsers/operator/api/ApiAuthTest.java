package dev.browsers.operator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.browsers.operator.model.ApiKeySecrets;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys: none or unknown is 401; a key sees, creates and releases only its own namespace's sessions. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ApiAuthTest extends ApiTestBase {
    ApiClient alice;
    ApiClient bob;

    @BeforeEach
    void twoTenants() {
        alice = api;
        bob = ApiClient.newTenant(client);
    }

    @Test
    void missingOrUnknownKeyIs401OnEveryEndpoint() {
        for (Function<RequestSpecification, Response> call : List.<Function<RequestSpecification, Response>>of(
                r -> r.get("/v1/sessions"),
                r -> r.get("/v1/sessions/x"),
                r -> r.contentType(ContentType.JSON).post("/v1/sessions"),
                r -> r.contentType(ContentType.JSON).post("/v1/sessions/x/release"),
                r -> r.contentType(ContentType.JSON).post("/v1/sessions/release"),
                r -> r.get("/v1/no-such-endpoint"))) {
            call.apply(given().filter(ApiClient.JSON_ONLY))
                    .then()
                    .statusCode(401)
                    .header(ApiErrors.SHOULD_RETRY, "false")
                    .body("message", equalTo("missing API key: send it in the steel-api-key header"));
            call.apply(given().filter(ApiClient.JSON_ONLY).header("steel-api-key", alice.key + "x"))
                    .then()
                    .statusCode(401)
                    .body("message", equalTo("unknown API key"));
        }
        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(alice.namespace)
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void sessionsAreCreatedInTheKeysNamespace() {
        alice.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionId\": \"alices\"}")
                .post("/v1/sessions")
                .then()
                .statusCode(201);

        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(alice.namespace)
                        .withName("alices")
                        .get())
                .isNotNull();
        assertThat(client.resources(BrowserSession.class)
                        .inNamespace(bob.namespace)
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void anotherNamespacesSessionIsInvisibleAndCannotBeReleased() {
        String id = alice.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions")
                .path("id");

        bob.request()
                .get("/v1/sessions/" + id)
                .then()
                .statusCode(404)
                .body("message", equalTo("session " + id + " not found"));
        bob.request()
                .get("/v1/sessions")
                .then()
                .statusCode(200)
                .body("sessions", equalTo(List.of()))
                .body("totalCount", equalTo(0));
        bob.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/" + id + "/release")
                .then()
                .statusCode(404);
        bob.request()
                .contentType(ContentType.JSON)
                .post("/v1/sessions/release")
                .then()
                .statusCode(200)
                .body("message", equalTo("released 0 sessions"));

        alice.request().get("/v1/sessions/" + id).then().statusCode(200).body("status", equalTo("live"));
    }

    @Test
    void aKeyConfiguredInTwoNamespacesGrantsNeither() {
        ApiClient copy = ApiClient.newTenant(client);
        client.secrets().inNamespace(copy.namespace).withName("steel-api-key").edit(s -> {
            s.getData()
                    .put(
                            ApiKeySecrets.KEY_FIELD,
                            client.secrets()
                                    .inNamespace(alice.namespace)
                                    .withName("steel-api-key")
                                    .get()
                                    .getData()
                                    .get(ApiKeySecrets.KEY_FIELD));
            return s;
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> alice.request().get("/v1/sessions").statusCode() == 401);
    }
}
