package dev.browsers.operator.bench;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.LocalOperatorProcess;
import dev.browsers.operator.testing.Processes;
import dev.browsers.operator.testing.Sessions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Local mode, packaged and run as README says: how fast a session becomes usable next to Chromium's own
 * start time, how much memory the operator with its embedded store takes with 0 and 50 live sessions,
 * and whether the store's request log stays bounded over 10 000 requests. Prints numbers; asserts nothing.
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.browsers.operator.bench.LocalModeBenchmark</pre>
 */
public final class LocalModeBenchmark {
    static final String NS = "default";

    public static void main(String[] args) throws Exception {
        List<Double> chromiumStart = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            try (ChromiumOnPort ignored = ChromiumOnPort.start()) {
                chromiumStart.add((System.nanoTime() - t0) / 1e6);
            }
        }
        System.out.println(
                "Chromium start to CDP listening (direct):   " + new Percentiles(chromiumStart).summary("ms"));

        try (LocalOperatorProcess operator = LocalOperatorProcess.start();
                KubernetesClient client = operator.kubernetesClient()) {
            long pid = operator.process().pid();
            System.out.printf("operator + store RSS, 0 sessions:          %.0f MiB%n", rssMiB(pid));
            sessionStartTimes(client);
            liveSessions(client, operator, 50);
            requestLog(client, pid);
        }
        System.exit(0);
    }

    /** Create -> Live -> a CDP command answered, one session at a time. */
    static void sessionStartTimes(KubernetesClient client) throws Exception {
        List<Double> toLive = new ArrayList<>();
        List<Double> toCdp = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "start-" + i;
            long t0 = System.nanoTime();
            client.resource(new BrowserSession(NS, name, new BrowserSessionSpec().withTimeout("10m")))
                    .create();
            awaitLive(client, name);
            toLive.add((System.nanoTime() - t0) / 1e6);
            try (CdpClient cdp = CdpClient.connect(URI.create(connectionUrl(client, name)), Map.of())) {
                cdp.call("Browser.getVersion", new JsonObject());
            }
            toCdp.add((System.nanoTime() - t0) / 1e6);
            release(client, name);
        }
        System.out.println("session create -> Live:                     " + new Percentiles(toLive).summary("ms"));
        System.out.println("session create -> CDP command answered:     " + new Percentiles(toCdp).summary("ms"));
    }

    static void liveSessions(KubernetesClient client, LocalOperatorProcess operator, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            client.resource(new BrowserSession(NS, "live-" + i, new BrowserSessionSpec().withTimeout("10m")))
                    .create();
        }
        for (int i = 0; i < count; i++) {
            awaitLive(client, "live-" + i);
        }
        double browsers = operator.process()
                .descendants()
                .filter(p -> p.info().command().orElse("").contains("chromium"))
                // PSS shares the browsers' common pages out fairly instead of counting them in each.
                .mapToDouble(p -> Processes.memoryKib(p.pid(), "smaps_rollup", "Pss") / 1024.0)
                .sum();
        System.out.printf(
                "operator + store RSS, %d live sessions:    %.0f MiB (their Chromium processes, PSS: %.0f MiB)%n",
                count, rssMiB(operator.process().pid()), browsers);
        for (int i = 0; i < count; i++) {
            release(client, "live-" + i);
        }
    }

    /** The mock server records every request for test assertions; local mode must forget them. */
    static void requestLog(KubernetesClient client, long pid) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            client.resources(BrowserSession.class)
                    .inNamespace(NS)
                    .withName("start-0")
                    .get();
        }
        System.out.printf(
                "after 10 000 requests: RSS %.0f MiB, recorded requests held: %d%n",
                rssMiB(pid), recordedRequests(pid));
        Thread.sleep(11_000); // one trimming period of the embedded store
        System.out.printf(
                "one trimming period later: RSS %.0f MiB, recorded requests held: %d%n",
                rssMiB(pid), recordedRequests(pid));
    }

    static void awaitLive(KubernetesClient client, String name) {
        client.resources(BrowserSession.class)
                .inNamespace(NS)
                .withName(name)
                .waitUntilCondition(
                        s -> s != null && s.getStatus() != null && s.getStatus().getPhase() == Phase.Live,
                        60,
                        TimeUnit.SECONDS);
    }

    static void release(KubernetesClient client, String name) {
        client.resources(BrowserSession.class).inNamespace(NS).withName(name).edit(s -> {
            s.getSpec().setReleased(true);
            return s;
        });
    }

    static String connectionUrl(KubernetesClient client, String session) {
        return new Sessions(client, NS).awaitConnectionUrl(session);
    }

    static double rssMiB(long pid) {
        return Processes.memoryKib(pid, "status", "VmRSS") / 1024.0;
    }

    /** Live RecordedRequest objects in the operator's heap, from the JDK's own class histogram. */
    static long recordedRequests(long pid) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram").start();
        String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return histogram
                .lines()
                .filter(l -> l.endsWith("mockwebserver.http.RecordedRequest"))
                .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[1]))
                .sum();
    }
}
