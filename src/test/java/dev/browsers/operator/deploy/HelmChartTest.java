package dev.browsers.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart lints, renders, configures the operator as its values say, and matches deploy/. */
class HelmChartTest {
    static final Path CHART = Path.of("helm/browser-operator");
    static final Path PLAIN_MANIFESTS = Path.of("deploy/operator.yaml");
    /** The oldest Kubernetes the chart accepts; helm-java's template defaults to an older one (1.20). */
    static final String KUBE_VERSION = "1.25.0";

    static TemplateCommand template() {
        return new Helm(CHART)
                .template()
                .withName("browser-operator")
                .withNamespace("browser-operator")
                .withKubeVersion(KUBE_VERSION);
    }

    static List<HasMetadata> render(Map<String, Object> values) {
        var template = template();
        values.forEach(template::set);
        return Serialization.unmarshal(template.call());
    }

    static <T> T only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void lintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    /**
     * The CRD's admission rules need CEL validation (on by default from 1.25), so the chart refuses older clusters;
     * "-0" in the constraint admits providers' versions, which look like pre-releases to Helm.
     */
    @Test
    void requiresKubernetes125() {
        assertThatThrownBy(() -> template().withKubeVersion("1.24.17").call())
                .hasMessageContaining("chart requires kubeVersion: >=1.25.0-0");
        assertThatThrownBy(() -> template().withKubeVersion("1.20.15").call())
                .hasMessageContaining("chart requires kubeVersion: >=1.25.0-0");
        assertThat(template().withKubeVersion("1.25.16-eks-3025e55").call()).contains("kind: Deployment");
        assertThat(template().withKubeVersion("1.29.1-gke.1589018").call()).contains("kind: Deployment");
    }

    @Test
    void valuesReachTheOperatorsConfiguration() {
        Deployment deployment = only(
                render(Map.of(
                        "sessions.maxTimeout",
                        "2h",
                        "browser.image",
                        "example/chrome:1",
                        "browser.resources.limits.memory",
                        "3Gi",
                        "restApi.enabled",
                        "true")),
                Deployment.class);
        Map<String, String> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        OperatorConfig config = TestConfigs.fromEnvironment(env);
        assertThat(config.mode()).isEqualTo(OperatorConfig.Mode.cluster);
        assertThat(config.maxTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.ttlAfterFinished()).isEqualTo(Duration.ofHours(1));
        assertThat(config.browser().image()).isEqualTo("example/chrome:1");
        assertThat(config.browser().resources().memoryLimit()).isEqualTo("3Gi");
        assertThat(config.agent().image()).isEqualTo("ghcr.io/browsers-dev/browser-operator:0.1.0");
        assertThat(env).containsEntry("BROWSER_OPERATOR_API_ENABLED", "true");
    }

    @Test
    void restApiIsOffByDefaultAndItsVerbsAreGrantedOnlyWhenOn() {
        assertThat(sessionVerbs(render(Map.of()))).containsExactly("get", "list", "watch", "delete");
        assertThat(sessionVerbs(render(Map.of("restApi.enabled", "true"))))
                .containsExactly("get", "list", "watch", "delete", "create", "patch");
        Deployment deployment = only(render(Map.of()), Deployment.class);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .contains(new EnvVar("BROWSER_OPERATOR_API_ENABLED", "false", null));
    }

    /** The jar listens on loopback by default; in a pod, probes, the Service and API clients come from outside. */
    @Test
    void operatorListensOnAllInterfacesInItsPodAndImage() throws IOException {
        Deployment deployment = only(render(Map.of()), Deployment.class);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .contains(
                        new EnvVar("QUARKUS_HTTP_HOST", "0.0.0.0", null),
                        new EnvVar("QUARKUS_MANAGEMENT_HOST", "0.0.0.0", null));
        assertThat(Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm")))
                .contains("ENV QUARKUS_HTTP_HOST=0.0.0.0 QUARKUS_MANAGEMENT_HOST=0.0.0.0");
    }

    @Test
    void operatorPodIsRestrictedAndProbed() {
        var pod =
                only(render(Map.of()), Deployment.class).getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    }

    /** deploy/operator.yaml is the chart rendered with its defaults; {@code -Ddeploy.update=true} rewrites it. */
    @Test
    void plainManifestsAreTheChartWithDefaults() throws IOException {
        String rendered = "# Rendered from helm/browser-operator with default values; do not edit.\n"
                + "# Regenerate: ./mvnw test -Dtest=HelmChartTest -Ddeploy.update=true\n"
                + template().call();
        if (Boolean.getBoolean("deploy.update")) {
            Files.writeString(PLAIN_MANIFESTS, rendered);
        }
        assertThat(PLAIN_MANIFESTS)
                .as("stale: run ./mvnw test -Dtest=HelmChartTest -Ddeploy.update=true")
                .hasContent(rendered);
    }

    static List<String> sessionVerbs(List<HasMetadata> objects) {
        return only(objects, ClusterRole.class).getRules().stream()
                .filter(r -> r.getResources().equals(List.of("browsersessions")))
                .map(PolicyRule::getVerbs)
                .findFirst()
                .orElseThrow();
    }
}
