package dev.browsers.operator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** browser-operator.api.enabled=false: every /v1 path is 404 (in JSON), whatever the key; the rest still runs. */
@QuarkusTest
@TestProfile(ApiDisabledTest.Disabled.class)
@WithKubernetesTestServer(crud = true)
class ApiDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("browser-operator.api.enabled", "false");
        }
    }

    @Test
    void everyApiPathIs404() {
        given().filter(ApiClient.JSON_ONLY)
                .get("/v1/sessions")
                .then()
                .statusCode(404)
                .body("message", containsString("browser-operator.api.enabled=false"));
        given().filter(ApiClient.JSON_ONLY)
                .header("steel-api-key", "local")
                .contentType(ContentType.JSON)
                .post("/v1/sessions")
                .then()
                .statusCode(404);
        given().filter(ApiClient.JSON_ONLY)
                .contentType(ContentType.JSON)
                .post("/v1/sessions/release")
                .then()
                .statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
