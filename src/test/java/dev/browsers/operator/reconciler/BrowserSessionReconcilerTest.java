package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.dependent.ConnectionSecretDependent;
import dev.browsers.operator.lifecycle.ActivityObservation;
import dev.browsers.operator.lifecycle.SessionConditions;
import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.local.OwnerReferenceCollector;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.MutableClock;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Pods;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real reconciler in a real JOSDK operator against the Fabric8 mock API server in CRUD mode; a fresh
 * API server per test, and each test starts the operator with the configuration it needs.
 */
@EnableKubernetesMockClient(crud = true)
class BrowserSessionReconcilerTest {
    static final Map<String, String> KEEP_FINISHED = Map.of("browser-operator.ttl-after-finished", "0");
    final String ns = "team-a";
    final MutableClock clock = new MutableClock();
    KubernetesClient client;
    Sessions sessions;
    OperatorHarness operator;

    @BeforeEach
    void installCrd() {
        EmbeddedApiServer.installCrd(client);
        sessions = new Sessions(client, ns);
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) {
            operator.stop();
        }
    }

    void startOperator() {
        startOperator(KEEP_FINISHED);
    }

    void startOperator(Map<String, String> config) {
        operator = harness(config).start();
    }

    OperatorHarness harness(Map<String, String> config) {
        return harness(config, new FakeAgents());
    }

    OperatorHarness harness(Map<String, String> config, FakeAgents.Activity activity) {
        return harness(config, new FakeAgents(activity));
    }

    OperatorHarness harness(Map<String, String> config, FakeAgents agents) {
        return new OperatorHarness(client, TestConfigs.operatorConfig(config), clock, agents);
    }

    @Test
    void createdSessionGetsARestrictedPodAndAConnectionSecret() {
        startOperator();
        BrowserSession session = sessions.create("checkout", new BrowserSessionSpec().withTimeout("10m"));
        BrowserSessionStatus status = await().until(
                        () -> sessions.status("checkout"),
                        s -> s != null && s.getPhase() == Phase.Pending && s.getPodName() != null);
        assertThat(status.getReason()).isEqualTo(Reason.Starting);
        assertThat(status.getPodName()).isEqualTo("checkout-browser");
        assertThat(status.getConnectionSecretName()).isEqualTo("checkout-connection");
        assertThat(status.getObservedGeneration())
                .isEqualTo(session.getMetadata().getGeneration());

        Pod pod = await().until(() -> Pods.get(client, ns, "checkout-browser"), p -> p != null);
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(SessionLabels.forSession("checkout"));
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("BrowserSession");
            assertThat(ref.getName()).isEqualTo("checkout");
            assertThat(ref.getController()).isTrue();
        });
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(2 * 60 + 24 * 3600 + 60L);
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("agent", "browser");
        // One volume: the browser's bounded /tmp; no downward-API file, the agent gets its deadline from the operator.
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
        for (Container c : pod.getSpec().getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
        }
        Container browser = pod.getSpec().getContainers().get(1);
        assertThat(browser.getArgs()).contains("--remote-debugging-address=127.0.0.1", "--remote-debugging-port=9223");

        Secret secret =
                client.secrets().inNamespace(ns).withName("checkout-connection").get();
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("checkout"));
        assertThat(ConnectionSecretDependent.token(secret))
                .hasValueSatisfying(t -> assertThat(t).hasSizeGreaterThan(40));
    }

    @Test
    void readyPodMakesTheSessionLiveWithItsDeadlineAndConnectionUrl() {
        startOperator();
        sessions.create("live", new BrowserSessionSpec().withTimeout("10m"));
        awaitPodAndSet("live", Pods.ready("10.1.2.3"));
        BrowserSessionStatus status = sessions.awaitPhase("live", Phase.Live);
        Instant liveTime = Timestamps.parse(status.getLiveTime());
        assertThat(Timestamps.parse(status.getExpiresAt())).isEqualTo(liveTime.plus(Duration.ofMinutes(10)));
        assertThat(status.getWebsocketUrl()).isEqualTo("ws://10.1.2.3:9222/devtools/browser");
        assertThat(status.getDebugUrl()).as("the viewer, without the token").isEqualTo("http://10.1.2.3:9222/viewer");
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        await().untilAsserted(() -> {
            Secret secret =
                    client.secrets().inNamespace(ns).withName("live-connection").get();
            String token = ConnectionSecretDependent.token(secret).orElseThrow();
            assertThat(ConnectionSecret.websocketUrl(secret.getData()))
                    .contains(status.getWebsocketUrl() + "?token=" + token);
            assertThat(Pods.get(client, ns, "live-browser").getMetadata().getAnnotations())
                    .containsEntry(SessionLabels.EXPIRES_AT_ANNOTATION, status.getExpiresAt());
        });
    }

    @Test
    void theAgentAnsweringReadyMakesTheSessionLiveBeforeTheKubeletsProbeDoes() {
        FakeAgents agents = new FakeAgents();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("quick", new BrowserSessionSpec().withTimeout("10m"));
        awaitPodAndSet("quick", Pods.runningNotReady("10.1.2.9", "containers with unready status: [agent]"));
        // Asked again and again, with no new event from the pod, while the browser does not answer.
        await().until(() -> agents.readinessAsked.size() >= 3);
        assertThat(sessions.status("quick").getPhase()).isEqualTo(Phase.Pending);

        agents.browserAnswers.set(true);
        BrowserSessionStatus live = sessions.awaitPhase("quick", Phase.Live);
        assertThat(agents.readinessAsked).containsOnly("10.1.2.9:9222");
        assertThat(live.getWebsocketUrl()).isEqualTo("ws://10.1.2.9:9222/devtools/browser");
        assertThat(readyCondition(live)).isEqualTo("True");

        // The kubelet's next status still says not ready: the agent's answer keeps the session Ready.
        int askedBefore = agents.readinessAsked.size();
        Pods.setStatus(client, ns, "quick-browser", Pods.runningNotReady("10.1.2.9", "still probing"));
        await().until(() -> agents.readinessAsked.size() > askedBefore);
        assertThat(readyCondition(sessions.status("quick"))).isEqualTo("True");
    }

    @Test
    void aPodWithoutAnAddressIsNotAskedAbout() {
        FakeAgents agents = new FakeAgents();
        agents.browserAnswers.set(true);
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("no-ip", new BrowserSessionSpec());
        awaitPodAndSet("no-ip", new PodStatusBuilder().withPhase("Pending").build());
        sessions.awaitPhase("no-ip", Phase.Pending);
        awaitPodAndSet("no-ip", Pods.ready("10.1.2.10"));
        sessions.awaitPhase("no-ip", Phase.Live);
        assertThat(agents.readinessAsked).isEmpty();
    }

    @Test
    void theAgentIsGivenTheDeadlineOnceLiveAndAgainWhenItMoves() {
        FakeAgents agents = new FakeAgents();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("told", new BrowserSessionSpec().withTimeout("10m"));
        awaitPodAndSet("told", Pods.ready("10.1.2.20"));
        BrowserSessionStatus live = sessions.awaitPhase("told", Phase.Live);
        await().until(() -> live.getExpiresAt().equals(deadlineAnnotation("told")));
        assertThat(agents.deadlines).containsEntry("10.1.2.20:9222", Timestamps.parse(live.getExpiresAt()));

        sessions.editSpec("told", spec -> spec.setTimeout("1h"));
        String moved = Timestamps.format(Timestamps.parse(live.getLiveTime()).plus(Duration.ofHours(1)));
        await().until(() -> moved.equals(deadlineAnnotation("told")));
        assertThat(agents.deadlines).containsEntry("10.1.2.20:9222", Timestamps.parse(moved));
        assertThat(agents.deadlinesGiven).hasSize(2);
    }

    @Test
    void anAgentThatDoesNotTakeTheDeadlineIsAskedAgainAndTheSessionStaysLive() {
        FakeAgents agents = new FakeAgents();
        agents.takeDeadlines.set(false);
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("deaf", new BrowserSessionSpec().withTimeout("10m"));
        awaitPodAndSet("deaf", Pods.ready("10.1.2.21"));
        BrowserSessionStatus live = sessions.awaitPhase("deaf", Phase.Live);
        await().until(() -> agents.deadlinesGiven.size() >= 2);
        assertThat(deadlineAnnotation("deaf")).isNull();
        assertThat(sessions.status("deaf").getPhase()).isEqualTo(Phase.Live);

        agents.takeDeadlines.set(true);
        await().until(() -> live.getExpiresAt().equals(deadlineAnnotation("deaf")));
    }

    @Test
    void shortTimeoutReleasesAtTheDeadlineAndDeletesThePod() {
        startOperator();
        sessions.create("short", new BrowserSessionSpec().withTimeout("2s"));
        awaitPodAndSet("short", Pods.ready("10.1.2.4"));
        sessions.awaitPhase("short", Phase.Live);
        BrowserSessionStatus status = sessions.awaitPhase("short", Phase.Released);
        assertThat(status.getReason()).isEqualTo(Reason.Timeout);
        Duration lateness =
                Duration.between(Timestamps.parse(status.getExpiresAt()), Timestamps.parse(status.getFinishedTime()));
        assertThat(lateness).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(status.getDurationSeconds()).isBetween(2.0, 3.0);
        await().until(() -> Pods.get(client, ns, "short-browser") == null);
        assertThat(reasonsOfEvents("short")).containsSubsequence("Starting", "Running", "Timeout");
    }

    @Test
    void releasedTrueReleasesAndFlippingItBackDoesNothing() {
        startOperator();
        sessions.create("rel", new BrowserSessionSpec());
        awaitPodAndSet("rel", Pods.ready("10.1.2.5"));
        sessions.awaitPhase("rel", Phase.Live);
        sessions.editSpec("rel", spec -> spec.setReleased(true));
        BrowserSessionStatus released = sessions.awaitPhase("rel", Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.Released);
        await().until(() -> Pods.get(client, ns, "rel-browser") == null);

        BrowserSession flipped = sessions.editSpec("rel", spec -> spec.setReleased(false));
        await().until(() -> sessions.status("rel").getObservedGeneration()
                >= flipped.getMetadata().getGeneration());
        assertThat(sessions.status("rel").getPhase()).isEqualTo(Phase.Released);
        assertThat(sessions.status("rel").getFinishedTime()).isEqualTo(released.getFinishedTime());
        assertThat(Pods.get(client, ns, "rel-browser")).isNull();
    }

    @Test
    void releasedWhilePendingNeverGoesLive() {
        startOperator();
        sessions.create("early", new BrowserSessionSpec());
        sessions.awaitPhase("early", Phase.Pending);
        sessions.editSpec("early", spec -> spec.setReleased(true));
        assertThat(sessions.awaitPhase("early", Phase.Released).getLiveTime()).isNull();
        await().until(() -> Pods.get(client, ns, "early-browser") == null);
    }

    @Test
    void podFailureFailsTheSession() {
        startOperator();
        sessions.create("evicted", new BrowserSessionSpec());
        awaitPodAndSet("evicted", Pods.ready("10.1.2.6"));
        sessions.awaitPhase("evicted", Phase.Live);
        Pods.setStatus(client, ns, "evicted-browser", Pods.failed("Evicted", "The node was low on memory."));
        BrowserSessionStatus status = sessions.awaitPhase("evicted", Phase.Failed);
        assertThat(status.getReason()).isEqualTo(Reason.PodFailed);
        assertThat(status.getMessage()).contains("low on memory");
        await().until(() -> Pods.get(client, ns, "evicted-browser") == null);
        assertThat(sessions.events("evicted")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("PodFailed");
            assertThat(e.getType()).isEqualTo("Warning");
        });
    }

    @Test
    void browserExitFailsTheSessionAsACrash() {
        startOperator();
        sessions.create("crash", new BrowserSessionSpec());
        awaitPodAndSet("crash", Pods.ready("10.1.2.7"));
        sessions.awaitPhase("crash", Phase.Live);
        Pods.setStatus(client, ns, "crash-browser", Pods.browserExited(139));
        BrowserSessionStatus status = sessions.awaitPhase("crash", Phase.Failed);
        assertThat(status.getReason()).isEqualTo(Reason.BrowserCrashed);
        assertThat(status.getMessage()).contains("exit code 139");
    }

    @Test
    void podDeletedBySomeoneElseFailsTheSessionAndIsNotRecreated() {
        startOperator();
        sessions.create("gone", new BrowserSessionSpec());
        awaitPodAndSet("gone", Pods.ready("10.1.2.8"));
        sessions.awaitPhase("gone", Phase.Live);
        client.pods().inNamespace(ns).withName("gone-browser").delete();
        BrowserSessionStatus status = sessions.awaitPhase("gone", Phase.Failed);
        assertThat(status.getReason()).isEqualTo(Reason.PodDeleted);
        assertThat(Pods.get(client, ns, "gone-browser")).isNull();
    }

    @Test
    void unschedulableAndImagePullFailuresAreReadFromThePod() {
        startOperator();
        sessions.create("nodes", new BrowserSessionSpec());
        sessions.create("image", new BrowserSessionSpec());
        awaitPodAndSet("nodes", Pods.unschedulable("0/3 nodes are available: 3 Insufficient memory."));
        awaitPodAndSet("image", Pods.imagePullBackOff("Back-off pulling image \"nope:1\""));
        BrowserSessionStatus nodes = sessions.awaitPhase("nodes", Phase.Failed);
        assertThat(nodes.getReason()).isEqualTo(Reason.Unschedulable);
        assertThat(nodes.getMessage()).contains("Insufficient memory");
        BrowserSessionStatus image = sessions.awaitPhase("image", Phase.Failed);
        assertThat(image.getReason()).isEqualTo(Reason.ImagePullFailed);
        assertThat(image.getMessage()).contains("nope:1");
    }

    @Test
    void podNeverReadyFailsWithStartupTimeout() {
        startOperator(Map.of("browser-operator.startup-timeout", "1s", "browser-operator.ttl-after-finished", "0"));
        sessions.create("slow", new BrowserSessionSpec());
        BrowserSessionStatus status = sessions.awaitPhase("slow", Phase.Failed);
        assertThat(status.getReason()).isEqualTo(Reason.StartupTimeout);
        await().until(() -> Pods.get(client, ns, "slow-browser") == null);
    }

    @Test
    void timeoutEditsMoveTheDeadlineOfALiveSession() {
        startOperator();
        sessions.create("edit", new BrowserSessionSpec().withTimeout("1m"));
        awaitPodAndSet("edit", Pods.ready("10.1.2.9"));
        BrowserSessionStatus live = sessions.awaitPhase("edit", Phase.Live);
        Instant liveTime = Timestamps.parse(live.getLiveTime());

        sessions.editSpec("edit", spec -> spec.setTimeout("2h"));
        String extended = Timestamps.format(liveTime.plus(Duration.ofHours(2)));
        await().until(() -> extended.equals(sessions.status("edit").getExpiresAt()));
        await().until(() -> extended.equals(Pods.get(client, ns, "edit-browser")
                .getMetadata()
                .getAnnotations()
                .get(SessionLabels.EXPIRES_AT_ANNOTATION)));

        sessions.editSpec("edit", spec -> spec.setTimeout("1s"));
        BrowserSessionStatus released = sessions.awaitPhase("edit", Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.Timeout);
        assertThat(released.getExpiresAt()).isEqualTo(Timestamps.format(liveTime.plusSeconds(1)));
    }

    @Test
    void restartedOperatorKeepsTheDeadline() {
        startOperator();
        sessions.create("restart", new BrowserSessionSpec().withTimeout("4s"));
        awaitPodAndSet("restart", Pods.ready("10.1.2.10"));
        BrowserSessionStatus live = sessions.awaitPhase("restart", Phase.Live);

        operator.stop();
        startOperator();

        BrowserSessionStatus released = sessions.awaitPhase("restart", Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.Timeout);
        assertThat(released.getExpiresAt()).isEqualTo(live.getExpiresAt());
        assertThat(Duration.between(
                        Timestamps.parse(released.getExpiresAt()), Timestamps.parse(released.getFinishedTime())))
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void deadlinePassedWhileTheOperatorWasDownReleasesOnStartUp() {
        startOperator();
        sessions.create("down", new BrowserSessionSpec().withTimeout("10m"));
        awaitPodAndSet("down", Pods.ready("10.1.2.11"));
        BrowserSessionStatus live = sessions.awaitPhase("down", Phase.Live);

        operator.stop();
        clock.advance(Duration.ofHours(1));
        startOperator();

        BrowserSessionStatus released = sessions.awaitPhase("down", Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.Timeout);
        assertThat(released.getExpiresAt()).isEqualTo(live.getExpiresAt());
        await().until(() -> Pods.get(client, ns, "down-browser") == null);
    }

    @Test
    void idleAgentReleasesForInactivityAtTheIdleDeadline() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        operator = harness(KEEP_FINISHED, (endpoint, token, now) -> {
                    asked.add(endpoint + " " + token);
                    return new ActivityObservation.Reported(null);
                })
                .start();
        sessions.create("idle", new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("1s"));
        awaitPodAndSet("idle", Pods.ready("10.1.2.14"));
        BrowserSessionStatus released = sessions.awaitPhase("idle", Phase.Released);
        assertThat(released.getReason()).isEqualTo(Reason.InactivityTimeout);
        assertThat(Duration.between(
                        Timestamps.parse(released.getInactivityDeadline()),
                        Timestamps.parse(released.getFinishedTime())))
                .isBetween(Duration.ZERO, Duration.ofSeconds(1));
        String token = ConnectionSecretDependent.token(client.secrets()
                        .inNamespace(ns)
                        .withName("idle-connection")
                        .get())
                .orElseThrow();
        assertThat(asked).containsOnly("10.1.2.14:9222 " + token);
    }

    @Test
    void unreachableAgentIsRetriedThenTheSessionFailsAsAgentUnreachable() {
        List<Instant> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        operator = harness(
                        Map.of(
                                "browser-operator.ttl-after-finished",
                                "0",
                                "browser-operator.agent-unreachable-grace",
                                "2s"),
                        (endpoint, token, now) -> {
                            asked.add(now);
                            return new ActivityObservation.Unreachable("connection refused");
                        })
                .start();
        sessions.create("lost", new BrowserSessionSpec().withTimeout("10m").withInactivityTimeout("1s"));
        awaitPodAndSet("lost", Pods.ready("10.1.2.15"));
        BrowserSessionStatus failed = sessions.awaitPhase("lost", Phase.Failed);
        assertThat(failed.getReason()).isEqualTo(Reason.AgentUnreachable);
        assertThat(failed.getMessage())
                .contains("could not reach the session agent at 10.1.2.15:9222")
                .contains("connection refused");
        assertThat(asked).hasSizeGreaterThanOrEqualTo(3);
        await().until(() -> Pods.get(client, ns, "lost-browser") == null);
    }

    @Test
    void deletingTheSessionDeletesItsPodAndSecret() {
        startOperator();
        try (OwnerReferenceCollector gc = new OwnerReferenceCollector(client)) {
            sessions.create("del", new BrowserSessionSpec());
            awaitPodAndSet("del", Pods.ready("10.1.2.12"));
            sessions.awaitPhase("del", Phase.Live);
            assertThat(sessions.events("del")).isNotEmpty();
            client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName("del")
                    .delete();
            await().until(() -> Pods.get(client, ns, "del-browser") == null
                    && client.secrets()
                                    .inNamespace(ns)
                                    .withName("del-connection")
                                    .get()
                            == null);
            // The embedded store's stand-in for the API server expiring Events.
            await().until(() -> sessions.events("del").isEmpty());
        }
    }

    @Test
    void finishedSessionsAreDeletedAfterTheirTtl() {
        startOperator(Map.of("browser-operator.ttl-after-finished", "1s"));
        sessions.create("ttl", new BrowserSessionSpec().withReleased(true));
        sessions.awaitPhase("ttl", Phase.Released);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.resources(BrowserSession.class)
                                .inNamespace(ns)
                                .withName("ttl")
                                .get()
                        == null);
    }

    @Test
    void aSessionsOwnTtlDeletesItThatLongAfterItFinishedWhateverTheOperatorDefault() {
        startOperator(KEEP_FINISHED);
        sessions.create("own-ttl", new BrowserSessionSpec().withTtlAfterFinished("2s"));
        sessions.create("kept", new BrowserSessionSpec());
        awaitPodAndSet("own-ttl", Pods.ready("10.1.2.16"));
        awaitPodAndSet("kept", Pods.ready("10.1.2.17"));
        sessions.awaitPhase("own-ttl", Phase.Live);
        sessions.editSpec("own-ttl", spec -> spec.setReleased(true));
        sessions.editSpec("kept", spec -> spec.setReleased(true));
        Instant finished =
                Timestamps.parse(sessions.awaitPhase("own-ttl", Phase.Released).getFinishedTime());
        await().atMost(Duration.ofSeconds(6)).until(() -> sessions.status("own-ttl") == null);
        Duration afterFinish = Duration.between(finished, Instant.now());
        assertThat(afterFinish).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(4));
        // The operator keeps finished sessions (ttl 0): only the one with its own TTL went.
        assertThat(sessions.status("kept").getPhase()).isEqualTo(Phase.Released);
    }

    @Test
    void badSpecsFailWithInvalidSpecAndAnEventWithoutHurtingOthers() {
        startOperator();
        // The mock API server does not validate the schema: these reach the operator's own checks.
        Map<String, BrowserSessionSpec> bad = Map.of(
                "over-max", new BrowserSessionSpec().withTimeout("48h"),
                "zero", new BrowserSessionSpec().withTimeout("0s"),
                "negative", new BrowserSessionSpec().withTimeout("-5m"),
                "garbage", new BrowserSessionSpec().withInactivityTimeout("soon"),
                "no-class", new BrowserSessionSpec().withBrowserClassName("gpu"));
        bad.forEach(sessions::create);
        sessions.create("good", new BrowserSessionSpec());
        awaitPodAndSet("good", Pods.ready("10.1.2.13"));
        assertThat(sessions.awaitPhase("good", Phase.Live).getReason()).isEqualTo(Reason.Running);

        for (String name : bad.keySet()) {
            BrowserSessionStatus status = sessions.awaitPhase(name, Phase.Failed);
            assertThat(status.getReason()).isEqualTo(Reason.InvalidSpec);
            assertThat(status.getMessage()).startsWith("spec.");
            assertThat(Pods.get(client, ns, name + "-browser")).isNull();
            await().untilAsserted(() -> assertThat(sessions.events(name)).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("InvalidSpec");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo(status.getMessage());
            }));
        }
        assertThat(sessions.status("over-max").getMessage()).contains("\"48h\"").contains("at most 24h");
        assertThat(sessions.status("no-class").getMessage()).contains("allowed: default");
    }

    static final String CONTEXT =
            "{\"cookies\":[{\"name\":\"login\",\"value\":\"s3cret\",\"domain\":\"shop.example\"}],"
                    + "\"localStorage\":{\"https://shop.example\":{\"user\":\"ann\"}}}";

    static BrowserSessionSpec savingTo(String secret) {
        return new BrowserSessionSpec().withContext(new SessionContext(null, secret));
    }

    FakeAgents agentsWithContext() {
        FakeAgents agents = new FakeAgents();
        agents.context.set(new AgentClient.ContextAnswer.Read(CONTEXT));
        return agents;
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    Condition awaitContextSaved(String session) {
        return await().until(
                        () -> Optional.ofNullable(sessions.status(session))
                                .flatMap(s -> SessionConditions.find(s, SessionConditions.CONTEXT_SAVED)),
                        Optional::isPresent)
                .orElseThrow();
    }

    Event awaitEvent(String session, String reason) {
        return await().until(
                        () -> sessions.events(session).stream()
                                .filter(e -> reason.equals(e.getReason()))
                                .toList(),
                        events -> !events.isEmpty())
                .get(0);
    }

    @Test
    void aTimeoutSavesTheContextToANewSecretThatOutlivesTheSessionThenDeletesThePod() {
        FakeAgents agents = agentsWithContext();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("saver", savingTo("shop-login").withTimeout("2s"));
        awaitPodAndSet("saver", Pods.ready("10.1.3.1"));
        sessions.awaitPhase("saver", Phase.Live);
        assertThat(sessions.awaitPhase("saver", Phase.Released).getReason()).isEqualTo(Reason.Timeout);

        Condition saved = awaitContextSaved("saver");
        assertThat(saved.getStatus()).isEqualTo("True");
        assertThat(saved.getReason()).isEqualTo("Saved");
        assertThat(saved.getMessage()).contains("Secret shop-login created").doesNotContain("s3cret");
        Secret secret = secret("shop-login");
        assertThat(decoded(secret, "context")).isEqualTo(CONTEXT);
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getMetadata().getLabels())
                .containsEntry("browsers.dev/context", "true")
                .containsEntry("browsers.dev/saved-from", "saver");
        assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(secret.getMetadata().getAnnotations())
                .containsEntry(
                        "browsers.dev/saved-from-uid",
                        sessions.get("saver").getMetadata().getUid());
        String token = ConnectionSecretDependent.token(sessions.connectionSecret("saver"))
                .orElseThrow();
        assertThat(agents.contextsRead).containsExactly("10.1.3.1:9222 " + token);
        await().until(() -> Pods.get(client, ns, "saver-browser") == null);
        Event event = awaitEvent("saver", "ContextSaved");
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(Serialization.asJson(client.resources(BrowserSession.class)
                        .inNamespace(ns)
                        .withName("saver")
                        .get()))
                .doesNotContain("s3cret");

        // The Secret is the session's no more than any other: deleting the session leaves it.
        try (OwnerReferenceCollector gc = new OwnerReferenceCollector(client)) {
            client.resources(BrowserSession.class)
                    .inNamespace(ns)
                    .withName("saver")
                    .delete();
            await().until(() -> sessions.connectionSecret("saver") == null);
            assertThat(secret("shop-login")).isNotNull();
        }
    }

    @Test
    void aReleaseUpdatesAManagedSecretKeepingItsOtherKeys() {
        client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("kept-login")
                        .withNamespace(ns)
                        .withLabels(Map.of("browsers.dev/context", "true", "team", "shop"))
                        .endMetadata()
                        .withType("Opaque")
                        .withData(Map.of(
                                "context",
                                Base64.getEncoder().encodeToString("{\"cookies\":[]}".getBytes(StandardCharsets.UTF_8)),
                                "note",
                                Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        operator = harness(KEEP_FINISHED, agentsWithContext()).start();
        sessions.create(
                "refresh",
                new BrowserSessionSpec()
                        .withContext(new SessionContext(new SecretReference("kept-login"), "kept-login")));
        awaitPodAndSet("refresh", Pods.ready("10.1.3.2"));
        sessions.awaitPhase("refresh", Phase.Live);
        sessions.editSpec("refresh", spec -> spec.setReleased(true));
        assertThat(sessions.awaitPhase("refresh", Phase.Released).getReason()).isEqualTo(Reason.Released);

        assertThat(awaitContextSaved("refresh").getMessage()).contains("Secret kept-login updated");
        Secret secret = secret("kept-login");
        assertThat(decoded(secret, "context")).isEqualTo(CONTEXT);
        assertThat(decoded(secret, "note")).isEqualTo("hello");
        assertThat(secret.getMetadata().getLabels())
                .containsEntry("team", "shop")
                .containsEntry("browsers.dev/saved-from", "refresh");
        await().until(() -> Pods.get(client, ns, "refresh-browser") == null);
    }

    @Test
    void aSecretWithoutTheLabelIsNotTouchedAndTheSessionSaysWhichLabelToAdd() {
        Secret foreign = client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("db-password")
                        .withNamespace(ns)
                        .endMetadata()
                        .withData(Map.of(
                                "context",
                                Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        FakeAgents agents = agentsWithContext();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("sneaky", savingTo("db-password"));
        awaitPodAndSet("sneaky", Pods.ready("10.1.3.3"));
        sessions.awaitPhase("sneaky", Phase.Live);
        sessions.editSpec("sneaky", spec -> spec.setReleased(true));

        Condition notSaved = awaitContextSaved("sneaky");
        assertThat(notSaved.getStatus()).isEqualTo("False");
        assertThat(notSaved.getReason()).isEqualTo("SecretNotManaged");
        assertThat(notSaved.getMessage()).contains("db-password").contains("browsers.dev/context=true");
        Secret after = secret("db-password");
        assertThat(after.getData()).isEqualTo(foreign.getData());
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(foreign.getMetadata().getResourceVersion());
        Event event = awaitEvent("sneaky", "ContextNotSaved");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("browsers.dev/context=true");
        await().until(() -> Pods.get(client, ns, "sneaky-browser") == null);
    }

    /** A Secret with an owner goes when its owner does: a context saved there would be lost with "Saved" shown. */
    @Test
    void aLabelledSecretWithAnOwnerIsNotTouched() {
        ConfigMap owner = client.configMaps()
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("login-owner")
                        .withNamespace(ns)
                        .endMetadata()
                        .build())
                .create();
        Secret owned = client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("owned-login")
                        .withNamespace(ns)
                        .withLabels(Map.of("browsers.dev/context", "true"))
                        .addNewOwnerReference()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("login-owner")
                        .withUid(owner.getMetadata().getUid())
                        .endOwnerReference()
                        .endMetadata()
                        .withData(Map.of(
                                "context", Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        operator = harness(KEEP_FINISHED, agentsWithContext()).start();
        sessions.create("owned", savingTo("owned-login"));
        awaitPodAndSet("owned", Pods.ready("10.1.3.7"));
        sessions.awaitPhase("owned", Phase.Live);
        sessions.editSpec("owned", spec -> spec.setReleased(true));

        Condition notSaved = awaitContextSaved("owned");
        assertThat(notSaved.getStatus()).isEqualTo("False");
        assertThat(notSaved.getReason()).isEqualTo("SecretNotManaged");
        assertThat(notSaved.getMessage())
                .contains("owned-login")
                .contains("owned by ConfigMap login-owner")
                .contains("deleted with it");
        assertThat(secret("owned-login").getMetadata().getResourceVersion())
                .isEqualTo(owned.getMetadata().getResourceVersion());
    }

    /**
     * What the agent answers is written only if a session could restore it; the condition names the rule it breaks,
     * never the content.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"cookies\":[{\"name\":\"s3cret\"}]}       | Invalid  | cookies[0] needs a name and a value",
                "{\"sessionStorage\":{}}                       | Invalid  | field sessionStorage is not supported",
                "{\"localStorage\":{\"https://a.b\":{\"k\":1}}} | Invalid  | localStorage[https://a.b] must be an object of strings",
                "BIG                                          | TooLarge | bytes, the most a context may have",
            })
    void aContextThatCouldNotBeRestoredIsNotSaved(String answer, String reason, String rule) {
        // Over the restore's limit, within what the HTTP client takes from an agent.
        String json = answer.equals("BIG")
                ? "{\"localStorage\":{\"https://a.b\":{\"k\":\"" + "x".repeat(AgentContract.CONTEXT_MAX_BYTES) + "\"}}}"
                : answer;
        FakeAgents agents = new FakeAgents();
        agents.context.set(new AgentClient.ContextAnswer.Read(json));
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("unrestorable", savingTo("unrestorable-login"));
        awaitPodAndSet("unrestorable", Pods.ready("10.1.3.8"));
        sessions.awaitPhase("unrestorable", Phase.Live);
        sessions.editSpec("unrestorable", spec -> spec.setReleased(true));

        Condition notSaved = awaitContextSaved("unrestorable");
        assertThat(notSaved.getStatus()).isEqualTo("False");
        assertThat(notSaved.getReason()).isEqualTo(reason);
        assertThat(notSaved.getMessage())
                .contains("unrestorable-login")
                .contains(rule)
                .doesNotContain("s3cret")
                .doesNotContain("xxxx");
        Event event = awaitEvent("unrestorable", "ContextNotSaved");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains(rule);
        assertThat(secret("unrestorable-login")).isNull();
        await().until(() -> Pods.get(client, ns, "unrestorable-browser") == null);
    }

    /**
     * The operator wrote the Secret and stopped before the status: the pod is gone when it is back, and the Secret's
     * saved-from-uid says the save happened. A Secret written from another session says nothing of this one.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSaveTheStatusLostIsRecognisedByTheSecretsUid(boolean thisSession) {
        FakeAgents agents = agentsWithContext();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("crashed-saver", savingTo("crashed-login"));
        awaitPodAndSet("crashed-saver", Pods.ready("10.1.3.9"));
        sessions.awaitPhase("crashed-saver", Phase.Live);
        operator.stop();

        String uid = thisSession ? sessions.get("crashed-saver").getMetadata().getUid() : "another-session-uid";
        client.secrets()
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("crashed-login")
                        .withNamespace(ns)
                        .withLabels(Map.of("browsers.dev/context", "true"))
                        .withAnnotations(Map.of("browsers.dev/saved-from-uid", uid))
                        .endMetadata()
                        .withData(Map.of(
                                "context",
                                Base64.getEncoder().encodeToString(CONTEXT.getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        sessions.editSpec("crashed-saver", spec -> spec.setReleased(true));
        sessions.editStatus("crashed-saver", status -> {
            status.setPhase(Phase.Released);
            status.setReason(Reason.Released);
            status.setMessage("released on request (spec.released)");
            status.setFinishedTime(Timestamps.format(clock.instant()));
            SessionConditions.remove(status, SessionConditions.READY);
        });
        client.pods().inNamespace(ns).withName("crashed-saver-browser").delete();
        await().until(() -> Pods.get(client, ns, "crashed-saver-browser") == null);
        operator = harness(KEEP_FINISHED, agents).start();

        Condition outcome = awaitContextSaved("crashed-saver");
        if (thisSession) {
            assertThat(outcome.getStatus()).as(outcome.getMessage()).isEqualTo("True");
            assertThat(outcome.getReason()).isEqualTo("Saved");
            assertThat(awaitEvent("crashed-saver", "ContextSaved").getType()).isEqualTo("Normal");
        } else {
            assertThat(outcome.getStatus()).isEqualTo("False");
            assertThat(outcome.getReason()).isEqualTo("BrowserGone");
        }
        assertThat(agents.contextsRead).isEmpty();
    }

    /** ttlAfterFinished 0s deletes the session in the pass that saves: the outcome is still an Event. */
    @Test
    void aSessionDeletedAsItFinishesStillReportsItsSaveAsAnEvent() {
        operator = harness(KEEP_FINISHED, agentsWithContext()).start();
        sessions.create("fleeting", savingTo("fleeting-login").withTtlAfterFinished("0s"));
        awaitPodAndSet("fleeting", Pods.ready("10.1.3.10"));
        sessions.awaitPhase("fleeting", Phase.Live);
        sessions.editSpec("fleeting", spec -> spec.setReleased(true));

        await().until(() -> sessions.get("fleeting") == null);
        assertThat(decoded(secret("fleeting-login"), "context")).isEqualTo(CONTEXT);
        Event event = awaitEvent("fleeting", "ContextSaved");
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getMessage()).contains("Secret fleeting-login created");
    }

    @Test
    void aFailedSessionSavesNothingAndSaysSo() {
        FakeAgents agents = agentsWithContext();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("crashed", savingTo("crash-login"));
        awaitPodAndSet("crashed", Pods.ready("10.1.3.4"));
        sessions.awaitPhase("crashed", Phase.Live);
        Pods.setStatus(client, ns, "crashed-browser", Pods.browserExited(139));
        sessions.awaitPhase("crashed", Phase.Failed);

        Condition notSaved = awaitContextSaved("crashed");
        assertThat(notSaved.getStatus()).isEqualTo("False");
        assertThat(notSaved.getReason()).isEqualTo("SessionFailed");
        Event event = awaitEvent("crashed", "ContextNotSaved");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("crash-login").contains("BrowserCrashed");
        assertThat(agents.contextsRead).isEmpty();
        assertThat(secret("crash-login")).isNull();
    }

    @Test
    void anUnreachableAgentDoesNotKeepThePodAndTheSessionSaysWhy() {
        FakeAgents agents = new FakeAgents();
        agents.context.set(new AgentClient.ContextAnswer.Failed(
                "AgentUnreachable", "the session agent at 10.1.3.5:9222 did not answer: connection refused"));
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("mute", savingTo("mute-login"));
        awaitPodAndSet("mute", Pods.ready("10.1.3.5"));
        sessions.awaitPhase("mute", Phase.Live);
        sessions.editSpec("mute", spec -> spec.setReleased(true));

        await().until(() -> Pods.get(client, ns, "mute-browser") == null);
        Condition notSaved = awaitContextSaved("mute");
        assertThat(notSaved.getStatus()).isEqualTo("False");
        assertThat(notSaved.getReason()).isEqualTo("AgentUnreachable");
        assertThat(notSaved.getMessage()).contains("mute-login").contains("connection refused");
        assertThat(awaitEvent("mute", "ContextNotSaved").getType()).isEqualTo("Warning");
        assertThat(sessions.status("mute").getPhase()).isEqualTo(Phase.Released);
        assertThat(secret("mute-login")).isNull();
    }

    @Test
    void anOperatorStoppedBetweenReleasedAndTheSaveSavesOnceWhenItIsBack() {
        FakeAgents agents = agentsWithContext();
        operator = harness(KEEP_FINISHED, agents).start();
        sessions.create("resumed", savingTo("resumed-login"));
        awaitPodAndSet("resumed", Pods.ready("10.1.3.6"));
        sessions.awaitPhase("resumed", Phase.Live);
        operator.stop();

        // What the old operator wrote before it stopped: Released, and nothing saved yet.
        sessions.editSpec("resumed", spec -> spec.setReleased(true));
        sessions.editStatus("resumed", status -> {
            status.setPhase(Phase.Released);
            status.setReason(Reason.Released);
            status.setMessage("released on request (spec.released)");
            status.setFinishedTime(Timestamps.format(clock.instant()));
            SessionConditions.remove(status, SessionConditions.READY);
        });
        assertThat(Pods.get(client, ns, "resumed-browser")).isNotNull();
        operator = harness(KEEP_FINISHED, agents).start();

        Condition saved = awaitContextSaved("resumed");
        assertThat(saved.getStatus()).as(saved.getMessage()).isEqualTo("True");
        assertThat(decoded(secret("resumed-login"), "context")).isEqualTo(CONTEXT);
        await().until(() -> Pods.get(client, ns, "resumed-browser") == null);

        // Reconciled again (a new generation), and again after another restart: never saved twice.
        BrowserSession edited = sessions.editSpec("resumed", spec -> spec.setTtlAfterFinished("2h"));
        await().until(() -> sessions.status("resumed").getObservedGeneration()
                >= edited.getMetadata().getGeneration());
        operator.stop();
        operator = harness(KEEP_FINISHED, agents).start();
        BrowserSession again = sessions.editSpec("resumed", spec -> spec.setTtlAfterFinished("3h"));
        await().until(() -> sessions.status("resumed").getObservedGeneration()
                >= again.getMetadata().getGeneration());
        assertThat(agents.contextsRead).hasSize(1);
        assertThat(sessions.events("resumed").stream()
                        .filter(e -> e.getReason().startsWith("Context"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aBadSaveToSecretFailsWithInvalidSpecNamingTheField() {
        startOperator();
        sessions.create("bad-save", savingTo("Not_A_Name"));
        BrowserSessionStatus status = sessions.awaitPhase("bad-save", Phase.Failed);
        assertThat(status.getReason()).isEqualTo(Reason.InvalidSpec);
        assertThat(status.getMessage()).startsWith("spec.context.saveToSecret: \"Not_A_Name\" is not a Secret name");
        assertThat(SessionConditions.find(status, SessionConditions.CONTEXT_SAVED))
                .isEmpty();
    }

    void awaitPodAndSet(String session, io.fabric8.kubernetes.api.model.PodStatus podStatus) {
        await().until(() -> Pods.get(client, ns, session + "-browser") != null);
        Pods.setStatus(client, ns, session + "-browser", podStatus);
    }

    String deadlineAnnotation(String session) {
        Map<String, String> annotations =
                Pods.get(client, ns, session + "-browser").getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(SessionLabels.EXPIRES_AT_ANNOTATION);
    }

    static String readyCondition(BrowserSessionStatus status) {
        return SessionConditions.find(status, SessionConditions.READY)
                .map(c -> c.getStatus())
                .orElse(null);
    }

    List<String> reasonsOfEvents(String session) {
        return sessions.events(session).stream().map(Event::getReason).toList();
    }
}
