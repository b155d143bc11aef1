package dev.browsers.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.local.OwnerReferenceCollector;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserPoolSpec;
import dev.browsers.operator.model.v1alpha1.BrowserPoolStatus;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSessionStatus;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.MutableClock;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.Pods;
import dev.browsers.operator.testing.Sessions;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm pools with the real reconcilers in a real JOSDK operator against the Fabric8 mock API server in CRUD mode, and a
 * fake kubelet that makes every pod Ready. The agents' side of the claim (the token handed over) is recorded here.
 */
@EnableKubernetesMockClient(crud = true)
class BrowserPoolReconcilerTest {
    final String ns = "team-a";
    final MutableClock clock = new MutableClock();
    KubernetesClient client;
    KubernetesMockServer server;
    Sessions sessions;
    OperatorHarness operator;
    FakeKubelet kubelet;
    /** The tokens each agent (by endpoint) was handed: pool token and session token. */
    final List<List<String>> handedOver = new CopyOnWriteArrayList<>();

    volatile boolean agentsTakeTokens = true;

    @BeforeEach
    void setUp() {
        EmbeddedApiServer.installCrd(client);
        sessions = new Sessions(client, ns);
    }

    @AfterEach
    void tearDown() {
        if (operator != null) {
            operator.stop();
        }
        if (kubelet != null) {
            kubelet.close();
        }
    }

    void start() {
        start(true);
    }

    void start(boolean withKubelet) {
        if (withKubelet) {
            kubelet = FakeKubelet.start(client);
        }
        operator = new OperatorHarness(
                        client,
                        TestConfigs.operatorConfig(Map.of(
                                "browser-operator.ttl-after-finished",
                                "0",
                                "browser-operator.browser-classes.big.image",
                                "example.com/big-browser:1",
                                "browser-operator.browser-classes.big.command",
                                "/opt/big-browser/chrome")),
                        clock,
                        new FakeAgents())
                .withTokens((endpoint, poolToken, sessionToken) -> {
                    handedOver.add(List.of(poolToken, sessionToken));
                    return agentsTakeTokens;
                })
                .start();
    }

    BrowserPool createPool(String name, BrowserPoolSpec spec) {
        return client.resource(new BrowserPool(ns, name, spec)).create();
    }

    BrowserPoolStatus poolStatus(String name) {
        BrowserPool pool = client.resources(BrowserPool.class)
                .inNamespace(ns)
                .withName(name)
                .get();
        return pool == null ? null : pool.getStatus();
    }

    BrowserPoolStatus awaitPool(String name, int ready, int claimed) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> poolStatus(name),
                        s -> s != null
                                && s.getReady() != null
                                && s.getReady() == ready
                                && s.getClaimed() == claimed
                                && s.getStarting() == 0);
    }

    List<Pod> warmPods(String pool) {
        return client.pods().inNamespace(ns).withLabel(SessionLabels.POOL, pool).list().getItems().stream()
                .filter(p -> !p.getMetadata().getLabels().containsKey(SessionLabels.SESSION))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    String poolToken(String pool) {
        return ConnectionSecret.token(client.secrets()
                        .inNamespace(ns)
                        .withName(SessionNames.poolTokenSecretName(pool))
                        .get()
                        .getData())
                .orElseThrow();
    }

    @Test
    void poolFillsToItsSizeWithReadyPodsItOwns() {
        start();
        createPool("warm", new BrowserPoolSpec().withSize(3));
        BrowserPoolStatus status = awaitPool("warm", 3, 0);
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        List<Pod> pods = warmPods("warm");
        assertThat(pods).hasSize(3);
        for (Pod pod : pods) {
            assertThat(pod.getMetadata().getName()).startsWith("warm-pool-");
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("BrowserPool");
                assertThat(ref.getName()).isEqualTo("warm");
                assertThat(ref.getController()).isTrue();
            });
            assertThat(pod.getMetadata().getLabels())
                    .containsEntry(SessionLabels.BROWSER_CLASS, "default")
                    .doesNotContainKey(SessionLabels.SESSION);
            // The same pod a session gets, with the pool's token.
            assertThat(Pods.container(pod, AgentContract.AGENT_CONTAINER).getEnv())
                    .anySatisfy(e -> assertThat(
                                    e.getValueFrom() == null
                                            ? null
                                            : e.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo("warm-pool-token"));
            assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600 + 2 * 60 + 24 * 3600 + 60L);
        }
        assertThat(poolToken("warm")).hasSizeGreaterThan(40);
    }

    @Test
    void sessionClaimsAReadyPodGoesLiveWithoutANewPodAndThePoolRefills() {
        start();
        createPool("warm", new BrowserPoolSpec().withSize(2));
        awaitPool("warm", 2, 0);
        Set<String> warmBefore = names(warmPods("warm"));

        sessions.create("fast", new BrowserSessionSpec().withPoolName("warm"));
        BrowserSessionStatus status = sessions.awaitPhase("fast", Phase.Live);

        assertThat(warmBefore).contains(status.getPodName());
        assertThat(kubelet.podsCreated()).doesNotContainKey("fast");
        assertThat(status.getWebsocketUrl()).isEqualTo("ws://" + FakeKubelet.POD_IP + ":9222/devtools/browser");
        Pod pod = Pods.get(client, ns, status.getPodName());
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(SessionLabels.SESSION, "fast")
                .containsEntry(SessionLabels.POOL, "warm");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("BrowserSession");
            assertThat(ref.getName()).isEqualTo("fast");
            assertThat(ref.getController()).isTrue();
        });
        // The agent was handed the session's own token, authorized by the pool's.
        String sessionToken = ConnectionSecret.token(
                        sessions.connectionSecret("fast").getData())
                .orElseThrow();
        assertThat(handedOver).containsExactly(List.of(poolToken("warm"), sessionToken));
        assertThat(sessionToken).isNotEqualTo(poolToken("warm"));
        assertThat(sessions.awaitConnectionUrl("fast")).endsWith("?token=" + sessionToken);

        // The pool refills in the background, and counts the claimed pod.
        awaitPool("warm", 2, 1);
        assertThat(names(warmPods("warm"))).doesNotContain(status.getPodName()).hasSize(2);
        operator.metrics().refresh();
        assertThat(gauge("browser.pools.size", "warm")).isEqualTo(2.0);
        assertThat(gauge("browser.pools.ready", "warm")).isEqualTo(2.0);
        assertThat(gauge("browser.pools.claimed", "warm")).isEqualTo(1.0);

        // The deadline annotation goes on the claimed pod, as on any session pod.
        await().untilAsserted(() -> assertThat(
                        Pods.get(client, ns, status.getPodName()).getMetadata().getAnnotations())
                .containsEntry(SessionLabels.EXPIRES_AT_ANNOTATION, status.getExpiresAt()));
    }

    /** A client that connects on seeing Live (as the REST create does) finds the URL: the Secret has it first. */
    @Test
    void aClaimedSessionsConnectionUrlIsWrittenBeforeItIsLive() throws Exception {
        start();
        createPool("warm", new BrowserPoolSpec().withSize(1));
        awaitPool("warm", 1, 0);
        CompletableFuture<Optional<String>> urlWhenLive = new CompletableFuture<>();
        try (Watch watch = sessions.onEachChange("fast", session -> {
            if (session.statusOrEmpty().getPhase() == Phase.Live) {
                urlWhenLive.complete(sessions.connectionUrl("fast"));
            }
        })) {
            sessions.create("fast", new BrowserSessionSpec().withPoolName("warm"));
            assertThat(urlWhenLive.get(10, TimeUnit.SECONDS))
                    .hasValueSatisfying(url ->
                            assertThat(url).startsWith("ws://" + FakeKubelet.POD_IP + ":9222/devtools/browser?token="));
        }
    }

    @Test
    void aSessionNamingNoPoolUsesTheNamespacesDefaultPool() {
        start();
        createPool(BrowserPool.DEFAULT_POOL, new BrowserPoolSpec().withSize(1));
        awaitPool(BrowserPool.DEFAULT_POOL, 1, 0);
        sessions.create("plain", new BrowserSessionSpec());
        BrowserSessionStatus status = sessions.awaitPhase("plain", Phase.Live);
        assertThat(status.getPodName()).startsWith("default-pool-");
        assertThat(kubelet.podsCreated()).doesNotContainKey("plain");
    }

    @Test
    void theExamplePoolIsTheNamespacesDefaultPool() throws Exception {
        start();
        BrowserPool example = client.getKubernetesSerialization()
                .unmarshal(Files.readString(Path.of("deploy/examples/pool.yaml")), BrowserPool.class);
        example.getMetadata().setNamespace(ns);
        client.resource(example).create();
        awaitPool(BrowserPool.DEFAULT_POOL, 2, 0);
        sessions.create("from-example", new BrowserSessionSpec());
        assertThat(sessions.awaitPhase("from-example", Phase.Live).getPodName()).startsWith("default-pool-");
    }

    @Test
    void withNoReadyPodTheSessionGetsAPodOfItsOwn() {
        start();
        sessions.create("no-pool", new BrowserSessionSpec().withPoolName("missing"));
        assertThat(sessions.awaitPhase("no-pool", Phase.Live).getPodName()).isEqualTo("no-pool-browser");

        // A pool whose pods are not Ready yet: the session does not wait for them.
        kubelet.close();
        kubelet = null;
        createPool("cold", new BrowserPoolSpec().withSize(2));
        await().until(() -> poolStatus("cold"), s -> s != null && s.getStarting() != null && s.getStarting() == 2);
        sessions.create("too-early", new BrowserSessionSpec().withPoolName("cold"));
        await().until(() -> sessions.status("too-early"), s -> s != null && s.getPodName() != null);
        assertThat(sessions.status("too-early").getPodName()).isEqualTo("too-early-browser");
        assertThat(handedOver).isEmpty();
    }

    @Test
    void aClaimedPodWhoseAgentRefusesTheTokenIsDeletedAndTheSessionGetsItsOwn() {
        agentsTakeTokens = false;
        start();
        createPool("warm", new BrowserPoolSpec().withSize(1));
        awaitPool("warm", 1, 0);
        String warm = warmPods("warm").get(0).getMetadata().getName();
        sessions.create("unlucky", new BrowserSessionSpec().withPoolName("warm"));
        BrowserSessionStatus status = sessions.awaitPhase("unlucky", Phase.Live);
        assertThat(status.getPodName()).isEqualTo("unlucky-browser");
        assertThat(handedOver).hasSize(1);
        await().until(() -> Pods.get(client, ns, warm) == null);
    }

    /**
     * A finished session keeps no browser: a pod of its own that turns up after it ended goes too, not only the
     * claimed pod its status names.
     */
    @Test
    void aFinishedSessionThatClaimedAPodKeepsNoOtherPodOfItsOwn() {
        start();
        createPool("warm", new BrowserPoolSpec().withSize(1));
        awaitPool("warm", 1, 0);
        sessions.create("gone", new BrowserSessionSpec().withPoolName("warm"));
        String claimed = sessions.awaitPhase("gone", Phase.Live).getPodName();
        client.pods().inNamespace(ns).withName(claimed).delete();
        assertThat(sessions.awaitPhase("gone", Phase.Failed).getReason()).isEqualTo(Reason.PodDeleted);

        BrowserSession session = sessions.get("gone");
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(SessionNames.podName("gone"))
                        .withNamespace(ns)
                        .withLabels(SessionLabels.forSession("gone"))
                        .addNewOwnerReference()
                        .withApiVersion(session.getApiVersion())
                        .withKind(session.getKind())
                        .withName("gone")
                        .withUid(session.getMetadata().getUid())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("browser")
                        .withImage("browser")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        await().until(() -> Pods.get(client, ns, SessionNames.podName("gone")) == null);
        assertThat(sessions.status("gone").getPhase()).isEqualTo(Phase.Failed);
    }

    @Test
    void concurrentClaimsNeverShareAPod() {
        start();
        createPool("warm", new BrowserPoolSpec().withSize(5));
        awaitPool("warm", 5, 0);
        int count = 12;
        IntStream.range(0, count)
                .parallel()
                .forEach(i -> sessions.create("s" + i, new BrowserSessionSpec().withPoolName("warm")));
        Map<String, String> podOf = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            podOf.put("s" + i, sessions.awaitPhase("s" + i, Phase.Live).getPodName());
        }
        assertThat(new HashSet<>(podOf.values())).hasSize(count);
        long claimed =
                podOf.values().stream().filter(p -> p.startsWith("warm-pool-")).count();
        assertThat(claimed).isGreaterThanOrEqualTo(5);
        // Each claimed pod carries exactly the session that has it.
        podOf.forEach((session, podName) -> assertThat(
                        Pods.get(client, ns, podName).getMetadata().getLabels())
                .containsEntry(SessionLabels.SESSION, session));
        // Every session token was handed over once, to one agent.
        assertThat(handedOver.stream().map(h -> h.get(1)).distinct().count()).isEqualTo(handedOver.size());
        assertThat(handedOver).hasSize((int) claimed);
    }

    @Test
    void maxSessionsStopsTheRefillAndLaterSessionsGetTheirOwnPods() {
        start();
        createPool("capped", new BrowserPoolSpec().withSize(2).withMaxSessions(3));
        awaitPool("capped", 2, 0);
        for (String name : List.of("a", "b", "c")) {
            sessions.create(name, new BrowserSessionSpec().withPoolName("capped"));
            assertThat(sessions.awaitPhase(name, Phase.Live).getPodName()).startsWith("capped-pool-");
            // The next one only once the pool refilled (or stopped refilling).
            await().until(() -> poolStatus("capped"), s -> s.getStarting() == 0);
        }
        BrowserPoolStatus status = awaitPool("capped", 0, 3);
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getReason()).isEqualTo("AtMaxSessions");
            assertThat(c.getStatus()).isEqualTo("False");
        });
        sessions.create("d", new BrowserSessionSpec().withPoolName("capped"));
        assertThat(sessions.awaitPhase("d", Phase.Live).getPodName()).isEqualTo("d-browser");

        // A session that ends frees its place: the pool warms a pod again.
        sessions.editSpec("a", s -> s.setReleased(true));
        awaitPool("capped", 1, 2);
    }

    @Test
    void deletingThePoolDeletesItsWarmPodsButNotTheClaimedOnes() {
        start();
        try (OwnerReferenceCollector gc = new OwnerReferenceCollector(client)) {
            createPool("short-lived", new BrowserPoolSpec().withSize(2));
            awaitPool("short-lived", 2, 0);
            sessions.create("keeper", new BrowserSessionSpec().withPoolName("short-lived"));
            String claimed = sessions.awaitPhase("keeper", Phase.Live).getPodName();
            awaitPool("short-lived", 2, 1);

            client.resources(BrowserPool.class)
                    .inNamespace(ns)
                    .withName("short-lived")
                    .delete();
            await().until(() -> warmPods("short-lived").isEmpty()
                    && client.secrets()
                                    .inNamespace(ns)
                                    .withName("short-lived-pool-token")
                                    .get()
                            == null);
            assertThat(Pods.get(client, ns, claimed)).isNotNull();
            assertThat(sessions.status("keeper").getPhase()).isEqualTo(Phase.Live);
        }
    }

    @Test
    void shrinkingThePoolDeletesWarmPods() {
        start();
        createPool("elastic", new BrowserPoolSpec().withSize(3));
        awaitPool("elastic", 3, 0);
        client.resources(BrowserPool.class).inNamespace(ns).withName("elastic").edit(p -> {
            p.getSpec().setSize(1);
            return p;
        });
        awaitPool("elastic", 1, 0);
        await().until(() -> warmPods("elastic").size() == 1);
    }

    @Test
    void changingThePoolsBrowserClassReplacesItsWarmPods() {
        start();
        createPool("switch", new BrowserPoolSpec().withSize(2));
        awaitPool("switch", 2, 0);
        Set<String> before = names(warmPods("switch"));
        client.resources(BrowserPool.class).inNamespace(ns).withName("switch").edit(p -> {
            p.getSpec().setBrowserClassName("big");
            return p;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Pod> warm = warmPods("switch");
            return warm.size() == 2
                    && warm.stream()
                            .allMatch(p ->
                                    "big".equals(p.getMetadata().getLabels().get(SessionLabels.BROWSER_CLASS)));
        });
        assertThat(names(warmPods("switch"))).doesNotContainAnyElementsOf(before);
        assertThat(Pods.container(warmPods("switch").get(0), AgentContract.BROWSER_CONTAINER)
                        .getImage())
                .isEqualTo("example.com/big-browser:1");
        // Sessions of the default class no longer claim from it.
        sessions.create("default-class", new BrowserSessionSpec().withPoolName("switch"));
        assertThat(sessions.awaitPhase("default-class", Phase.Live).getPodName())
                .isEqualTo("default-class-browser");
    }

    @Test
    void aRefusedWarmPodIsExplainedAndAskedForAgain() {
        String quota = "pods is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0";
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + ns + "/pods")
                .andReply(
                        403,
                        request -> new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage(quota)
                                .build())
                .once();
        start();
        createPool("quota", new BrowserPoolSpec().withSize(1));
        BrowserPoolStatus refused = await().until(
                        () -> poolStatus("quota"),
                        s -> s != null && !s.getConditions().isEmpty());
        assertThat(refused.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("CreateRefused");
            assertThat(c.getMessage()).contains("exceeded quota");
        });
        // Asked again after a while: now the quota lets it through.
        await().atMost(Duration.ofSeconds(20)).until(() -> poolStatus("quota"), s -> s.getReady() == 1);
    }

    @Test
    void anUnknownBrowserClassSaysSoAndStartsNothing() {
        start();
        createPool("odd", new BrowserPoolSpec().withSize(2).withBrowserClassName("nonesuch"));
        BrowserPoolStatus status = await().until(
                        () -> poolStatus("odd"),
                        s -> s != null && !s.getConditions().isEmpty());
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains("nonesuch");
        });
        assertThat(warmPods("odd")).isEmpty();
    }

    double gauge(String name, String pool) {
        return operator.meters
                .get(name)
                .tags("namespace", ns, "pool", pool)
                .gauge()
                .value();
    }

    static Set<String> names(List<Pod> pods) {
        Set<String> names = new HashSet<>();
        pods.forEach(p -> names.add(p.getMetadata().getName()));
        return names;
    }
}
