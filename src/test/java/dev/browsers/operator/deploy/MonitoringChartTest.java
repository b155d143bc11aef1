package dev.browsers.operator.deploy;

import static dev.browsers.operator.deploy.HelmChartTest.only;
import static dev.browsers.operator.deploy.HelmChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart's monitoring: ServiceMonitor, PrometheusRule and Grafana dashboard (all opt-in), and its log values. */
public class MonitoringChartTest {
    static final Path DASHBOARD = Path.of("helm/browser-operator/files/grafana-dashboard.json");
    static final Map<String, Object> ALL_ON = Map.of(
            "metrics.serviceMonitor.enabled", "true",
            "metrics.prometheusRule.enabled", "true",
            "metrics.grafanaDashboard.enabled", "true");
    static final Pattern METRIC = Pattern.compile("\\b(browser_sessions\\w*)");

    static List<GenericKubernetesResource> kind(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast)
                .toList();
    }

    @Test
    void nothingOfItByDefault() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(kind(objects, "ServiceMonitor")).isEmpty();
        assertThat(kind(objects, "PrometheusRule")).isEmpty();
        assertThat(objects)
                .noneMatch(
                        o -> o instanceof ConfigMap && o.getMetadata().getName().endsWith("-dashboard"));
    }

    @Test
    void theServiceMonitorScrapesTheMetricsPortOfTheOperatorsService() {
        List<HasMetadata> objects = render(
                Map.of("metrics.serviceMonitor.enabled", "true", "metrics.serviceMonitor.labels.release", "prom"));
        GenericKubernetesResource monitor = kind(objects, "ServiceMonitor").get(0);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        Map<String, Object> endpoint =
                monitor.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
        assertThat(endpoint)
                .containsEntry("port", "metrics")
                .containsEntry("path", "/q/metrics")
                .containsEntry("honorLabels", true);
        Service service = only(objects, Service.class);
        assertThat(service.getSpec().getSelector())
                .containsAllEntriesOf(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
        });
        var container = only(objects, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(container.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getContainerPort()).isEqualTo(9000);
        });
    }

    @Test
    void theRulesAlertOnStartupFailuresLatenessPendingAndAnAbsentOperator() {
        GenericKubernetesResource rule = kind(render(ALL_ON), "PrometheusRule").get(0);
        List<Map<String, Object>> rules = rule.<List<Map<String, Object>>>get("spec", "groups").stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .toList();
        assertThat(rules)
                .extracting(r -> r.get("alert"))
                .containsExactly(
                        "BrowserSessionStartupFailures",
                        "BrowserSessionReleaseLate",
                        "BrowserSessionsPendingTooLong",
                        "BrowserOperatorAbsent");
        assertThat(rules.get(0).get("expr").toString()).contains("> 0.1");
        assertThat(rules.get(1).get("expr").toString()).contains("> 5");
        assertThat(rules.get(2)).containsEntry("for", "5m");
        assertThat(rules.get(3).get("expr").toString())
                .contains("namespace=\"browser-operator\"", "service=\"browser-operator\"");
    }

    /**
     * What Grafana needs to load it: a dashboard object with a uid and a schema version it migrates from, unique panel
     * ids, a grid position and a type for each panel, and every query on the data source variable it defines.
     */
    @Test
    void theDashboardIsAGrafanaDashboardShippedAsIs() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("browser-operator");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        Set<String> variables = new HashSet<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "namespace");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
            assertThat(panel.path("type").asText()).isIn("timeseries", "stat");
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            assertThat(panel.path("targets")).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).contains("browser_sessions");
            }
        }
        ConfigMap shipped = HelmChartTest.named(render(ALL_ON), ConfigMap.class, "browser-operator-dashboard");
        assertThat(shipped.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(new ObjectMapper().readTree(shipped.getData().get("browser-operator.json")))
                .isEqualTo(dashboard);
    }

    @Test
    void jsonLogsAndTheLogLevelAreValues() {
        var env = only(render(Map.of("logging.json", "true", "logging.level", "DEBUG")), Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(env)
                .contains(
                        new EnvVar("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", null),
                        new EnvVar("QUARKUS_LOG_LEVEL", "DEBUG", null));
    }

    /** Every metric the dashboard and the alerts query, for the operator's own metrics to be checked against. */
    public static Set<String> queriedMetrics() throws IOException {
        List<String> queries = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> queries.add(e.asText()));
        GenericKubernetesResource rule = kind(render(ALL_ON), "PrometheusRule").get(0);
        rule.<List<Map<String, Object>>>get("spec", "groups").stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .forEach(r -> queries.add(r.get("expr").toString()));
        Set<String> names = new HashSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
