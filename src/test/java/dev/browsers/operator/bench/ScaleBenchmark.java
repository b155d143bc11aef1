package dev.browsers.operator.bench;

import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.EmbeddedApiServer;
import dev.browsers.operator.model.Timestamps;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.model.v1alpha1.Reason;
import dev.browsers.operator.testing.FakeKubelet;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.Processes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator replica (the packaged jar, cluster mode) against an API server holding thousands of sessions: the
 * embedded mock API store and a fake kubelet run in this process, the operator in its own JVM so that its heap and CPU
 * are its own. Every session goes Live, then all are released at their timeouts, spread over a minute, while all
 * the others are kept (ttl 0): Live and finished sessions together. Prints reconcile time (from the operator's own
 * histogram), release lateness (from the sessions' status), heap after a full GC and CPU seconds; asserts nothing.
 *
 * With {@code -Dkubeconfig=PATH} it runs against that cluster's API server instead of the mock store (README,
 * Performance), whose per-request scan of every stored object limits it beyond a few thousand sessions.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.browsers.operator.bench.ScaleBenchmark -Dsessions=1000,10000 -Dkubeconfig=$KUBECONFIG</pre>
 */
public final class ScaleBenchmark {
    static final String NS = "scale";
    /** Sessions expire this long after the last one was created, spread over {@link #SPREAD_SECONDS}. */
    static final int GRACE_SECONDS = 30;

    static final int SPREAD_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        // The mock server logs each request it serves, which would slow it down more than the operator does.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        try {
            for (String count : System.getProperty("sessions", "1000").split(",")) {
                run(Integer.parseInt(count.trim()));
            }
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        // The mock server's threads would keep exec:java waiting.
        System.exit(0);
    }

    static void run(int sessions) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %d sessions ==%n", sessions);
        Vertx vertx = Vertx.vertx();
        try {
            // The session agents: each pod's address is 127.0.0.1 (the cluster's fake kubelet), so one server on the
            // agent port answers for all of them, taking every deadline and reporting every browser ready.
            HttpServer agents = vertx.createHttpServer()
                    .requestHandler(request -> request.response().end("{}"))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            String kubeconfig = System.getProperty("kubeconfig");
            if (kubeconfig != null) {
                // This kubelet, not the cluster's own fake one (disabled by FAKE_KUBELET_SELECTOR): it writes statuses
                // in parallel, so that pods start as fast as the operator creates them.
                try (KubernetesClient client = new KubernetesClientBuilder()
                                .withConfig(new ConfigBuilder(Config.autoConfigure(null))
                                        .withRequestTimeout(60_000)
                                        .build())
                                .build();
                        FakeKubelet kubelet = FakeKubelet.start(client, "127.0.0.1", 8)) {
                    measure(
                            sessions,
                            client,
                            agents.actualPort(),
                            "-Dkubeconfig=" + kubeconfig,
                            "-Dkubernetes.auth.tryServiceAccount=false");
                }
                return;
            }
            try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Files.createTempDirectory("scale-benchmark-"));
                    KubernetesClient client = new KubernetesClientBuilder()
                            .withConfig(new ConfigBuilder(api.clientConfig())
                                    .withRequestTimeout(60_000)
                                    .build())
                            .build();
                    FakeKubelet kubelet = FakeKubelet.start(client, "127.0.0.1", 8)) {
                // The mock server records every request; forget them as a long-running store must.
                ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor();
                trimmer.scheduleAtFixedRate(api::forgetRecordedRequests, 5, 5, TimeUnit.SECONDS);
                try {
                    measure(
                            sessions,
                            client,
                            agents.actualPort(),
                            "-Dkubernetes.master=" + api.url(),
                            "-Dkubernetes.auth.token=" + api.clientConfig().getOauthToken(),
                            "-Dkubernetes.auth.tryKubeConfig=false",
                            "-Dkubernetes.auth.tryServiceAccount=false",
                            "-Dkubernetes.namespace=default");
                } finally {
                    trimmer.shutdownNow();
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    static void measure(int sessions, KubernetesClient client, int agentPort, String... apiArgs) throws Exception {
        // A namespace of its own for each size: the sessions of a run are kept when it ends.
        String ns = NS + "-" + sessions;
        Namespaces.ensure(client, ns);
        SharedIndexInformer<BrowserSession> watched =
                client.resources(BrowserSession.class).inNamespace(ns).inform();
        int metricsPort = Processes.freePort();
        List<String> args = new ArrayList<>(List.of(apiArgs));
        args.addAll(List.of(
                "-Dbrowser-operator.mode=cluster",
                "-Dbrowser-operator.api.enabled=false",
                // One replica: the mock store cannot answer the leader election's permission check.
                "-Dbrowser-operator.leader-election.enabled=false",
                "-Dbrowser-operator.ttl-after-finished=0",
                "-Dbrowser-operator.agent.port=" + agentPort,
                "-Dquarkus.management.port=" + metricsPort,
                System.getProperty("operator.jvm", "-Dbench=1")));
        try (LocalOperatorProcess operator = LocalOperatorProcess.start(args.toArray(String[]::new))) {
            long pid = operator.process().pid();
            double cpuAtStart = cpuSeconds(pid);
            Instant createStart = Instant.now();
            // Every session is Live before the first deadline; the deadlines then come at a steady rate.
            int expireAfter = Integer.getInteger("grace", sessions * 30 / 1000 + GRACE_SECONDS);
            int spread = Math.max(SPREAD_SECONDS, sessions / 40);
            ExecutorService creators = Executors.newFixedThreadPool(4);
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                created.add(creators.submit(() -> {
                    if (n % 1000 == 0) {
                        System.out.printf(Locale.ROOT, "  %s: creating session %d%n", Instant.now(), n);
                    }
                    int timeout = expireAfter + (n % spread);
                    return client.resource(new BrowserSession(
                                    ns, "s-" + n, new BrowserSessionSpec().withTimeout(timeout + "s")))
                            .create();
                }));
            }
            for (Future<?> f : created) {
                f.get();
            }
            creators.shutdown();
            Duration creating = Duration.between(createStart, Instant.now());
            await().atMost(Duration.ofMinutes(15))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> count(watched, Phase.Live) + count(watched, Phase.Released) == sessions);
            Duration toAllLive = Duration.between(createStart, Instant.now());
            long heapLive = heapAfterGc(pid);
            Map<String, Double> requestsAtLive = apiRequests(client);
            String metricsAtLive = scrape(metricsPort);
            double reconcilesAtLive = total(metricsAtLive, "browser_sessions_reconcile_seconds_count");
            Instant liveAt = Instant.now();
            await().atMost(Duration.ofMinutes(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> count(watched, Phase.Released) == sessions);
            Duration releasing = Duration.between(liveAt, Instant.now());
            Map<String, Double> requestsAtEnd = apiRequests(client);
            long heapFinished = heapAfterGc(pid);
            double cpu = cpuSeconds(pid) - cpuAtStart;

            // Deadlines that fell while sessions were still being created compete with the creates for the
            // reconciler's threads and the API server; the ones after show the steady state.
            Instant createdAllAt = createStart.plus(creating);
            List<Double> lateness = new ArrayList<>();
            List<Double> latenessDuringCreates = new ArrayList<>();
            List<Double> latenessAfterCreates = new ArrayList<>();
            for (BrowserSession s : watched.getStore().list()) {
                if (s.getStatus().getReason() == Reason.Timeout) {
                    Instant expiresAt = Timestamps.parse(s.getStatus().getExpiresAt());
                    double late = Duration.between(
                                    expiresAt, Timestamps.parse(s.getStatus().getFinishedTime()))
                            .toMillis();
                    lateness.add(late);
                    (expiresAt.isBefore(createdAllAt) ? latenessDuringCreates : latenessAfterCreates).add(late);
                }
            }
            watched.close();
            String metrics = scrape(metricsPort);
            System.out.printf(
                    Locale.ROOT,
                    "created in %.1f s, all Live in %.1f s, all released %.1f s later%n",
                    creating.toMillis() / 1000.0,
                    toAllLive.toMillis() / 1000.0,
                    releasing.toMillis() / 1000.0);
            System.out.println("reconcile, all: " + histogram(metrics, "", "browser_sessions_reconcile_seconds"));
            System.out.println("reconcile, while releasing: "
                    + histogram(metrics, metricsAtLive, "browser_sessions_reconcile_seconds"));
            System.out.println("release lateness (finishedTime - expiresAt, " + lateness.size() + " by timeout): "
                    + new Percentiles(lateness).summary(" ms"));
            for (var part : Map.of(
                            "during the creates", latenessDuringCreates, "after the creates", latenessAfterCreates)
                    .entrySet()) {
                System.out.println("  deadlines " + part.getKey() + " ("
                        + part.getValue().size() + "): "
                        + (part.getValue().isEmpty() ? "none" : new Percentiles(part.getValue()).summary(" ms")));
            }
            System.out.printf(
                    Locale.ROOT,
                    "heap after full GC: %d MiB all Live, %d MiB all finished; operator CPU %.1f s; RSS %d MiB%n",
                    heapLive / (1024 * 1024),
                    heapFinished / (1024 * 1024),
                    cpu,
                    Processes.memoryKib(pid, "status", "VmRSS") / 1024);
            double reconciles = total(metrics, "browser_sessions_reconcile_seconds_count");
            System.out.printf(
                    Locale.ROOT,
                    "reconciliations: %.0f (%.1f a session), %.0f while releasing%n",
                    reconciles,
                    reconciles / sessions,
                    reconciles - reconcilesAtLive);
            if (!requestsAtEnd.isEmpty()) {
                Map<String, Double> during = new TreeMap<>();
                requestsAtEnd.forEach((k, v) -> {
                    double d = v - requestsAtLive.getOrDefault(k, 0.0);
                    if (d > 0) {
                        during.put(k, d);
                    }
                });
                double sum = during.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum();
                System.out.printf(
                        Locale.ROOT,
                        "API requests while releasing (all clients): %.1f/s; %s%n",
                        sum / Math.max(1, releasing.toSeconds()),
                        during);
            }
        }
    }

    static long count(SharedIndexInformer<BrowserSession> watched, Phase phase) {
        return watched.getStore().list().stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == phase)
                .count();
    }

    /** The API server's request counters by verb and resource; empty where it has none (the mock store). */
    static Map<String, Double> apiRequests(KubernetesClient client) {
        Map<String, Double> requests = new TreeMap<>();
        String metrics;
        try {
            metrics = client.raw("/metrics");
        } catch (RuntimeException e) {
            return requests;
        }
        if (metrics == null) {
            return requests;
        }
        Matcher m = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        while (m.find()) {
            String labels = m.group(1);
            String key = label(labels, "verb") + " " + label(labels, "resource")
                    + (label(labels, "subresource").isEmpty() ? "" : "/" + label(labels, "subresource"));
            requests.merge(key, Double.parseDouble(m.group(2)), Double::sum);
        }
        return requests;
    }

    static String label(String labels, String name) {
        Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    /** Heap in use right after a full GC, as jcmd reports it. */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        Process info = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info")
                .redirectErrorStream(true)
                .start();
        String out = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = Pattern.compile("used (\\d+)K").matcher(out);
        long kib = 0;
        while (used.find()) {
            kib = Math.max(kib, Long.parseLong(used.group(1)));
        }
        return kib * 1024;
    }

    /** User + system CPU time of a process, from /proc (clock ticks of 1/100 s on Linux). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static double total(String metrics, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /**
     * p50 and p99 as the histogram's buckets bound them (the smallest bucket holding that share), counting only what
     * was observed after the {@code since} scrape, and the count in each bucket.
     */
    static String histogram(String metrics, String since, String name) {
        Map<Double, Double> buckets = buckets(metrics, name);
        buckets(since, name).forEach((le, n) -> buckets.merge(le, -n, Double::sum));
        double count = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        double mean = (total(metrics, name + "_sum") - total(since, name + "_sum")) / Math.max(1, count);
        StringBuilder each = new StringBuilder();
        double below = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            each.append(String.format(
                    Locale.ROOT,
                    " %s:%.0f",
                    bucket.getKey().isInfinite()
                            ? "+Inf"
                            : String.format(Locale.ROOT, "%.0fms", bucket.getKey() * 1000),
                    bucket.getValue() - below));
            below = bucket.getValue();
        }
        return String.format(
                Locale.ROOT,
                "n=%.0f mean=%.1f ms p50<=%s p99<=%s; by bucket (le):%s",
                count,
                mean * 1000,
                bound(buckets, count * 0.5),
                bound(buckets, count * 0.99),
                each);
    }

    static Map<Double, Double> buckets(String metrics, String name) {
        Matcher m = Pattern.compile(
                        "^" + Pattern.quote(name) + "_bucket\\{le=\"([^\"]+)\"} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        Map<Double, Double> buckets = new TreeMap<>();
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return buckets;
    }

    static String bound(Map<Double, Double> buckets, double rank) {
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey().isInfinite()
                        ? "+Inf"
                        : String.format(Locale.ROOT, "%.0f ms", bucket.getKey() * 1000);
            }
        }
        return "?";
    }
}
