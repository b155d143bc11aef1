package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.PodAgentCommand;
import dev.browsers.operator.testing.Processes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's entry point as the session pod runs it: the configured command, its own class path, the environment. */
class AgentMainIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Process agent;
    private ChromiumOnPort chromium;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroyForcibly().waitFor();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void refusesToStartWithoutAToken() throws Exception {
        agent = start(Map.of("AGENT_PORT", String.valueOf(Processes.freePort())));

        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(output()).contains("SESSION_TOKEN is required");
    }

    @Test
    void exitsSayingSoWhenTheSessionsProxyDoesNotAcceptConnections() throws Exception {
        int closed = Processes.freePort();
        agent = start(Map.of(
                "SESSION_TOKEN",
                "t",
                "AGENT_PORT",
                String.valueOf(Processes.freePort()),
                "AGENT_PROXY_SERVER",
                "http://127.0.0.1:" + closed,
                "AGENT_PROXY_USERNAME",
                "alice",
                "AGENT_PROXY_PASSWORD",
                "pa55word"));

        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(1);
        // The last line becomes the pod's termination message (FallbackToLogsOnError), and so the session's.
        assertThat(output())
                .contains("agent failed to start: proxy 127.0.0.1:" + closed + " does not accept connections")
                .doesNotContain("pa55word");
    }

    @Test
    void refusesAPortThatIsNoPort() throws Exception {
        agent = start(Map.of("SESSION_TOKEN", "t", "AGENT_PORT", "http"));

        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(output()).contains("AGENT_PORT must be a port number (1-65535), got 'http'");
    }

    @Test
    void servesTheBrowserAndEndsItWhenTheDeadlineItWasGivenIsLongPast() throws Exception {
        chromium = ChromiumOnPort.start();
        int port = Processes.freePort();
        agent = start(Map.of(
                "SESSION_TOKEN",
                "t",
                "AGENT_PORT",
                String.valueOf(port),
                "BROWSER_CDP_PORT",
                String.valueOf(chromium.cdpPort())));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .build();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        assertThat(output()).containsPattern("agent listening on port " + port + " .*started in \\d+ ms");

        // As the operator gives it: the deadline passed a minute ago, so the backstop's grace is over too.
        String deadline = "{\"expiresAt\":\"" + Instant.now().minus(Duration.ofMinutes(1)) + "\"}";
        HttpResponse<String> taken = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deadline"))
                        .header("Authorization", "Bearer t")
                        .PUT(HttpRequest.BodyPublishers.ofString(deadline))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(taken.statusCode()).isEqualTo(200);

        chromium.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isZero();
        assertThat(output()).contains("agent exiting");
    }

    /**
     * The build wrote the agent's class data sharing archive with this JVM: the agent's classes come from it, not from
     * its jars. (A JVM that cannot use the archive starts without it, silently, slower.)
     */
    @Test
    void loadsItsClassesFromTheClassDataSharingArchive() throws Exception {
        int port = Processes.freePort();
        agent = start(
                Map.of("SESSION_TOKEN", "t", "AGENT_PORT", String.valueOf(port), "BROWSER_CDP_PORT", "1"),
                "-Xlog:class+load=info");
        await().atMost(WAIT).until(() -> output().contains("agent listening on port " + port));
        assertThat(output())
                .contains(AgentMain.class.getName() + " source: shared objects file (top)")
                .contains(SessionAgent.class.getName() + " source: shared objects file (top)")
                .contains("io.vertx.core.http.impl.HttpServerImpl source: shared objects file (top)");
    }

    /** Quarkus sets vertx.disableWebsockets in its JVM, where local mode runs its agents. */
    @Test
    void proxiesCdpEvenWhenVertxWebSocketHandlersAreDisabled() throws Exception {
        chromium = ChromiumOnPort.start();
        int port = Processes.freePort();
        agent = start(
                Map.of(
                        "SESSION_TOKEN",
                        "t",
                        "AGENT_PORT",
                        String.valueOf(port),
                        "BROWSER_CDP_PORT",
                        String.valueOf(chromium.cdpPort())),
                "-Dvertx.disableWebsockets=true");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .build();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        try (CdpClient cdp =
                CdpClient.connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=t"), Map.of())) {
            assertThat(cdp.call("Browser.getVersion", new JsonObject()).getString("product"))
                    .startsWith("HeadlessChrome");
        }
    }

    private Process start(Map<String, String> env, String... extraJvmArgs) throws IOException {
        return PodAgentCommand.of()
                .processBuilder(env, List.of(extraJvmArgs))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("agent.log"));
    }
}
