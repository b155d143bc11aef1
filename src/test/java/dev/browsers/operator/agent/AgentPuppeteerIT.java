package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.NodeScript;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real puppeteer-core (node) connects through the agent, the way a user's script would. */
class AgentPuppeteerIT {
    private static final String TOKEN = "puppeteer-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ChromiumOnPort chromium;
    private static Vertx vertx;
    private static SessionAgent agent;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        chromium = ChromiumOnPort.start();
        vertx = Vertx.vertx();
        agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN));
        port = agent.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void connectsWithTheTokenInTheStableUrl() throws Exception {
        NodeScript.Run run = puppeteer(
                Map.of(),
                "ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN,
                "data:text/html,<title>through the agent</title>");

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonObject printed = new JsonObject(run.lastLine());
        assertThat(printed.getString("title")).isEqualTo("through the agent");
        assertThat(printed.getInteger("pages")).isPositive();
        assertThat(agent.activity().clientMessages()).isPositive();
    }

    @Test
    void connectsWithTheTokenInAHeader() throws Exception {
        NodeScript.Run run = puppeteer(
                Map.of("CDP_AUTHORIZATION", "Bearer " + TOKEN), "ws://127.0.0.1:" + port + "/devtools/browser");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new JsonObject(run.lastLine()).getString("title")).isEqualTo("agent-ok");
    }

    /** What browserURL discovery does, with the token the query carries into the advertised URL. */
    @Test
    void connectsThroughTheUrlAdvertisedByJsonVersion() throws Exception {
        HttpResponse<String> version = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/version?token=" + TOKEN))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String advertised = new JsonObject(version.body()).getString("webSocketDebuggerUrl");

        NodeScript.Run run = puppeteer(Map.of(), advertised);

        assertThat(advertised).startsWith("ws://127.0.0.1:" + port + chromium.browserPath());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new JsonObject(run.lastLine()).getString("title")).isEqualTo("agent-ok");
    }

    @Test
    void failsWithAWrongToken() throws Exception {
        NodeScript.Run run = puppeteer(Map.of(), "ws://127.0.0.1:" + port + "/devtools/browser?token=wrong");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("401");
    }

    private static NodeScript.Run puppeteer(Map<String, String> env, String... args) throws Exception {
        return NodeScript.run("agent-puppeteer.mjs", env, TIMEOUT, args);
    }
}
