package dev.browsers.operator.bench;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.Phase;
import dev.browsers.operator.testing.LocalOperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Not a test: how local mode stops and starts again.
 *
 * <ul>
 *   <li>{@code shutdown [jar]}: SIGTERM with 20 Live sessions, how long until the process has exited and until its
 *       last Chromium process is gone (the given build's jar, or target/quarkus-app).
 *   <li>{@code restart}: the disk a finished session's records take in the data directory; start-up time (launch to
 *       ready, and the store's restore alone) with 0, 1 000 and 10 000 finished sessions kept there; and after
 *       {@code kill -9} with 20 Live sessions, how long the new process takes to end them all.
 * </ul>
 *
 * <pre>./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.browsers.operator.bench.LocalRestartBenchmark -Dexec.args="shutdown|restart"</pre>
 */
public final class LocalRestartBenchmark {
    private static final int LIVE_SESSIONS = 20;
    private static final int ROUNDS = 3;
    private static final List<Integer> KEPT_SESSIONS = List.of(0, 1_000, 10_000);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern RESTORED_IN = Pattern.compile("restored .* in (\\d+) ms");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalRestartBenchmark() {}

    public static void main(String[] args) throws Exception {
        String part = args.length > 0 ? args[0] : "all";
        if (part.equals("shutdown") || part.equals("all")) {
            shutdown(args.length > 1 ? Path.of(args[1]) : LocalOperatorProcess.JAR);
        }
        if (part.equals("restart") || part.equals("all")) {
            restart();
        }
        System.exit(0);
    }

    private static void shutdown(Path jar) throws Exception {
        List<Double> exited = new ArrayList<>();
        List<Double> browsersGone = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            try (LocalOperatorProcess operator = LocalOperatorProcess.start(jar)) {
                for (int i = 0; i < LIVE_SESSIONS; i++) {
                    operator.createSession("{\"timeout\": 600000}");
                }
                List<ProcessHandle> browsers = operator.chromiumProcesses();
                long t0 = System.nanoTime();
                operator.process().destroy();
                operator.process().waitFor();
                exited.add((System.nanoTime() - t0) / 1e6);
                while (browsers.stream().anyMatch(ProcessHandle::isAlive)) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                browsersGone.add((System.nanoTime() - t0) / 1e6);
            }
        }
        System.out.println(jar + ": SIGTERM with " + LIVE_SESSIONS + " Live sessions -> process exited:       "
                + new Percentiles(exited).summary("ms"));
        System.out.println(jar + ": SIGTERM with " + LIVE_SESSIONS + " Live sessions -> last Chromium gone: "
                + new Percentiles(browsersGone).summary("ms"));
    }

    private static void restart() throws Exception {
        Path template = Files.createTempDirectory("restart-bench-");
        List<String> ids = new ArrayList<>();
        try (LocalOperatorProcess operator = LocalOperatorProcess.startOn(template);
                KubernetesClient client = operator.kubernetesClient()) {
            for (int i = 0; i < LIVE_SESSIONS; i++) {
                String id = operator.createSession("{\"timeout\": 600000}").getString("id");
                release(operator, id);
                ids.add(id);
            }
            for (String id : ids) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> phase(client, id) == Phase.Released);
            }
        }
        Path store = template.resolve("store");
        List<Path> records = sessionFiles(store);
        long bytes = 0;
        for (Path file : records) {
            bytes += Files.size(file);
        }
        System.out.printf(
                "a finished session's records: %d files, %.1f KiB of JSON, %.1f KiB on disk%n",
                records.size() / LIVE_SESSIONS, bytes / 1024.0 / LIVE_SESSIONS, diskKib(store) / LIVE_SESSIONS);

        for (int kept : KEPT_SESSIONS) {
            Path dataDir = Files.createTempDirectory("restart-bench-" + kept + "-");
            Files.createDirectories(dataDir.resolve("store"));
            for (int i = 0; i < kept / LIVE_SESSIONS; i++) {
                clone(records, dataDir.resolve("store"));
            }
            long t0 = System.nanoTime();
            try (LocalOperatorProcess operator = LocalOperatorProcess.startOn(dataDir)) {
                double ready = (System.nanoTime() - t0) / 1e6;
                Matcher restored = RESTORED_IN.matcher(operator.log());
                System.out.printf(
                        "start-up with %5d finished sessions kept: ready %.0f ms (restoring the store: %s ms), "
                                + "%.1f MiB on disk%n",
                        kept, ready, restored.find() ? restored.group(1) : "?", diskKib(dataDir) / 1024);
            }
        }

        Path killed = Files.createTempDirectory("restart-bench-live-");
        List<String> live = new ArrayList<>();
        try (LocalOperatorProcess operator = LocalOperatorProcess.startOn(killed)) {
            for (int i = 0; i < LIVE_SESSIONS; i++) {
                live.add(operator.createSession("{\"timeout\": 600000}").getString("id"));
            }
            operator.kill();
        }
        long t0 = System.nanoTime();
        try (LocalOperatorProcess operator = LocalOperatorProcess.startOn(killed);
                KubernetesClient client = operator.kubernetesClient()) {
            double ready = (System.nanoTime() - t0) / 1e6;
            for (String id : live) {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> phase(client, id) == Phase.Failed);
            }
            System.out.printf(
                    "after kill -9 with %d Live sessions: ready %.0f ms, all %d Failed %.0f ms after launch%n",
                    LIVE_SESSIONS, ready, LIVE_SESSIONS, (System.nanoTime() - t0) / 1e6);
        }
    }

    /** Every stored file but the API key's: those of the sessions. */
    private static List<Path> sessionFiles(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> !f.getFileName().toString().contains("browser-operator-api-key"))
                    .toList();
        }
    }

    /** The 20 sessions' files once more, every name and uid in them (all UUIDs) replaced by new ones. */
    private static void clone(List<Path> records, Path store) throws IOException {
        Map<String, String> fresh = new HashMap<>();
        for (Path file : records) {
            String name = renamed(file.getFileName().toString(), fresh);
            Files.writeString(store.resolve(name), renamed(Files.readString(file), fresh));
        }
    }

    private static String renamed(String text, Map<String, String> fresh) {
        return UUID_TEXT
                .matcher(text)
                .replaceAll(m -> fresh.computeIfAbsent(
                        m.group(), old -> UUID.randomUUID().toString()));
    }

    private static double diskKib(Path dir) throws Exception {
        Process du = new ProcessBuilder("du", "-sk", dir.toString()).start();
        String out = new String(du.getInputStream().readAllBytes());
        du.waitFor();
        return Double.parseDouble(out.split("\\s+")[0]);
    }

    private static Phase phase(KubernetesClient client, String name) {
        BrowserSession session = client.resources(BrowserSession.class)
                .inNamespace("default")
                .withName(name)
                .get();
        return session == null || session.getStatus() == null
                ? null
                : session.getStatus().getPhase();
    }

    private static void release(LocalOperatorProcess operator, String id) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(operator.httpUri("/v1/sessions/" + id + "/release"))
                        .header("steel-api-key", LocalOperatorProcess.API_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
