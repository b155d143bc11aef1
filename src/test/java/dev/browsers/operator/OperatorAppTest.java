package dev.browsers.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.deploy.MonitoringChartTest;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.Pods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The packaged application as Quarkus wires it: config, reconciler registration, health and metrics. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorAppTest {
    @Inject
    KubernetesClient client;

    // Relative to the management root, /q.
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void sessionGoesLiveThroughTheWiredOperatorAndShowsInMetricsOnTheManagementPort() throws Exception {
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
        // Not on the REST API's port.
        given().get("/q/metrics").then().statusCode(404);
        // Gauges and the Live-seconds meter follow the cache every 5 s.
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(scrape())
                        .contains("browser_sessions{browser_class=\"default\",namespace=\"apps\",phase=\"Live\"} 1.0")
                        .containsPattern("browser_sessions_live_seconds_total\\{namespace=\"apps\"} [0-9.]+"));
        assertThat(scrape())
                .contains("browser_sessions_transitions_total{namespace=\"apps\",phase=\"Live\",reason=\"Running\"}")
                .contains("browser_sessions_startup_seconds_bucket{le=\"1.0\"}")
                .contains("browser_sessions_release_lateness_seconds_bucket{le=\"0.25\"}")
                .contains("browser_sessions_reconcile_seconds_bucket{le=\"0.05\"}");
        // What the chart's dashboard and alerts query, the operator exposes.
        Set<String> exposed = scrape().lines()
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceFirst("[{ ].*", ""))
                .collect(Collectors.toSet());
        assertThat(exposed).containsAll(MonitoringChartTest.queriedMetrics());
    }

    String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }
}
