package dev.browsers.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.ConnectionSecret;
import dev.browsers.operator.model.SessionLabels;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserPool;
import dev.browsers.operator.model.v1alpha1.BrowserPoolSpec;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.FakeAgents;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.OperatorHarness;
import dev.browsers.operator.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A session from a warm pool against one that starts its own pod. {@code mock}: the real reconcilers against the
 * embedded (mock) API store, a fake kubelet that takes {@code -Dstart-delay-ms} (1000) from a pod's creation to its
 * Ready status; create (as {@code kubectl apply} does) -> Live seen by a watch. {@code local}: the packaged jar in local
 * mode (build it first); create -> the first CDP command answered through the agent. The mock run also prints the
 * operator's own part, status.startTime -> liveTime. One session at a time; before
 * each warm one, the pool is full again. Prints p50/p95/p99 and the speed-up; asserts nothing.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.browsers.operator.bench.WarmPoolBenchmark -Dexec.args="mock local"</pre>
 */
public final class WarmPoolBenchmark {
    static final int RUNS = Integer.getInteger("runs", 30);
    static final Duration START_DELAY = Duration.ofMillis(Long.getLong("start-delay-ms", 1000));
    static final int POOL_SIZE = 3;
    /** The operator's own part, status.startTime -> status.liveTime, of the last measurements. */
    static final List<Double> STARTUP = new ArrayList<>();
    /** Create -> the first status (Pending, recorded by the first reconciliation) seen, of the last measurements. */
    static final List<Double> PENDING = new ArrayList<>();

    /** Create -> the CDP URL in the connection Secret seen, of the last measurements. */
    static final List<Double> URL_SEEN = new ArrayList<>();

    private static final String PENDING_SEEN = "pending:";

    public static void main(String[] args) throws Exception {
        List<String> modes = args.length == 0 ? List.of("mock", "local") : List.of(args);
        int status = 0;
        try {
            if (modes.contains("mock")) {
                mock();
            }
            if (modes.contains("local")) {
                local();
            }
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        // The mock server leaves non-daemon Vert.x threads behind, which would keep exec:java waiting.
        System.exit(status);
    }

    static void mock() throws Exception {
        String ns = "bench";
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Files.createTempDirectory("warm-pool-"));
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(api.clientConfig())
                        .build();
                OperatorHarness operator = new OperatorHarness(
                                client,
                                TestConfigs.operatorConfig(Map.of("browser-operator.ttl-after-finished", "0")),
                                Clock.systemUTC(),
                                new FakeAgents())
                        .start();
                FakeKubelet kubelet = FakeKubelet.start(client, START_DELAY)) {
            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            List<Double> coldStartup = new ArrayList<>();
            List<Double> warmStartup = new ArrayList<>();
            List<Double> coldPending = new ArrayList<>();
            List<Double> warmPending = new ArrayList<>();
            createPool(client, ns);
            for (int i = 0; i < RUNS; i++) {
                // Taking turns, so both see the same machine load.
                cold.add(createToLive(client, ns, "cold-" + i, new BrowserSessionSpec()));
                coldStartup.add(STARTUP.remove(0));
                coldPending.add(PENDING.remove(0));
                awaitFullPool(client, ns);
                warm.add(createToLive(client, ns, "warm-" + i, new BrowserSessionSpec().withPoolName("pool")));
                warmStartup.add(STARTUP.remove(0));
                warmPending.add(PENDING.remove(0));
            }
            report("mock API store, kubelet start " + START_DELAY.toMillis() + " ms: create -> Live", cold, warm, 200);
            report("of which create -> Pending seen (the first reconciliation)", coldPending, warmPending, 0);
            report("operator's part, status.startTime -> liveTime", coldStartup, warmStartup, 0);
        }
    }

    static void local() throws Exception {
        String ns = "default";
        try (LocalOperatorProcess operator = LocalOperatorProcess.start();
                KubernetesClient client = operator.kubernetesClient()) {
            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            List<Double> coldUrl = new ArrayList<>();
            List<Double> warmUrl = new ArrayList<>();
            createPool(client, ns);
            for (int i = 0; i < RUNS; i++) {
                cold.add(createToCdp(client, ns, "cold-" + i, new BrowserSessionSpec()));
                coldUrl.add(URL_SEEN.remove(0));
                awaitFullPool(client, ns);
                warm.add(createToCdp(client, ns, "warm-" + i, new BrowserSessionSpec().withPoolName("pool")));
                warmUrl.add(URL_SEEN.remove(0));
            }
            report("local mode: create -> first CDP answer", cold, warm, 150);
            report("of which create -> CDP URL in the connection Secret seen", coldUrl, warmUrl, 0);
        }
    }

    static void createPool(KubernetesClient client, String ns) {
        client.resource(new BrowserPool(ns, "pool", new BrowserPoolSpec().withSize(POOL_SIZE)))
                .create();
    }

    static void awaitFullPool(KubernetesClient client, String ns) {
        client.resources(BrowserPool.class)
                .inNamespace(ns)
                .withName("pool")
                .waitUntilCondition(
                        p -> p != null
                                && p.getStatus() != null
                                && p.getStatus().getReady() != null
                                && p.getStatus().getReady() == POOL_SIZE,
                        60,
                        TimeUnit.SECONDS);
    }

    /** Create -> Live as a watch established beforehand sees it (kubectl wait, a controller's informer). */
    static double createToLive(KubernetesClient client, String ns, String name, BrowserSessionSpec spec) {
        Map<String, Long> liveSeen = new ConcurrentHashMap<>();
        try (SharedIndexInformer<BrowserSession> watch = client.resources(BrowserSession.class)
                .inNamespace(ns)
                .withField("metadata.name", name)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(BrowserSession session) {
                        onUpdate(null, session);
                    }

                    @Override
                    public void onUpdate(BrowserSession old, BrowserSession session) {
                        if (session.getStatus() != null && session.getStatus().getPhase() != null) {
                            liveSeen.putIfAbsent(PENDING_SEEN, System.nanoTime());
                        }
                        if (session.getStatus() != null && session.getStatus().getPhase() == Phase.Live) {
                            liveSeen.putIfAbsent(name, System.nanoTime());
                        }
                    }

                    @Override
                    public void onDelete(BrowserSession session, boolean unknown) {}
                })) {
            long t0 = System.nanoTime();
            client.resource(new BrowserSession(ns, name, spec.withTimeout("10m")))
                    .create();
            await().atMost(Duration.ofSeconds(60)).until(() -> liveSeen.containsKey(name));
            double millis = (liveSeen.get(name) - t0) / 1e6;
            PENDING.add((liveSeen.get(PENDING_SEEN) - t0) / 1e6);
            BrowserSession live = awaitLive(client, ns, name);
            STARTUP.add((double) Duration.between(
                            Timestamps.parse(live.getStatus().getStartTime()),
                            Timestamps.parse(live.getStatus().getLiveTime()))
                    .toMillis());
            release(client, ns, name);
            return millis;
        }
    }

    /** Create -> the first CDP answer, the CDP URL taken from the connection Secret as a watch sees it appear. */
    static double createToCdp(KubernetesClient client, String ns, String name, BrowserSessionSpec spec)
            throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        try (SharedIndexInformer<Secret> watch = client.secrets()
                .inNamespace(ns)
                .withLabel(SessionLabels.SESSION, name)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Secret secret) {
                        ConnectionSecret.websocketUrl(secret.getData()).ifPresent(url::complete);
                    }

                    @Override
                    public void onUpdate(Secret old, Secret secret) {
                        onAdd(secret);
                    }

                    @Override
                    public void onDelete(Secret secret, boolean unknown) {}
                })) {
            long t0 = System.nanoTime();
            client.resource(new BrowserSession(ns, name, spec.withTimeout("10m")))
                    .create();
            String cdpUrl = url.get(60, TimeUnit.SECONDS);
            URL_SEEN.add((System.nanoTime() - t0) / 1e6);
            try (CdpClient cdp = CdpClient.connect(URI.create(cdpUrl), Map.of())) {
                cdp.call("Browser.getVersion", new JsonObject());
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            release(client, ns, name);
            return millis;
        }
    }

    static BrowserSession awaitLive(KubernetesClient client, String ns, String name) {
        return client.resources(BrowserSession.class)
                .inNamespace(ns)
                .withName(name)
                .waitUntilCondition(
                        s -> s != null && s.getStatus() != null && s.getStatus().getPhase() == Phase.Live,
                        60,
                        TimeUnit.SECONDS);
    }

    /** A merge patch, as kubectl patch sends it: no resourceVersion to conflict with the operator's status writes. */
    static void release(KubernetesClient client, String ns, String name) {
        client.resources(BrowserSession.class)
                .inNamespace(ns)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"released\":true}}");
    }

    /** @param goalMillis the warm p50 to reach; 0: none */
    static void report(String what, List<Double> cold, List<Double> warm, double goalMillis) {
        Percentiles c = new Percentiles(cold);
        Percentiles w = new Percentiles(warm);
        System.out.println(what);
        System.out.println(
                "  own pod (cold):  " + c.summary("ms") + String.format(Locale.ROOT, " p95=%.1fms", c.at(95)));
        System.out.println(
                "  warm pool:       " + w.summary("ms") + String.format(Locale.ROOT, " p95=%.1fms", w.at(95)));
        System.out.printf(
                Locale.ROOT,
                "  speed-up at p50: %.1fx%s%n",
                c.at(50) / w.at(50),
                goalMillis <= 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; warm p50 goal < %.0f ms: %s",
                                goalMillis,
                                w.at(50) < goalMillis ? "met" : "missed"));
    }
}
