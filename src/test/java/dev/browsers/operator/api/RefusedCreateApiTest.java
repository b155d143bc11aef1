package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A REST create whose pod the cluster refuses answers at once with the cluster's reason, and leaves nothing running. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RefusedCreateApiTest extends ApiTestBase {
    @KubernetesTestServer
    KubernetesServer server;

    void refusePods(int code, String message) {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + api.namespace + "/pods")
                .andReturn(
                        code,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(code)
                                .withMessage(message)
                                .build())
                .always();
    }

    @Test
    void quotaExceededAnswers429AtOnceWithTheQuotasMessage() {
        refusePods(
                403,
                "pods \"x\" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0");
        Instant start = Instant.now();
        String id = api.request()
                .contentType(ContentType.JSON)
                .body("{\"sessionId\": \"over-quota\"}")
                .post("/v1/sessions")
                .then()
                .statusCode(429)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", startsWith("session over-quota cannot start (QuotaExceeded): "))
                .body("message", containsString("exceeded quota: no-pods"))
                .extract()
                .path("message");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(id).endsWith("it has been released");
        await().untilAsserted(() -> assertThat(client.resources(BrowserSession.class)
                        .inNamespace(api.namespace)
                        .withName("over-quota")
                        .get()
                        .getSpec()
                        .isReleased())
                .isTrue());
    }

    @Test
    void anAdmissionDenialAnswers403() {
        refusePods(403, "admission webhook \"policy.example.com\" denied the request: browsers are not allowed here");
        api.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/v1/sessions")
                .then()
                .statusCode(403)
                .header(ApiErrors.SHOULD_RETRY, "false")
                .body("message", containsString("(PodRejected)"))
                .body("message", containsString("browsers are not allowed here"));
    }
}
