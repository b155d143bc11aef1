package dev.browsers.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged operator (target/quarkus-app) in local mode as a separate process, as README's run command starts it,
 * with a data directory of its own: a fresh one, removed on {@link #close()}, or one given, kept for a restart.
 */
public final class LocalOperatorProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** The REST API key local mode serves by default. */
    public static final String API_KEY = "local";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final int httpPort;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path log;

    private LocalOperatorProcess(Process process, int httpPort, Path dataDir, boolean ownsDataDir, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.log = log;
    }

    /** Started and ready, on a fresh data directory. */
    public static LocalOperatorProcess start(String... extraJvmArgs) throws IOException {
        return start(JAR, extraJvmArgs);
    }

    /** Another build's packaged operator, started and ready, e.g. to compare two builds in one benchmark run. */
    public static LocalOperatorProcess start(Path jar, String... extraJvmArgs) throws IOException {
        return awaitReady(launch(jar, freshDataDir(), true, List.of(), extraJvmArgs));
    }

    /** Started and ready on this data directory, which outlives it: what a restart of {@code bin/run} finds. */
    public static LocalOperatorProcess startOn(Path dataDir, String... extraJvmArgs) throws IOException {
        return awaitReady(launch(JAR, dataDir, false, List.of(), extraJvmArgs));
    }

    /**
     * Started and ready as another user, with a fresh data directory (also its home) that user owns. Switches users
     * with setpriv, so only a process running as root can.
     */
    public static LocalOperatorProcess startAs(int uid, String... extraJvmArgs) throws IOException {
        Path dataDir = freshDataDir();
        Files.setAttribute(dataDir, "unix:uid", uid);
        Files.setAttribute(dataDir, "unix:gid", uid);
        return awaitReady(launch(
                JAR,
                dataDir,
                true,
                List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"),
                extraJvmArgs));
    }

    /** Started, for a test that expects it to refuse to start; not waited for. */
    public static LocalOperatorProcess launch(String... extraJvmArgs) throws IOException {
        return launch(JAR, freshDataDir(), true, List.of(), extraJvmArgs);
    }

    /** The user id this process runs as. */
    public static int currentUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static Path freshDataDir() throws IOException {
        return Files.createTempDirectory("local-operator-data-");
    }

    private static LocalOperatorProcess awaitReady(LocalOperatorProcess operator) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            if (!operator.process.isAlive()) {
                throw new IllegalStateException("operator exited; log: " + operator.log());
            }
            return HTTP.send(
                                    HttpRequest.newBuilder(operator.httpUri("/q/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        });
        return operator;
    }

    private static LocalOperatorProcess launch(
            Path jar, Path dataDir, boolean ownsDataDir, List<String> commandPrefix, String... extraJvmArgs)
            throws IOException {
        int httpPort = Processes.freePort();
        int apiPort = Processes.freePort();
        Path log = Files.createTempFile("local-operator-", ".log");
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.port=0",
                "-Dbrowser-operator.local.api-port=" + apiPort));
        // After the defaults, so a test's own -D settings win.
        command.addAll(List.of(extraJvmArgs));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // From the environment, which builds from before the data directory ignore, so benchmarks can run them.
        builder.environment().put("BROWSER_OPERATOR_LOCAL_DATA_DIR", dataDir.toString());
        if (!commandPrefix.isEmpty()) {
            builder.environment().put("HOME", dataDir.toString());
        }
        Process process = builder.start();
        return new LocalOperatorProcess(process, httpPort, dataDir, ownsDataDir, log);
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The kubeconfig the operator wrote for its embedded API store: address and this run's token. */
    public Path kubeconfig() {
        return dataDir.resolve("kubeconfig");
    }

    /** A client of the embedded Kubernetes API store, with the credential the operator wrote to its kubeconfig. */
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().withConfig(storeConfig()).build();
    }

    /** The embedded API store's address, e.g. {@code http://127.0.0.1:40001}. */
    public String storeUrl() {
        return storeConfig().getMasterUrl().replaceAll("/$", "");
    }

    private Config storeConfig() {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a session through the REST API, which answers once it is Live; fails on any other answer. */
    public JsonObject createSession(String body) throws IOException, InterruptedException {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(httpUri("/v1/sessions"))
                        .header("steel-api-key", API_KEY)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
        }
        return new JsonObject(created.body());
    }

    /** Every Chromium process it runs: browsers and their helpers. */
    public List<ProcessHandle> chromiumProcesses() {
        return process.descendants()
                .filter(p -> p.info().command().orElse("").contains("chromium"))
                .toList();
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops it as Ctrl-C would (SIGTERM; Quarkus treats SIGINT the same) and waits for the exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** Kills it with SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("operator " + process.pid() + " still runs 10 s after SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
        if (ownsDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
