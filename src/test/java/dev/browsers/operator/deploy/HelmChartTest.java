package dev.browsers.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.dependent.SessionPods;
import dev.browsers.operator.model.BrowserFlags;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.testing.PodSecurity;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart lints, renders, configures the operator as its values say, and matches deploy/. */
class HelmChartTest {
    static final Path CHART = Path.of("helm/browser-operator");
    static final Path PLAIN_MANIFESTS = Path.of("deploy/operator.yaml");
    static final Path PRODUCTION_VALUES = Path.of("deploy/examples/production-values.yaml");
    static final List<Path> CRD_FILES = List.of(
            CHART.resolve("files/crds/browsersessions.browsers.dev-v1.yml"),
            CHART.resolve("files/crds/browserpools.browsers.dev-v1.yml"));
    /** The oldest Kubernetes the chart accepts; helm-java's template defaults to an older one (1.20). */
    static final String KUBE_VERSION = "1.25.0";

    static TemplateCommand template() {
        return template("browser-operator", "browser-operator");
    }

    static TemplateCommand template(String release, String namespace) {
        return new Helm(CHART)
                .template()
                .withName(release)
                .withNamespace(namespace)
                .withKubeVersion(KUBE_VERSION);
    }

    static List<HasMetadata> render(Map<String, Object> values) {
        var template = template();
        values.forEach(template::set);
        return Serialization.unmarshal(template.call());
    }

    /** Rendered with a values file: lists and maps, which --set spells badly. */
    static List<HasMetadata> render(String valuesYaml) {
        return Serialization.unmarshal(
                template().withValuesFile(valuesFile(valuesYaml)).call());
    }

    static Path valuesFile(String valuesYaml) {
        try {
            Path file = Files.createTempFile("values-", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, valuesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static PodSpec operatorPod(List<HasMetadata> objects) {
        return only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    }

    static Container operatorContainer(List<HasMetadata> objects) {
        return operatorPod(objects).getContainers().get(0);
    }

    /** The environment variables with plain values (those from the downward API are set by the kubelet). */
    static Map<String, String> env(List<HasMetadata> objects) {
        return operatorContainer(objects).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /** The configuration the operator in the rendered Deployment reads: its environment and its ConfigMap's file. */
    static OperatorConfig operatorConfig(List<HasMetadata> objects) {
        String file = only(objects, ConfigMap.class).getData().get("application.properties");
        return TestConfigs.fromEnvironmentAndFile(env(objects), file);
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
        OperatorConfig config = operatorConfig(render(Map.of(
                "sessions.maxTimeout",
                "2h",
                "browser.image",
                "example/chrome:1",
                "browser.command[0]",
                "/opt/chrome/chrome",
                "browser.resources.limits.memory",
                "3Gi",
                "restApi.enabled",
                "true")));
        assertThat(config.mode()).isEqualTo(OperatorConfig.Mode.cluster);
        assertThat(config.maxTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.ttlAfterFinished()).isEqualTo(Duration.ofHours(1));
        assertThat(config.browser().browserImage())
                .contains(new OperatorConfig.BrowserImage("example/chrome:1", List.of("/opt/chrome/chrome")));
        assertThat(config.browser().resources().memoryLimit()).isEqualTo("3Gi");
        assertThat(config.browser().resources().memoryRequest()).isEmpty();
        assertThat(config.agent().image()).isEqualTo("ghcr.io/browsers-dev/browser-operator:0.1.0");
        assertThat(config.watchNamespaces()).isEmpty();
        assertThat(config.podLabelsFromSession()).isEmpty();
    }

    /**
     * A browser class from Helm values all the way to the session pod the operator builds: image, command and args
     * (commas, backslashes and "${" kept as written), resources, and every pod setting; the pod stays restricted.
     */
    @Test
    void browserClassesFromValuesReachTheSessionPod() {
        List<HasMetadata> objects = render("""
                sessions: {podLabelsFromSession: [team]}
                browser:
                  pod:
                    annotations: {karpenter.sh/do-not-disrupt: "true"}
                browserClasses:
                  sandboxed:
                    image: example.com/chromium:2
                    command: [/usr/bin/chromium]
                    args: ["--headless", "--window-size=1280,720", 'C:\\dir', "${HOME}"]
                    resources:
                      requests: {cpu: 500m, memory: 3Gi}
                      limits: {cpu: "4", memory: 4Gi}
                      tmpSizeLimit: 2Gi
                    pod:
                      nodeSelector: {kubernetes.io/os: linux, pool: browsers}
                      tolerations: [{key: browsers, operator: Exists, effect: NoSchedule}]
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                              - matchExpressions: [{key: pool, operator: In, values: [browsers]}]
                      topologySpreadConstraints:
                        - {maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}
                      priorityClassName: browser-sessions
                      runtimeClassName: gvisor
                      imagePullSecrets: [{name: registry}]
                      labels: {tier: sandboxed}
                      annotations: {karpenter.sh/do-not-disrupt: "true", example.com/note: "a \\"quoted\\" note"}
                """);
        OperatorConfig config = operatorConfig(objects);
        BrowserSession session =
                new BrowserSession("team-a", "checkout", new BrowserSessionSpec().withBrowserClassName("sandboxed"));
        session.getMetadata().setLabels(Map.of("team", "payments", "other", "x"));
        Pod pod = SessionPods.desired(config, session);

        Container browser = SessionPods.container(pod, "browser");
        assertThat(browser.getImage()).isEqualTo("example.com/chromium:2");
        assertThat(browser.getCommand()).containsExactly("/usr/bin/chromium");
        // The class's flags come after those the operator always sets.
        assertThat(browser.getArgs())
                .startsWith(BrowserFlags.required().toArray(String[]::new))
                .endsWith("--headless", "--window-size=1280,720", "C:\\dir", "${HOME}");
        assertThat(browser.getResources().getRequests())
                .containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("3Gi"));
        assertThat(browser.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(pod.getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("2Gi")));
        PodSpec spec = pod.getSpec();
        assertThat(spec.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux", "pool", "browsers"));
        assertThat(spec.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("browsers"));
        assertThat(spec.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(spec.getTopologySpreadConstraints())
                .singleElement()
                .satisfies(c -> assertThat(c.getMaxSkew()).isEqualTo(2));
        assertThat(spec.getPriorityClassName()).isEqualTo("browser-sessions");
        assertThat(spec.getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(spec.getImagePullSecrets())
                .singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("registry"));
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("tier", "sandboxed")
                .containsEntry("team", "payments")
                .doesNotContainKey("other");
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("karpenter.sh/do-not-disrupt", "true")
                .containsEntry("example.com/note", "a \"quoted\" note");
        assertThat(PodSecurity.restrictedViolations(spec)).isEmpty();

        // The default class keeps the operator's image, command and flags, with the chart's pod settings.
        Pod plain = SessionPods.desired(config, new BrowserSession("team-a", "plain", new BrowserSessionSpec()));
        Container plainBrowser = SessionPods.container(plain, "browser");
        assertThat(plainBrowser.getImage()).isEqualTo(OperatorConfig.DEFAULT_BROWSER_IMAGE);
        assertThat(plainBrowser.getCommand()).containsExactly(OperatorConfig.DEFAULT_BROWSER_COMMAND);
        assertThat(plainBrowser.getArgs()).containsSubsequence(TestConfigs.chromiumFlags());
        assertThat(plain.getMetadata().getAnnotations()).containsEntry("karpenter.sh/do-not-disrupt", "true");
        assertThat(plainBrowser.getResources().getRequests())
                .as("memory requested up to the limit by default")
                .containsEntry("memory", new Quantity("2Gi"));
    }

    @Test
    void restApiIsOffByDefaultAndItsVerbsAreGrantedOnlyWhenOn() {
        assertThat(sessionVerbs(render(Map.of()))).containsExactly("get", "list", "watch", "delete");
        assertThat(sessionVerbs(render(Map.of("restApi.enabled", "true"))))
                .containsExactly("get", "list", "watch", "delete", "create", "patch");
        assertThat(operatorContainer(render(Map.of())).getEnv())
                .contains(new EnvVar("BROWSER_OPERATOR_API_ENABLED", "false", null));
    }

    /** The jar listens on loopback by default; in a pod, probes, the Service and API clients come from outside. */
    @Test
    void operatorListensOnAllInterfacesInItsPodAndImage() throws IOException {
        assertThat(operatorContainer(render(Map.of())).getEnv())
                .contains(
                        new EnvVar("QUARKUS_HTTP_HOST", "0.0.0.0", null),
                        new EnvVar("QUARKUS_MANAGEMENT_HOST", "0.0.0.0", null));
        assertThat(Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm")))
                .contains("ENV QUARKUS_HTTP_HOST=0.0.0.0 QUARKUS_MANAGEMENT_HOST=0.0.0.0");
    }

    @Test
    void operatorPodIsRestrictedAndProbedWhateverItsSchedulingValues() {
        List<HasMetadata> objects = render("""
                imagePullSecrets: [{name: registry}]
                nodeSelector: {pool: system}
                tolerations: [{key: system, operator: Exists}]
                affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: pool, operator: In, values: [system]}]}}]}}
                priorityClassName: system-cluster-critical
                podAnnotations: {example.com/team: platform}
                extraEnv: [{name: QUARKUS_LOG_CATEGORY__IO_FABRIC8__LEVEL, value: DEBUG}]
                """);
        PodSpec pod = operatorPod(objects);
        Container container = pod.getContainers().get(0);
        assertThat(PodSecurity.restrictedViolations(pod)).isEmpty();
        assertThat(PodSecurity.restrictedViolations(operatorPod(render(Map.of()))))
                .isEmpty();
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(pod.getImagePullSecrets())
                .singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("registry"));
        assertThat(only(objects, ServiceAccount.class).getImagePullSecrets())
                .singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("registry"));
        assertThat(pod.getNodeSelector()).containsEntry("pool", "system");
        assertThat(pod.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("system"));
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getAffinity().getPodAntiAffinity())
                .as("the given affinity replaces the default")
                .isNull();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(only(objects, Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("example.com/team", "platform")
                .containsKey("checksum/config");
        assertThat(env(objects)).containsEntry("QUARKUS_LOG_CATEGORY__IO_FABRIC8__LEVEL", "DEBUG");
    }

    /**
     * Two replicas electing a leader over a Lease named after the release, in the pod's namespace, each under its pod's
     * name; rolled one at a time with a standby ready first; a PodDisruptionBudget; replicas kept apart.
     */
    @Test
    void highlyAvailableByDefault() {
        List<HasMetadata> objects = render(Map.of());
        Deployment deployment = only(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
        assertThat(only(objects, PodDisruptionBudget.class)
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(operatorPod(objects)
                        .getAffinity()
                        .getPodAntiAffinity()
                        .getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(
                        t -> assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        Map<String, String> fromPod = operatorContainer(objects).getEnv().stream()
                .filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(
                        EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertThat(fromPod)
                .containsEntry("BROWSER_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", "metadata.namespace")
                .containsEntry("BROWSER_OPERATOR_LEADER_ELECTION_IDENTITY", "metadata.name");
        OperatorConfig config = operatorConfig(objects);
        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.leaderElection().leaseName()).isEqualTo("browser-operator");
        assertThat(config.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(15));

        Role leases = named(objects, Role.class, "browser-operator-leader-election");
        assertThat(leases.getRules())
                .anySatisfy(r -> {
                    assertThat(r.getResources()).containsExactly("leases");
                    assertThat(r.getResourceNames()).containsExactly("browser-operator");
                    assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "update", "patch");
                })
                .anySatisfy(r -> assertThat(r.getVerbs()).containsExactly("create"));
        assertThat(named(objects, RoleBinding.class, "browser-operator-leader-election")
                        .getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("browser-operator"));

        assertThat(all(render(Map.of("replicaCount", 1)), PodDisruptionBudget.class))
                .isEmpty();
        List<HasMetadata> single = render(Map.of("replicaCount", 1, "leaderElection.enabled", false));
        assertThat(only(single, Deployment.class).getSpec().getStrategy().getType())
                .isEqualTo("Recreate");
        assertThat(all(single, Role.class)).isEmpty();
        assertThat(operatorConfig(single).leaderElection().enabled()).isFalse();
        assertThatThrownBy(() -> render(Map.of("leaderElection.enabled", false)))
                .hasMessageContaining("leaderElection.enabled=false needs replicaCount: 1");
    }

    /**
     * Stopping an operator pod: readiness down for the delay, then REST creates in flight (which wait up to the
     * startup timeout and 10 s more for their session) get the timeout to finish, inside the grace period.
     */
    @Test
    void shutdownLetsRestCreatesInFlightFinish() {
        List<HasMetadata> objects = render(Map.of());
        Map<String, String> env = env(objects);
        assertThat(env)
                .containsEntry("QUARKUS_SHUTDOWN_DELAY", "5s")
                .containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "135s")
                .containsEntry("QUARKUS_OPERATOR_SDK_TERMINATION_TIMEOUT", "10s");
        Duration createWaitsAtMost = operatorConfig(objects).startupTimeout().plusSeconds(10);
        assertThat(Duration.ofSeconds(135)).isGreaterThan(createWaitsAtMost);
        assertThat(operatorPod(objects).getTerminationGracePeriodSeconds()).isEqualTo(5 + 135 + 30);
        assertThat(operatorPod(render(Map.of("shutdown.delaySeconds", 0, "shutdown.timeoutSeconds", 300)))
                        .getTerminationGracePeriodSeconds())
                .isEqualTo(330);
    }

    @Test
    void watchNamespacesGivesTheOperatorRolesThereAndNoClusterWideRights() {
        List<HasMetadata> objects = render("watchNamespaces: [team-a, team-b]\nrestApi: {enabled: true}\n");
        assertThat(operatorConfig(objects).watchNamespaces()).contains(Set.of("team-a", "team-b"));
        List<Role> roles = all(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals("browser-operator"))
                .toList();
        assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        for (Role role : roles) {
            assertThat(role.getRules())
                    .flatExtracting(PolicyRule::getResources)
                    .contains("browsersessions", "pods", "secrets", "events", "resourcequotas");
        }
        assertThat(all(objects, RoleBinding.class))
                .filteredOn(b -> b.getMetadata().getName().equals("browser-operator"))
                .extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b");
        // The one cluster-scoped right: reading the CRDs, which the operator SDK checks at start-up.
        ClusterRole operatorRole = named(objects, ClusterRole.class, "browser-operator");
        assertThat(operatorRole.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("customresourcedefinitions");
            assertThat(r.getResourceNames())
                    .containsExactly("browsersessions.browsers.dev", "browserpools.browsers.dev");
            assertThat(r.getVerbs()).containsExactly("get");
        });

        // All namespaces: one ClusterRole with the session rules.
        ClusterRole everywhere = named(render(Map.of()), ClusterRole.class, "browser-operator");
        assertThat(everywhere.getRules())
                .flatExtracting(PolicyRule::getResources)
                .contains("browsersessions", "browserpools", "pods", "secrets", "customresourcedefinitions");
    }

    @Test
    void peopleAndCiGetRolesAggregatedIntoEditAdminAndView() {
        List<HasMetadata> objects = render(Map.of());
        ClusterRole edit = named(objects, ClusterRole.class, "browser-operator-edit");
        assertThat(edit.getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
        assertThat(edit.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("browsersessions", "browserpools");
            assertThat(r.getVerbs()).contains("create", "patch", "delete", "get", "list", "watch");
        });
        ClusterRole view = named(objects, ClusterRole.class, "browser-operator-view");
        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(view.getRules())
                .singleElement()
                .satisfies(r -> assertThat(r.getVerbs()).containsExactly("get", "list", "watch"));
        assertThat(all(render(Map.of("rbac.aggregateToDefaultRoles", false)), ClusterRole.class))
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("browser-operator");
    }

    /** Release names are unique per namespace only: cluster-scoped names carry the namespace. */
    @Test
    void clusterScopedNamesDoNotCollideBetweenReleases() {
        Set<String> first = clusterScopedNames(template("ops", "team-a").call());
        // The CRD is one per cluster by nature: the second release leaves it to the first.
        Set<String> second = clusterScopedNames(
                template("ops", "team-b").set("crds.install", false).call());
        assertThat(first).contains("ops-browser-operator.team-a", "ops-browser-operator.team-a-edit");
        assertThat(second).doesNotContainAnyElementsOf(first);
        assertThat(clusterScopedNames(template().call()))
                .containsExactlyInAnyOrder(
                        "browser-operator",
                        "browser-operator-edit",
                        "browser-operator-view",
                        "browsersessions.browsers.dev",
                        "browserpools.browsers.dev");
        List<HasMetadata> overridden = Serialization.unmarshal(
                template("x", "team-a").set("fullnameOverride", "browsers").call());
        assertThat(only(overridden, Deployment.class).getMetadata().getName()).isEqualTo("browsers");
        assertThat(only(overridden, ClusterRoleBinding.class).getMetadata().getName())
                .isEqualTo("browsers.team-a");
        assertThat(only(overridden, ClusterRoleBinding.class)
                        .getSubjects()
                        .get(0)
                        .getName())
                .isEqualTo("browsers");
    }

    static Set<String> clusterScopedNames(String manifests) {
        List<HasMetadata> objects = Serialization.unmarshal(manifests);
        return objects.stream()
                .filter(o -> o.getMetadata().getNamespace() == null)
                .map(o -> o.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    /** The CRDs are templates, so upgrades reach them; they are the committed generated ones, kept on uninstall. */
    @Test
    void theCrdsAreTheCommittedGeneratedOnesAndSurviveUninstall() throws IOException {
        List<CustomResourceDefinition> rendered = all(render(Map.of()), CustomResourceDefinition.class);
        assertThat(rendered).hasSize(CRD_FILES.size());
        for (Path file : CRD_FILES) {
            CustomResourceDefinition committed =
                    Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            CustomResourceDefinition crd = rendered.stream()
                    .filter(c -> c.getMetadata()
                            .getName()
                            .equals(committed.getMetadata().getName()))
                    .findFirst()
                    .orElseThrow();
            assertThat(crd.getSpec()).isEqualTo(committed.getSpec());
            assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(crd.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "browser-operator");
        }
        assertThat(all(render(Map.of("crds.keep", false)), CustomResourceDefinition.class))
                .allSatisfy(c -> assertThat(c.getMetadata().getAnnotations()).isNullOrEmpty());
        assertThat(all(render(Map.of("crds.install", false)), CustomResourceDefinition.class))
                .isEmpty();
        assertThat(CHART.resolve("crds"))
                .as("Helm would install crds/ once and never upgrade it")
                .doesNotExist();
    }

    @Test
    void theSchemaRejectsBadValues() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("replicaCount", "two");
        bad.put("shutdown.timeoutSeconds", -1);
        bad.put("sessions.maxTimeout", "forever");
        bad.put("leaderElection.leaseDuration", "15");
        bad.put("restApi.enabeld", true);
        bad.put("replicas", 3);
        bad.put("image.pullPolicy", "Sometimes");
        bad.put("browserClasses.Big.image", "x");
        // Image and command together: one alone would pair an image with another image's binary.
        bad.put("browser.image", "example/chrome:1");
        bad.put("browserClasses.big.command[0]", "/usr/bin/chromium");
        bad.put("networkPolicy.denyEgressCidrs[0]", "not-a-cidr");
        bad.put("agent.port", 70000);
        bad.forEach((key, value) -> assertThatThrownBy(
                        () -> template().set(key, value).call())
                .as("%s=%s", key, value)
                .hasMessageContaining("values don't meet the specifications of the schema"));
        assertThatThrownBy(() -> template().set("replicaCount", "two").call()).hasMessageContaining("/replicaCount");
        assertThatThrownBy(() -> template().set("replicas", 3).call())
                .hasMessageContaining("additional properties 'replicas' not allowed");
    }

    @Test
    void networkPoliciesAreOptInAndKeepSessionsFromMetadataAndTheClusterAndOthersFromSessions() {
        assertThat(all(render(Map.of()), NetworkPolicy.class)).isEmpty();
        assertThatThrownBy(() -> render(Map.of("networkPolicy.enabled", true)))
                .hasMessageContaining("networkPolicy.enabled needs the namespaces of session pods");

        List<HasMetadata> objects = render("""
                watchNamespaces: [qa, agents]
                networkPolicy:
                  enabled: true
                  clients: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ci}}}]
                  denyEgressCidrs: [10.0.0.0/8, "fd00:10::/56"]
                  apiServerCidrs: [192.168.0.10/32]
                """);
        List<NetworkPolicy> sessionPolicies = all(objects, NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals("browser-operator-sessions"))
                .toList();
        assertThat(sessionPolicies)
                .extracting(p -> p.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("qa", "agents");
        NetworkPolicy sessions = sessionPolicies.get(0);
        assertThat(sessions.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/managed-by", "browser-operator"));
        assertThat(sessions.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        // In: the agent port only, from the operator's pods and the named clients.
        assertThat(sessions.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9222));
            assertThat(rule.getFrom()).hasSize(2);
            assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "browser-operator");
            assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "browser-operator");
            assertThat(rule.getFrom().get(1).getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "ci");
        });
        // Out: DNS, and anything but link-local (cloud metadata) and the denied CIDRs.
        assertThat(sessions.getSpec().getEgress())
                .anySatisfy(rule -> assertThat(rule.getPorts())
                        .extracting(p -> p.getPort().getIntVal())
                        .containsOnly(53));
        List<IPBlock> blocks = sessions.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getTo().stream())
                .map(NetworkPolicyPeer::getIpBlock)
                .filter(b -> b != null)
                .toList();
        assertThat(blocks).anySatisfy(b -> {
            assertThat(b.getCidr()).isEqualTo("0.0.0.0/0");
            assertThat(b.getExcept()).containsExactlyInAnyOrder("169.254.0.0/16", "10.0.0.0/8");
        });
        assertThat(blocks).anySatisfy(b -> {
            assertThat(b.getCidr()).isEqualTo("::/0");
            assertThat(b.getExcept()).containsExactlyInAnyOrder("fe80::/10", "fd00:ec2::254/128", "fd00:10::/56");
        });

        // The operator reaches agents on their port in the sessions' namespaces, and the API server.
        NetworkPolicy operator = named(objects, NetworkPolicy.class, "browser-operator");
        assertThat(operator.getMetadata().getNamespace()).isEqualTo("browser-operator");
        assertThat(operator.getSpec().getEgress()).anySatisfy(rule -> {
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9222));
            assertThat(rule.getTo().get(0).getNamespaceSelector().getMatchExpressions())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValues()).containsExactly("qa", "agents"));
            assertThat(rule.getTo().get(0).getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "browser-operator");
        });
        assertThat(operator.getSpec().getEgress()).anySatisfy(rule -> {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 6443);
            assertThat(rule.getTo())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("192.168.0.10/32"));
        });
        assertThat(operator.getSpec().getIngress())
                .extracting(rule -> rule.getPorts().get(0).getPort().getStrVal())
                .containsExactlyInAnyOrder("http", "metrics");
    }

    @Test
    void theProductionExampleRendersRestrictedWithEverythingOn() {
        List<HasMetadata> objects = Serialization.unmarshal(
                template().withValuesFile(PRODUCTION_VALUES).call());
        assertThat(PodSecurity.restrictedViolations(operatorPod(objects))).isEmpty();
        OperatorConfig config = operatorConfig(objects);
        assertThat(config.watchNamespaces()).contains(Set.of("qa", "agents"));
        BrowserSession session =
                new BrowserSession("qa", "checkout", new BrowserSessionSpec().withBrowserClassName("large"));
        Pod pod = SessionPods.desired(config, session);
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("karpenter.sh/do-not-disrupt", "true");
        assertThat(PodSecurity.restrictedViolations(pod.getSpec())).isEmpty();
        assertThat(PodSecurity.restrictedViolations(
                        SessionPods.desired(config, new BrowserSession("qa", "plain", new BrowserSessionSpec()))
                                .getSpec()))
                .isEmpty();
        assertThat(objects).anyMatch(o -> o.getKind().equals("NetworkPolicy"));
    }

    @Test
    void notesSayHowToCreateASessionAndWhereTheRestApiIs() {
        String notes = new Helm(CHART)
                .install()
                .withName("browser-operator")
                .withNamespace("browser-operator")
                .withKubeVersion(KUBE_VERSION)
                .set("restApi.enabled", true)
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
        assertThat(notes)
                .contains("kind: BrowserSession")
                .contains("kubectl wait --for=condition=Ready bs/my-session")
                .contains("my-session-connection")
                .contains("http://browser-operator.browser-operator.svc/v1/sessions");
        String withoutApi = new Helm(CHART)
                .install()
                .withName("browser-operator")
                .withNamespace("browser-operator")
                .withKubeVersion(KUBE_VERSION)
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
        assertThat(withoutApi).contains("kind: BrowserSession").doesNotContain("/v1/sessions");
    }

    /** With every optional part on, so that the values inside them are rendered too. */
    static final String EVERYTHING_ON = """
            watchNamespaces: [qa]
            restApi: {enabled: true}
            networkPolicy: {enabled: true}
            metrics: {serviceMonitor: {enabled: true}, prometheusRule: {enabled: true}, grafanaDashboard: {enabled: true}}
            """;

    /** For every value in values.yaml, by its path, another valid setting (with what it needs beside it). */
    static final Map<String, String> OTHER_SETTINGS = Map.ofEntries(
            Map.entry("nameOverride", "nameOverride: browsers"),
            Map.entry("fullnameOverride", "fullnameOverride: ops"),
            Map.entry("image.repository", "image: {repository: example.com/operator}"),
            Map.entry("image.tag", "image: {tag: 9.9.9}"),
            Map.entry("image.pullPolicy", "image: {pullPolicy: Always}"),
            Map.entry("imagePullSecrets", "imagePullSecrets: [{name: registry}]"),
            Map.entry("replicaCount", "replicaCount: 3"),
            Map.entry("leaderElection.enabled", "leaderElection: {enabled: false}\nreplicaCount: 1"),
            Map.entry("leaderElection.leaseDuration", "leaderElection: {leaseDuration: 30s}"),
            Map.entry("leaderElection.renewDeadline", "leaderElection: {renewDeadline: 20s}"),
            Map.entry("leaderElection.retryPeriod", "leaderElection: {retryPeriod: 1s}"),
            Map.entry("podDisruptionBudget.enabled", "podDisruptionBudget: {enabled: false}"),
            Map.entry("podDisruptionBudget.minAvailable", "podDisruptionBudget: {minAvailable: 2}"),
            Map.entry("watchNamespaces", "watchNamespaces: [qa, agents]"),
            Map.entry("resources.requests.cpu", "resources: {requests: {cpu: 200m}}"),
            Map.entry("resources.requests.memory", "resources: {requests: {memory: 300Mi}}"),
            Map.entry("resources.limits.memory", "resources: {limits: {memory: 1Gi}}"),
            Map.entry("nodeSelector", "nodeSelector: {pool: system}"),
            Map.entry("tolerations", "tolerations: [{key: system, operator: Exists}]"),
            Map.entry(
                    "affinity",
                    "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, "
                            + "preference: {matchExpressions: [{key: pool, operator: In, values: [system]}]}}]}}"),
            Map.entry("priorityClassName", "priorityClassName: system-cluster-critical"),
            Map.entry("podAnnotations", "podAnnotations: {example.com/team: platform}"),
            Map.entry("extraEnv", "extraEnv: [{name: QUARKUS_LOG_CATEGORY__IO_FABRIC8__LEVEL, value: DEBUG}]"),
            Map.entry("shutdown.delaySeconds", "shutdown: {delaySeconds: 10}"),
            Map.entry("shutdown.timeoutSeconds", "shutdown: {timeoutSeconds: 200}"),
            Map.entry("crds.install", "crds: {install: false}"),
            Map.entry("crds.keep", "crds: {keep: false}"),
            Map.entry("rbac.aggregateToDefaultRoles", "rbac: {aggregateToDefaultRoles: false}"),
            Map.entry("sessions.defaultTimeout", "sessions: {defaultTimeout: 10m}"),
            Map.entry("sessions.maxTimeout", "sessions: {maxTimeout: 2h}"),
            Map.entry("sessions.startupTimeout", "sessions: {startupTimeout: 3m}"),
            Map.entry("sessions.ttlAfterFinished", "sessions: {ttlAfterFinished: 2h}"),
            Map.entry("sessions.agentUnreachableGrace", "sessions: {agentUnreachableGrace: 20s}"),
            Map.entry("sessions.podLabelsFromSession", "sessions: {podLabelsFromSession: [team]}"),
            Map.entry("browser.resources.requests.cpu", "browser: {resources: {requests: {cpu: 500m}}}"),
            Map.entry("browser.resources.limits.cpu", "browser: {resources: {limits: {cpu: '4'}}}"),
            Map.entry("browser.resources.limits.memory", "browser: {resources: {limits: {memory: 4Gi}}}"),
            Map.entry("browser.resources.tmpSizeLimit", "browser: {resources: {tmpSizeLimit: 2Gi}}"),
            Map.entry("browser.pod.nodeSelector", "browser: {pod: {nodeSelector: {pool: browsers}}}"),
            Map.entry(
                    "browser.pod.tolerations",
                    "browser: {pod: {tolerations: [{key: browsers, operator: Exists, effect: NoSchedule}]}}"),
            Map.entry(
                    "browser.pod.affinity",
                    "browser: {pod: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                            + "{nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [b]}]}]}}}}}"),
            Map.entry(
                    "browser.pod.topologySpreadConstraints",
                    "browser: {pod: {topologySpreadConstraints: [{maxSkew: 2, topologyKey: kubernetes.io/hostname, "
                            + "whenUnsatisfiable: ScheduleAnyway}]}}"),
            Map.entry("browser.pod.priorityClassName", "browser: {pod: {priorityClassName: browser-sessions}}"),
            Map.entry("browser.pod.runtimeClassName", "browser: {pod: {runtimeClassName: gvisor}}"),
            Map.entry("browser.pod.imagePullSecrets", "browser: {pod: {imagePullSecrets: [{name: registry}]}}"),
            Map.entry("browser.pod.labels", "browser: {pod: {labels: {tier: sandboxed}}}"),
            Map.entry(
                    "browser.pod.annotations", "browser: {pod: {annotations: {karpenter.sh/do-not-disrupt: 'true'}}}"),
            Map.entry("browserClasses", "browserClasses: {large: {resources: {limits: {memory: 4Gi}}}}"),
            Map.entry("agent.port", "agent: {port: 9333}"),
            Map.entry("agent.resources.requests.cpu", "agent: {resources: {requests: {cpu: 100m}}}"),
            Map.entry("agent.resources.requests.memory", "agent: {resources: {requests: {memory: 96Mi}}}"),
            Map.entry("agent.resources.limits.memory", "agent: {resources: {limits: {memory: 256Mi}}}"),
            Map.entry("restApi.enabled", "restApi: {enabled: false}"),
            Map.entry("networkPolicy.enabled", "networkPolicy: {enabled: false}"),
            Map.entry("networkPolicy.sessionNamespaces", "networkPolicy: {sessionNamespaces: [agents]}"),
            Map.entry(
                    "networkPolicy.clients",
                    "networkPolicy: {clients: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ci}}}]}"),
            Map.entry("networkPolicy.denyEgressCidrs", "networkPolicy: {denyEgressCidrs: [10.0.0.0/8]}"),
            Map.entry("networkPolicy.dns", "networkPolicy: {dns: [{ipBlock: {cidr: 169.254.20.10/32}}]}"),
            Map.entry(
                    "networkPolicy.apiClients",
                    "networkPolicy: {apiClients: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                            + "qa}}}]}"),
            Map.entry(
                    "networkPolicy.metricsClients",
                    "networkPolicy: {metricsClients: [{namespaceSelector: {matchLabels: "
                            + "{kubernetes.io/metadata.name: monitoring}}}]}"),
            Map.entry("networkPolicy.apiServerCidrs", "networkPolicy: {apiServerCidrs: [192.168.0.10/32]}"),
            Map.entry("networkPolicy.apiServerPorts", "networkPolicy: {apiServerPorts: [8443]}"),
            Map.entry("metrics.serviceMonitor.enabled", "metrics: {serviceMonitor: {enabled: false}}"),
            Map.entry("metrics.serviceMonitor.interval", "metrics: {serviceMonitor: {interval: 60s}}"),
            Map.entry("metrics.serviceMonitor.labels", "metrics: {serviceMonitor: {labels: {release: kps}}}"),
            Map.entry("metrics.prometheusRule.enabled", "metrics: {prometheusRule: {enabled: false}}"),
            Map.entry("metrics.prometheusRule.labels", "metrics: {prometheusRule: {labels: {release: kps}}}"),
            Map.entry(
                    "metrics.prometheusRule.startupFailureRatio",
                    "metrics: {prometheusRule: {startupFailureRatio: 0.2}}"),
            Map.entry(
                    "metrics.prometheusRule.releaseLatenessSeconds",
                    "metrics: {prometheusRule: {releaseLatenessSeconds: 10}}"),
            Map.entry("metrics.prometheusRule.pendingFor", "metrics: {prometheusRule: {pendingFor: 10m}}"),
            Map.entry("metrics.grafanaDashboard.enabled", "metrics: {grafanaDashboard: {enabled: false}}"),
            Map.entry(
                    "metrics.grafanaDashboard.labels.grafana_dashboard",
                    "metrics: {grafanaDashboard: {labels: {grafana_dashboard: '2'}}}"),
            Map.entry("logging.json", "logging: {json: true}"),
            Map.entry("logging.level", "logging: {level: DEBUG}"));

    /**
     * Every value in values.yaml is rendered: set otherwise (on top of everything on), it changes the manifests; and
     * whatever it is set to, the operator's pod and the session pods of the configuration it renders stay restricted.
     * A value added to values.yaml without an entry in {@link #OTHER_SETTINGS} fails here.
     */
    @Test
    void everyValueChangesWhatIsRenderedAndEveryPodStaysRestricted() throws IOException {
        Map<String, Object> defaults = yaml(Files.readString(CHART.resolve("values.yaml")));
        assertThat(OTHER_SETTINGS.keySet())
                .as("every value in values.yaml, and only those")
                .containsExactlyInAnyOrderElementsOf(leaves(defaults, ""));
        Map<String, Object> base = yaml(EVERYTHING_ON);
        String baseManifests = renderWith(base);
        OTHER_SETTINGS.forEach((path, setting) -> {
            Map<String, Object> values = merged(base, yaml(setting));
            String manifests = renderWith(values);
            assertThat(manifests).as("%s changes nothing", path).isNotEqualTo(baseManifests);
            List<HasMetadata> objects = Serialization.unmarshal(manifests);
            assertThat(PodSecurity.restrictedViolations(operatorPod(objects)))
                    .as("operator pod with %s", path)
                    .isEmpty();
            OperatorConfig config = operatorConfig(objects);
            List<String> classes = new ArrayList<>(config.browserClasses().keySet());
            classes.add(OperatorConfig.DEFAULT_BROWSER_CLASS);
            for (String browserClass : classes) {
                BrowserSession session =
                        new BrowserSession("qa", "s", new BrowserSessionSpec().withBrowserClassName(browserClass));
                assertThat(PodSecurity.restrictedViolations(
                                SessionPods.desired(config, session).getSpec()))
                        .as("session pod of class %s with %s", browserClass, path)
                        .isEmpty();
            }
        });
    }

    static String renderWith(Map<String, Object> values) {
        return template()
                .withValuesFile(valuesFile(Serialization.asYaml(values)))
                .call();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String yaml) {
        return Serialization.unmarshal(yaml, Map.class);
    }

    /** The dotted paths of values.yaml's leaves: scalars, lists and empty maps. */
    @SuppressWarnings("unchecked")
    static List<String> leaves(Map<String, Object> values, String prefix) {
        List<String> leaves = new ArrayList<>();
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                leaves.addAll(leaves((Map<String, Object>) map, prefix + key + "."));
            } else {
                leaves.add(prefix + key);
            }
        });
        return leaves;
    }

    /** Maps merged key by key, as Helm merges values files; anything else in the overlay replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && result.get(key) instanceof Map<?, ?> existing) {
                result.put(key, merged((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                result.put(key, value);
            }
        });
        return result;
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
        return named(objects, ClusterRole.class, "browser-operator").getRules().stream()
                .filter(r -> r.getResources().equals(List.of("browsersessions")))
                .map(PolicyRule::getVerbs)
                .findFirst()
                .orElseThrow();
    }
}
