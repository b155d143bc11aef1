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
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.util.concurrent.Executors;
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
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java \
 *     -Dexec.mainClass=dev.browsers.operator.bench.ScaleBenchmark -Dsessions=1000,5000,10000</pre>
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
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0, Files.createTempDirectory("scale-benchmark-"));
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(api.clientConfig())
                                .withRequestTimeout(60_000)
                                .build())
                        .build();
                FakeKubelet kubelet = FakeKubelet.start(client)) {
            // The mock server records every request; forget them as a long-running store must.
            ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor();
            trimmer.scheduleAtFixedRate(api::forgetRecordedRequests, 5, 5, TimeUnit.SECONDS);
            int metricsPort = Processes.freePort();
            try (LocalOperatorProcess operator = LocalOperatorProcess.start(
                    "-Dbrowser-operator.mode=cluster",
                    "-Dkubernetes.master=" + api.url(),
                    "-Dkubernetes.auth.token=" + api.clientConfig().getOauthToken(),
                    "-Dkubernetes.auth.tryKubeConfig=false",
                    "-Dkubernetes.auth.tryServiceAccount=false",
                    "-Dkubernetes.namespace=default",
                    "-Dbrowser-operator.api.enabled=false",
                    "-Dbrowser-operator.ttl-after-finished=0",
                    "-Dquarkus.management.port=" + metricsPort,
                    System.getProperty("operator.jvm", "-Dbench=1"))) {
                long pid = operator.process().pid();
                double cpuAtStart = cpuSeconds(pid);
                Instant createStart = Instant.now();
                int expireAfter = (int) (sessions * 6 / 1000.0) + GRACE_SECONDS;
                for (int i = 0; i < sessions; i++) {
                    if (i % 1000 == 0) {
                        System.out.printf(Locale.ROOT, "  %s: creating session %d%n", Instant.now(), i);
                    }
                    int timeout = expireAfter + (i % SPREAD_SECONDS);
                    client.resource(new BrowserSession(
                                    NS, "s-" + i, new BrowserSessionSpec().withTimeout(timeout + "s")))
                            .create();
                }
                Duration creating = Duration.between(createStart, Instant.now());
                await().atMost(Duration.ofMinutes(10))
                        .pollInterval(Duration.ofSeconds(2))
                        .until(() -> count(client, Phase.Live) + count(client, Phase.Released) == sessions);
                Duration toAllLive = Duration.between(createStart, Instant.now());
                long heapLive = heapAfterGc(pid);
                await().atMost(Duration.ofMinutes(30))
                        .pollInterval(Duration.ofSeconds(10))
                        .until(() -> count(client, Phase.Released) == sessions);
                long heapFinished = heapAfterGc(pid);
                double cpu = cpuSeconds(pid) - cpuAtStart;

                List<Double> lateness = new ArrayList<>();
                for (BrowserSession s : client.resources(BrowserSession.class)
                        .inNamespace(NS)
                        .list()
                        .getItems()) {
                    if (s.getStatus().getReason() == Reason.Timeout) {
                        lateness.add((double) Duration.between(
                                        Timestamps.parse(s.getStatus().getExpiresAt()),
                                        Timestamps.parse(s.getStatus().getFinishedTime()))
                                .toMillis());
                    }
                }
                String metrics = scrape(metricsPort);
                System.out.printf(
                        Locale.ROOT,
                        "created in %.1f s, all Live in %.1f s (fake kubelet: %d pods made Ready)%n",
                        creating.toMillis() / 1000.0,
                        toAllLive.toMillis() / 1000.0,
                        kubelet.readyAt().size());
                System.out.println("reconcile: " + histogram(metrics, "browser_sessions_reconcile_seconds"));
                System.out.println("release lateness (finishedTime - expiresAt, " + lateness.size() + " by timeout): "
                        + new Percentiles(lateness).summary(" ms"));
                System.out.printf(
                        Locale.ROOT,
                        "heap after full GC: %d MiB all Live, %d MiB all finished; operator CPU %.1f s; RSS %d MiB%n",
                        heapLive / (1024 * 1024),
                        heapFinished / (1024 * 1024),
                        cpu,
                        Processes.memoryKib(pid, "status", "VmRSS") / 1024);
                System.out.println("reconciliations: " + total(metrics, "browser_sessions_reconcile_seconds_count"));
            } finally {
                trimmer.shutdownNow();
            }
        }
    }

    static long count(KubernetesClient client, Phase phase) {
        return client.resources(BrowserSession.class).inNamespace(NS).list().getItems().stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == phase)
                .count();
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

    /** p50 and p99 as the histogram's buckets bound them (the smallest bucket holding that share). */
    static String histogram(String metrics, String name) {
        Matcher m = Pattern.compile(
                        "^" + Pattern.quote(name) + "_bucket\\{le=\"([^\"]+)\"} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        double count = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        double mean = total(metrics, name + "_sum") / Math.max(1, count);
        return String.format(
                Locale.ROOT,
                "n=%.0f mean=%.1f ms p50<=%s p99<=%s",
                count,
                mean * 1000,
                bound(buckets, count * 0.5),
                bound(buckets, count * 0.99));
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
