package dev.browsers.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import dev.browsers.operator.testing.PodSecurity;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session pod as the operator declares it, from configuration only. */
class SessionPodDependentTest {

    static Pod desired(BrowserSession session, Map<String, String> config) {
        return new SessionPodDependent(TestConfigs.operatorConfig(config)).desired(session, null);
    }

    static BrowserSession session(BrowserSessionSpec spec) {
        BrowserSession session = new BrowserSession("team-a", "checkout", spec);
        session.getMetadata().setUid("uid-1");
        return session;
    }

    static Container container(Pod pod, String name) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSessionsBrowserOptionsBecomeFlagsAndItsProxyCredentialsComeFromItsSecretOnly() {
        BrowserSessionSpec spec = new BrowserSessionSpec()
                .withDimensions(new Dimensions(1280, 720))
                .withUserAgent("Checkout-Bot/1.0 (like Gecko)")
                .withBlockAds(true)
                .withProxy(new SessionProxy("http://proxy.example:3128", new SecretReference("proxy-login")))
                .withContext(new SessionContext(new SecretReference("login-context")));
        Pod pod = desired(session(spec), Map.of());

        assertThat(container(pod, "browser").getArgs())
                .contains(
                        "--window-size=1280,720",
                        "--user-agent=Checkout-Bot/1.0 (like Gecko)",
                        "--proxy-server=http://proxy.example:3128")
                .noneMatch(a -> a.startsWith("--window-size=1920"));
        Container agent = container(pod, "agent");
        Map<String, EnvVar> env = new HashMap<>();
        agent.getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env.get("AGENT_BLOCK_ADS").getValue()).isEqualTo("true");
        assertThat(env.get("AGENT_PROXY_SERVER").getValue()).isEqualTo("http://proxy.example:3128");
        assertThat(env.get("AGENT_PROXY_USERNAME")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("proxy-login");
        assertThat(env.get("AGENT_PROXY_USERNAME")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("username");
        assertThat(env.get("AGENT_PROXY_PASSWORD")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("password");
        assertThat(env.get("AGENT_SESSION_CONTEXT").getValue()).isNull();
        assertThat(env.get("AGENT_SESSION_CONTEXT").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo("login-context"))
                .satisfies(ref -> assertThat(ref.getKey()).isEqualTo("context"));
        assertThat(agent.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }

    @Test
    void withoutDimensionsTheWindowIsTheDefaultUnlessTheBrowserClassSetsOne() {
        assertThat(container(desired(session(new BrowserSessionSpec()), Map.of()), "browser")
                        .getArgs())
                .contains("--window-size=1920,1080");
        Pod classSized = desired(
                session(new BrowserSessionSpec()),
                Map.of("browser-operator.browser.args", "--headless,--window-size=800\\,600"));
        assertThat(container(classSized, "browser").getArgs())
                .contains("--window-size=800,600")
                .doesNotContain("--window-size=1920,1080");
        assertThat(container(classSized, "agent").getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("AGENT_BLOCK_ADS", "AGENT_PROXY_SERVER", "AGENT_PROXY_USERNAME");
    }

    @Test
    void browserAndAgentRunRestrictedWithTheBrowserOnLoopbackOnly() {
        Pod pod = desired(session(new BrowserSessionSpec()), Map.of());
        assertThat(pod.getMetadata().getName()).isEqualTo("checkout-browser");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("browsers.dev/session", "checkout")
                .containsEntry("app.kubernetes.io/managed-by", "browser-operator");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        // startup timeout + maximum timeout + a minute of grace
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(120 + 86_400 + 60);

        Container browser = container(pod, "browser");
        assertThat(browser.getImage()).isEqualTo("ghcr.io/browsers-dev/browser-operator-chromium:0.1.0");
        assertThat(browser.getCommand()).containsExactly("/usr/lib/chromium/chromium-headless-shell");
        assertThat(browser.getArgs())
                .startsWith(
                        "--headless",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=9223",
                        "--user-data-dir=/tmp/profile");
        assertThat(browser.getPorts()).isEmpty();
        assertThat(browser.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));

        Container agent = container(pod, "agent");
        // The relative class path and archive of the agent's command start here.
        assertThat(agent.getWorkingDir()).isEqualTo("/deployments");
        assertThat(agent.getCommand()).contains("-XX:SharedArchiveFile=agent/agent.jsa", "agent/*");
        assertThat(agent.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9222));
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(agent.getEnv())
                .extracting(EnvVar::getName)
                .containsExactlyInAnyOrder(
                        "AGENT_PORT",
                        "BROWSER_CDP_PORT",
                        "SESSION_TOKEN",
                        "AGENT_MAX_CONNECTIONS",
                        "AGENT_MAX_MESSAGE_BYTES",
                        "AGENT_CLIENT_TIMEOUT_MILLIS",
                        "JDK_JAVA_OPTIONS");
        EnvVar token = agent.getEnv().stream()
                .filter(e -> e.getName().equals("SESSION_TOKEN"))
                .findFirst()
                .orElseThrow();
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("checkout-connection");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        for (Container c : pod.getSpec().getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getPrivileged()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        }
    }

    @Test
    void theAgentsLimitsAndItsJvmsMemoryComeFromTheConfiguration() {
        Container defaults = container(desired(session(new BrowserSessionSpec()), Map.of()), "agent");
        assertThat(env(defaults))
                .containsEntry("AGENT_MAX_CONNECTIONS", "32")
                .containsEntry("AGENT_MAX_MESSAGE_BYTES", String.valueOf(64 * 1024 * 1024))
                .containsEntry("AGENT_CLIENT_TIMEOUT_MILLIS", "15000")
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAM=" + 128 * 1024 * 1024);
        assertThat(defaults.getResources().getLimits()).containsEntry("memory", new Quantity("128Mi"));
        assertThat(defaults.getCommand()).contains("-XX:MinRAMPercentage=25", "-XX:MaxRAMPercentage=25");
        assertThat(defaults.getCommand()).noneMatch(arg -> arg.startsWith("-Xmx"));

        Container configured = container(
                desired(
                        session(new BrowserSessionSpec()),
                        Map.of(
                                "browser-operator.agent.max-connections", "5",
                                "browser-operator.agent.max-message-size", "100M",
                                "browser-operator.agent.client-timeout", "2s",
                                "browser-operator.agent.resources.memory-limit", "256Mi")),
                "agent");
        assertThat(env(configured))
                .containsEntry("AGENT_MAX_CONNECTIONS", "5")
                .containsEntry("AGENT_MAX_MESSAGE_BYTES", String.valueOf(100 * 1024 * 1024))
                .containsEntry("AGENT_CLIENT_TIMEOUT_MILLIS", "2000")
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAM=" + 256 * 1024 * 1024);
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    @Test
    void theHardDeadlineIsNotInThePodTheOperatorGivesItToTheAgent() {
        BrowserSession session = session(new BrowserSessionSpec());
        BrowserSessionStatus live = new BrowserSessionStatus();
        live.setExpiresAt("2026-11-29T10:05:00.000Z");
        session.setStatus(live);
        Pod pod = desired(session, Map.of());
        // The browser's bounded /tmp is the one volume: no downward-API file for the deadline.
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        // The deadline reaches the agent from the operator; the annotation records it once taken, not before.
        assertThat(pod.getMetadata().getAnnotations()).isEmpty();
        Container agent = container(pod, "agent");
        assertThat(agent.getVolumeMounts()).isEmpty();
        assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Container browser = container(pod, "browser");
        assertThat(browser.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(browser.getArgs()).contains("--disable-dev-shm-usage", "--user-data-dir=/tmp/profile");
    }

    @Test
    void aBrowserClassChoosesImageCommandFlagsAndResources() {
        Map<String, String> config = Map.of(
                "browser-operator.browser-classes.big.image", "example.com/chromium:1",
                "browser-operator.browser-classes.big.command", "/usr/bin/chromium",
                // A comma inside a flag is escaped: the list is comma-separated.
                "browser-operator.browser-classes.big.args", "--window-size=1920\\,1080,--force-device-scale-factor=2",
                "browser-operator.browser-classes.big.resources.memory-limit", "4Gi",
                "browser-operator.agent.port", "9500");
        Pod pod = desired(session(new BrowserSessionSpec().withBrowserClassName("big")), config);
        Container browser = container(pod, "browser");
        assertThat(browser.getImage()).isEqualTo("example.com/chromium:1");
        assertThat(browser.getCommand()).containsExactly("/usr/bin/chromium");
        assertThat(browser.getArgs()).endsWith("--window-size=1920,1080", "--force-device-scale-factor=2");
        assertThat(browser.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(container(pod, "agent").getPorts().get(0).getContainerPort()).isEqualTo(9500);
    }

    @Test
    void aClassThatSetsItsOwnFlagsKeepsEveryFlagThePodNeedsFirst() {
        // A class with nothing of the defaults: without --no-sandbox Chromium would exit "No usable sandbox!".
        Map<String, String> config = Map.of(
                "browser-operator.browser-classes.plain.args", "--lang=de-DE",
                "browser-operator.browser.args", "--hide-scrollbars");
        for (String className : new String[] {"plain", null}) {
            Container browser = container(
                    desired(session(new BrowserSessionSpec().withBrowserClassName(className)), config), "browser");
            assertThat(browser.getArgs())
                    .as("class %s", className)
                    .startsWith(
                            "--headless",
                            "--no-sandbox",
                            "--disable-dev-shm-usage",
                            "--remote-debugging-address=127.0.0.1",
                            "--remote-debugging-port=9223",
                            "--user-data-dir=/tmp/profile")
                    // The class's one flag, then the session's default window size.
                    .hasSize(8)
                    .endsWith("--window-size=1920,1080");
        }
        assertThat(container(
                                desired(session(new BrowserSessionSpec().withBrowserClassName("plain")), config),
                                "browser")
                        .getArgs())
                .containsSubsequence("--lang=de-DE", "--window-size=1920,1080");
    }

    @Test
    void imageAndCommandComeTogetherAsConfiguredOrAsTheDefaultPair() {
        Map<String, String> config = Map.of(
                "browser-operator.browser.image", "localhost/kube-local/chromium-headless-shell:local",
                "browser-operator.browser.command", "/usr/lib/chromium/chromium-headless-shell",
                "browser-operator.browser-classes.chromedp.image", "docker.io/chromedp/headless-shell:stable",
                "browser-operator.browser-classes.chromedp.command", "/headless-shell/headless-shell",
                "browser-operator.browser-classes.small.resources.memory-limit", "1Gi");
        Container byDefault = container(desired(session(new BrowserSessionSpec()), config), "browser");
        assertThat(byDefault.getImage()).isEqualTo("localhost/kube-local/chromium-headless-shell:local");
        assertThat(byDefault.getCommand()).containsExactly("/usr/lib/chromium/chromium-headless-shell");

        Container chromedp = container(
                desired(session(new BrowserSessionSpec().withBrowserClassName("chromedp")), config), "browser");
        assertThat(chromedp.getImage()).isEqualTo("docker.io/chromedp/headless-shell:stable");
        assertThat(chromedp.getCommand()).containsExactly("/headless-shell/headless-shell");

        // Neither set: this project's image with its own binary, not the default class's image.
        Container small =
                container(desired(session(new BrowserSessionSpec().withBrowserClassName("small")), config), "browser");
        assertThat(small.getImage()).isEqualTo(OperatorConfig.DEFAULT_BROWSER_IMAGE);
        assertThat(small.getCommand()).containsExactly(OperatorConfig.DEFAULT_BROWSER_COMMAND);
    }

    @Test
    void aClassWithAnImageButNoCommandNeverMakesAPod() {
        Map<String, String> config =
                Map.of("browser-operator.browser.image", "docker.io/chromedp/headless-shell:stable");
        assertThatThrownBy(() -> desired(session(new BrowserSessionSpec()), config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start-up should have refused it");
    }

    @Test
    void theAgentStartsFirstBecauseItsJvmTakesLongerToListenThanChromium() {
        Pod pod = desired(session(new BrowserSessionSpec()), Map.of());
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("agent", "browser");
    }

    /** Every pod setting a browser class can carry, as the Helm chart writes them (quoted keys, JSON and YAML). */
    static final Map<String, String> EVERY_POD_SETTING = Map.ofEntries(
            Map.entry("browser-operator.pod-labels-from-session", "team,cost-center"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.node-selector.\"kubernetes.io/os\"", "linux"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.node-selector.pool", "browsers"),
            Map.entry(
                    "browser-operator.browser-classes.sandboxed.pod.tolerations",
                    "[{\"key\":\"browsers\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.affinity", """
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions:
                              - {key: node.kubernetes.io/instance-type, operator: In, values: [c7i.large]}
                    """),
            Map.entry(
                    "browser-operator.browser-classes.sandboxed.pod.topology-spread-constraints",
                    "[{\"maxSkew\":1,\"topologyKey\":\"topology.kubernetes.io/zone\","
                            + "\"whenUnsatisfiable\":\"ScheduleAnyway\","
                            + "\"labelSelector\":{\"matchLabels\":{\"app.kubernetes.io/managed-by\":"
                            + "\"browser-operator\"}}}]"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.priority-class-name", "browser-sessions"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.runtime-class-name", "gvisor"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.image-pull-secrets", "registry-a,registry-b"),
            Map.entry("browser-operator.browser-classes.sandboxed.pod.labels.tier", "sandboxed"),
            Map.entry(
                    "browser-operator.browser-classes.sandboxed.pod.labels.\"app.kubernetes.io/managed-by\"",
                    "someone-else"),
            Map.entry(
                    "browser-operator.browser-classes.sandboxed.pod.annotations.\"karpenter.sh/do-not-disrupt\"",
                    "true"),
            Map.entry(
                    "browser-operator.browser-classes.sandboxed.pod.annotations.\"browsers.dev/expires-at\"", "never"),
            Map.entry("browser-operator.browser-classes.sandboxed.resources.tmp-size-limit", "512Mi"));

    static BrowserSession labelledSession(String browserClass) {
        BrowserSession session = session(new BrowserSessionSpec().withBrowserClassName(browserClass));
        session.getMetadata()
                .setLabels(Map.of("team", "checkout", "cost-center", "cc-42", "secret-project", "x", "pool", "y"));
        BrowserSessionStatus status = new BrowserSessionStatus();
        status.setExpiresAt("2026-11-29T10:05:00.000Z");
        session.setStatus(status);
        return session;
    }

    @Test
    void aBrowserClassPlacesItsPodsAndLabelsThemWithoutTouchingTheirSecurity() {
        Pod pod = desired(labelledSession("sandboxed"), EVERY_POD_SETTING);
        var spec = pod.getSpec();
        assertThat(spec.getNodeSelector())
                .containsExactlyInAnyOrderEntriesOf(Map.of("kubernetes.io/os", "linux", "pool", "browsers"));
        assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("browsers");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(spec.getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()
                        .get(0)
                        .getMatchExpressions()
                        .get(0)
                        .getValues())
                .containsExactly("c7i.large");
        assertThat(spec.getTopologySpreadConstraints()).singleElement().satisfies(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(c.getLabelSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "browser-operator");
        });
        assertThat(spec.getPriorityClassName()).isEqualTo("browser-sessions");
        assertThat(spec.getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(spec.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-a", "registry-b");
        // Only the allowed session labels, and the operator's own labels and annotations win over the class's.
        assertThat(pod.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "team", "checkout",
                        "cost-center", "cc-42",
                        "tier", "sandboxed",
                        "app.kubernetes.io/managed-by", "browser-operator",
                        "browsers.dev/session", "checkout"));
        // The deadline annotation is the operator's record of what the agent holds: a class cannot set it.
        assertThat(pod.getMetadata().getAnnotations())
                .containsExactlyInAnyOrderEntriesOf(Map.of("karpenter.sh/do-not-disrupt", "true"));
        assertThat(tmp(pod).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("512Mi"));

        assertThat(PodSecurity.restrictedViolations(spec)).isEmpty();
        Pod plain = desired(labelledSession(null), EVERY_POD_SETTING);
        assertThat(PodSecurity.restrictedViolations(plain.getSpec())).isEmpty();
        assertThat(plain.getSpec().getNodeSelector()).isNull();
        assertThat(plain.getSpec().getRuntimeClassName()).isNull();
        assertThat(plain.getMetadata().getLabels())
                .containsKeys("team", "cost-center")
                .doesNotContainKey("tier");
    }

    @Test
    void theRestrictedCheckCatchesWhatItShould() {
        Pod pod = desired(session(new BrowserSessionSpec()), Map.of());
        pod.getSpec().setHostNetwork(true);
        container(pod, "browser").getSecurityContext().setAllowPrivilegeEscalation(true);
        container(pod, "agent").getSecurityContext().getCapabilities().setDrop(java.util.List.of());
        assertThat(PodSecurity.restrictedViolations(pod.getSpec()))
                .containsExactlyInAnyOrder(
                        "hostNetwork",
                        "container browser: allowPrivilegeEscalation not false",
                        "container agent: capabilities do not drop ALL");
    }

    /**
     * The browser keeps its shared memory in /tmp (--disable-dev-shm-usage), a disk-backed emptyDir with a size
     * limit; there is no in-memory /dev/shm, which would count against the memory limit unseen. Memory is requested
     * as much as the limit, so the browser is not among the first pods evicted.
     */
    @Test
    void sharedMemoryIsInTmpWhichIsBoundedAndMemoryIsRequestedUpToItsLimit() {
        Pod pod = desired(session(new BrowserSessionSpec()), Map.of());
        Container browser = container(pod, "browser");
        assertThat(browser.getArgs()).contains("--disable-dev-shm-usage");
        assertThat(browser.getVolumeMounts())
                .extracting(VolumeMount::getMountPath)
                .containsExactly("/tmp");
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).doesNotContain("dshm");
        Volume tmp = tmp(pod);
        assertThat(tmp.getEmptyDir().getMedium()).isNull();
        assertThat(tmp.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("1Gi"));
        assertThat(browser.getResources().getRequests()).containsEntry("memory", new Quantity("2Gi"));
        assertThat(browser.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));

        Map<String, String> config = new HashMap<>();
        config.put("browser-operator.browser.resources.memory-request", "1Gi");
        config.put("browser-operator.browser.resources.memory-limit", "3Gi");
        Container sized = container(desired(session(new BrowserSessionSpec()), config), "browser");
        assertThat(sized.getResources().getRequests()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(sized.getResources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
    }

    @Test
    void aMalformedPodSettingStopsTheOperatorNamingItsKey() {
        assertThatThrownBy(() -> new SessionPodDependent(TestConfigs.operatorConfig(
                        Map.of("browser-operator.browser-classes.gpu.pod.tolerations", "{\"key\": [1, 2]"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "browser-operator.browser-classes.gpu.pod.tolerations: expected List<Toleration>");
        assertThatThrownBy(() -> new SessionPodDependent(
                        TestConfigs.operatorConfig(Map.of("browser-operator.browser.pod.affinity", "[1, 2]"))))
                .hasMessageStartingWith("browser-operator.browser.pod.affinity: expected Affinity");
    }

    static Volume tmp(Pod pod) {
        return pod.getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("tmp"))
                .findFirst()
                .orElseThrow();
    }
}
