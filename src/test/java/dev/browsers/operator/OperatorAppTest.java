package dev.browsers.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.Pods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The packaged application as Quarkus wires it: config, reconciler registration, health and metrics. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorAppTest {
    @Inject
    KubernetesClient client;

    @Test
    void sessionGoesLiveThroughTheWiredOperatorAndShowsInMetrics() {
        client.resource(new BrowserSession("apps", "wired", new BrowserSessionSpec().withTimeout("1m")))
                .create();
        await().atMost(Duration.ofSeconds(20)).until(() -> Pods.get(client, "apps", "wired-browser") != null);
        Pods.setStatus(client, "apps", "wired-browser", Pods.ready("10.9.8.7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            BrowserSession s = client.resources(BrowserSession.class)
                    .inNamespace("apps")
                    .withName("wired")
                    .get();
            return s.getStatus() != null && s.getStatus().getPhase() == Phase.Live;
        });

        given().get("/q/health/ready").then().statusCode(200);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("browser_sessions_transitions_total{phase=\"Live\",reason=\"Running\"}");
        given().get("/q/metrics").then().body(containsString("browser_sessions_startup_seconds"));
    }
}
