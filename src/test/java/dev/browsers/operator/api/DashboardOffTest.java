package dev.browsers.operator.api;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

/** In a cluster the dashboard is opt-in: off by default, page and feed alike. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DashboardOffTest extends ApiTestBase {

    @Test
    void offByDefaultInClusterMode() {
        given().get("/dashboard/").then().statusCode(404);
        given().header("steel-api-key", api.key)
                .get("/v1/dashboard/events")
                .then()
                .statusCode(404);
    }
}
