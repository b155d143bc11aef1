package dev.browsers.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
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
                .containsExactlyInAnyOrder("AGENT_PORT", "BROWSER_CDP_PORT", "SESSION_TOKEN");
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
    void noVolumesSoTheKubeletStartsTheContainersWithoutWaitingToMountAny() {
        BrowserSession session = session(new BrowserSessionSpec());
        BrowserSessionStatus live = new BrowserSessionStatus();
        live.setExpiresAt("2026-11-29T10:05:00.000Z");
        session.setStatus(live);
        Pod pod = desired(session, Map.of());
        assertThat(pod.getSpec().getVolumes()).isEmpty();
        // The deadline reaches the agent from the operator; the annotation records it once taken, not before.
        assertThat(pod.getMetadata().getAnnotations()).isEmpty();
        Container browser = container(pod, "browser");
        assertThat(browser.getVolumeMounts()).isEmpty();
        // Its /tmp holds the profile and the shared memory files, written by a user who can write nowhere else.
        assertThat(browser.getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
        assertThat(browser.getArgs()).contains("--disable-dev-shm-usage", "--user-data-dir=/tmp/profile");
        assertThat(browser.getEnv())
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("/tmp"));
        Container agent = container(pod, "agent");
        assertThat(agent.getVolumeMounts()).isEmpty();
        assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
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
                    .hasSize(7);
        }
        assertThat(container(
                                desired(session(new BrowserSessionSpec().withBrowserClassName("plain")), config),
                                "browser")
                        .getArgs())
                .endsWith("--lang=de-DE");
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
}
