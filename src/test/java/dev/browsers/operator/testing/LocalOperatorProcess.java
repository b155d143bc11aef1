package dev.browsers.operator.testing;

import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;

/** The packaged operator (target/quarkus-app) in local mode as a separate process, as README's run command starts it. */
public final class LocalOperatorProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private final Process process;
    private final int httpPort;
    private final int apiPort;
    private final Path log;

    private LocalOperatorProcess(Process process, int httpPort, int apiPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.apiPort = apiPort;
        this.log = log;
    }

    /** Started and ready (its health check answers). */
    public static LocalOperatorProcess start(String... extraJvmArgs) throws IOException {
        return start(JAR, extraJvmArgs);
    }

    /** Another build's packaged operator, started and ready, e.g. to compare two builds in one benchmark run. */
    public static LocalOperatorProcess start(Path jar, String... extraJvmArgs) throws IOException {
        LocalOperatorProcess operator = launch(jar, extraJvmArgs);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            if (!operator.process.isAlive()) {
                throw new IllegalStateException("operator exited; log: " + operator.log());
            }
            return http.send(
                                    HttpRequest.newBuilder(operator.httpUri("/q/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        });
        return operator;
    }

    /** Started, for a test that expects it to refuse to start; not waited for. */
    public static LocalOperatorProcess launch(String... extraJvmArgs) throws IOException {
        return launch(JAR, extraJvmArgs);
    }

    private static LocalOperatorProcess launch(Path jar, String... extraJvmArgs) throws IOException {
        int httpPort = Processes.freePort();
        int apiPort = Processes.freePort();
        Path log = Files.createTempFile("local-operator-", ".log");
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.port=0",
                "-Dbrowser-operator.local.api-port=" + apiPort));
        // After the defaults, so a test's own -D settings win.
        command.addAll(List.of(extraJvmArgs));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new LocalOperatorProcess(process, httpPort, apiPort, log);
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** A client of the embedded Kubernetes API store. */
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + apiPort)
                        .withNamespace("default")
                        .build())
                .build();
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

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
