package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.ChromiumProcess;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.NodeScript;
import dev.browsers.operator.testing.Processes;
import dev.browsers.operator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent in front of a real headless Chromium that has no CDP port, only its DevTools pipe (local mode), driven
 * by a real CDP client, real puppeteer-core and real playwright-core.
 */
class AgentPipeIT {
    private static final String TOKEN = "pipe-token/+=";
    private static final String QUERY_TOKEN = "token=pipe-token%2F%2B%3D";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(90);

    private static ChromiumProcess chromium;
    private static Vertx vertx;
    private static SessionAgent agent;
    private static int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startBrowserAndAgent() throws Exception {
        chromium = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
        vertx = Vertx.vertx();
        agent = new SessionAgent(
                vertx, AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN), chromium.pipe(), BrowserRules.NONE);
        port = result(agent.start());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (agent != null) {
            result(agent.stop());
        }
        if (vertx != null) {
            result(vertx.close());
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void closeTestResources() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @Test
    void theBrowserHasNoCdpPortAndNoListeningSocket() throws Exception {
        List<ProcessHandle> processes = new ArrayList<>(
                ProcessHandle.of(chromium.pid()).orElseThrow().descendants().toList());
        processes.add(ProcessHandle.of(chromium.pid()).orElseThrow());

        for (ProcessHandle p : processes) {
            assertThat(p.info().arguments().map(List::of).orElse(List.of()))
                    .noneMatch(arg ->
                            arg.startsWith("--remote-debugging-port") || arg.startsWith("--remote-debugging-address"));
        }
        assertThat(ProcessHandle.of(chromium.pid())
                        .orElseThrow()
                        .info()
                        .arguments()
                        .map(List::of)
                        .orElseThrow())
                .contains("--remote-debugging-pipe");
        assertThat(Processes.listeningTcpPorts(processes))
                .as("TCP sockets Chromium listens on")
                .isEmpty();
        assertThat(new JsonObject(get("/ready", null).body()).getBoolean("ready"))
                .isTrue();
    }

    @Test
    void cdpRoundTripThroughTheStableBrowserUrl() throws Exception {
        CdpClient cdp = connect(browserUrl(), Map.of());

        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String sessionId = attach(cdp, targetId);
        JsonObject evaluated = cdp.call(
                "Runtime.evaluate", new JsonObject().put("expression", "1+2").put("returnByValue", true), sessionId);

        assertThat(evaluated.getJsonObject("result").getInteger("value")).isEqualTo(3);
        cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
    }

    /** Both clients number their commands 1, 2, 3...: only routing by session keeps their answers apart. */
    @Test
    void twoClientsAtOnceEachGetOnlyTheirOwnAnswersAndEvents() throws Exception {
        CdpClient first = connect(browserUrl(), Map.of());
        CdpClient second = connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser/any-id"),
                Map.of("Authorization", "Bearer " + TOKEN));
        first.call("Target.setDiscoverTargets", new JsonObject().put("discover", true));
        String firstTarget = first.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String secondTarget = second.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String firstSession = attach(first, firstTarget);
        String secondSession = attach(second, secondTarget);

        List<CompletableFuture<JsonObject>> firstAnswers = new ArrayList<>();
        List<CompletableFuture<JsonObject>> secondAnswers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            firstAnswers.add(first.send("Runtime.evaluate", evaluate("1000+" + i), firstSession));
            secondAnswers.add(second.send("Runtime.evaluate", evaluate("2000+" + i), secondSession));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(value(firstAnswers.get(i))).isEqualTo(1000 + i);
            assertThat(value(secondAnswers.get(i))).isEqualTo(2000 + i);
        }

        assertThat(first.events())
                .anySatisfy(e -> assertThat(e.getString("method")).isEqualTo("Target.targetCreated"));
        assertThat(second.events())
                .noneSatisfy(e -> assertThat(e.getString("method")).isEqualTo("Target.targetCreated"));
        assertThat(second.events())
                .noneSatisfy(e -> assertThat(e.getString("sessionId")).isEqualTo(firstSession));
        assertThatThrownBy(() -> second.call("Runtime.evaluate", evaluate("1"), firstSession))
                .hasMessageContaining("Session with given id not found");
        first.call("Target.closeTarget", new JsonObject().put("targetId", firstTarget));
        second.call("Target.closeTarget", new JsonObject().put("targetId", secondTarget));
    }

    @Test
    void aClientThatLeavesIsDetachedFromItsPages() throws Exception {
        CdpClient observer = connect(browserUrl(), Map.of());
        CdpClient leaving = connect(browserUrl(), Map.of());
        String targetId = leaving.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        attach(leaving, targetId);
        assertThat(attached(observer, targetId)).isTrue();

        leaving.close();

        await().atMost(WAIT).until(() -> !attached(observer, targetId));
        await().atMost(WAIT).until(() -> agent.activity().openConnections() == 1);
        observer.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
    }

    @Test
    void pageSocketsTalkToTheirPageAndCloseWhenItCloses() throws Exception {
        CdpClient browser = connect(browserUrl(), Map.of());
        String targetId = browser.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        CdpClient page = connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + targetId),
                Map.of("Authorization", "Bearer " + TOKEN));

        JsonObject evaluated = page.call("Runtime.evaluate", evaluate("6*7"));
        assertThat(evaluated.getJsonObject("result").getInteger("value")).isEqualTo(42);

        browser.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
        page.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> CdpClient.connect(
                        URI.create("ws://127.0.0.1:" + port + "/devtools/page/nope?" + QUERY_TOKEN), Map.of()))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(502));
    }

    @Test
    void messagesOfManyMegabytesPass() throws Exception {
        CdpClient cdp = connect(browserUrl(), Map.of());
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String sessionId = attach(cdp, targetId);
        String large = "'x'.repeat(16 * 1024 * 1024)";

        JsonObject evaluated = cdp.call("Runtime.evaluate", evaluate(large), sessionId);
        JsonObject echoed =
                cdp.call("Runtime.evaluate", evaluate("'" + "y".repeat(8 * 1024 * 1024) + "'.length"), sessionId);

        assertThat(evaluated.getJsonObject("result").getString("value")).hasSize(16 * 1024 * 1024);
        assertThat(echoed.getJsonObject("result").getInteger("value")).isEqualTo(8 * 1024 * 1024);
        cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
    }

    @Test
    void devToolsPagesAreBuiltFromCdpAndAdvertiseTheAgent() throws Exception {
        JsonObject withHeader =
                new JsonObject(get("/json/version", "Bearer " + TOKEN).body());
        JsonObject withQuery =
                new JsonObject(get("/json/version?" + QUERY_TOKEN, null).body());
        assertThat(withHeader.getString("Browser")).startsWith("HeadlessChrome/");
        assertThat(withHeader.getString("Protocol-Version")).isEqualTo("1.3");
        assertThat(withHeader.fieldNames()).contains("User-Agent", "V8-Version", "WebKit-Version");
        assertThat(withHeader.getString("webSocketDebuggerUrl"))
                .matches("ws://127\\.0\\.0\\.1:" + port + "/devtools/browser/[0-9a-f-]{36}");
        assertThat(withQuery.getString("webSocketDebuggerUrl"))
                .isEqualTo(withHeader.getString("webSocketDebuggerUrl") + "?" + QUERY_TOKEN);

        HttpResponse<String> created = send(HttpRequest.newBuilder(
                        agentUri("/json/new?" + QUERY_TOKEN + "&data:text/html,%3Ctitle%3Enew%3C/title%3E"))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
        JsonObject target = new JsonObject(created.body());
        String id = target.getString("id");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("content-type")).hasValue("application/json; charset=UTF-8");
        assertThat(target.getString("type")).isEqualTo("page");
        assertThat(target.getString("url")).isEqualTo("data:text/html,<title>new</title>");
        assertThat(target.getString("webSocketDebuggerUrl"))
                .isEqualTo("ws://127.0.0.1:" + port + "/devtools/page/" + id + "?" + QUERY_TOKEN);
        assertThat(target.getString("devtoolsFrontendUrl")).endsWith("?ws=127.0.0.1:" + port + "/devtools/page/" + id);

        JsonArray list = new JsonArray(get("/json/list", "Bearer " + TOKEN).body());
        assertThat(list)
                .anySatisfy(t -> assertThat(((JsonObject) t).getString("webSocketDebuggerUrl"))
                        .isEqualTo("ws://127.0.0.1:" + port + "/devtools/page/" + id));
        assertThat(get("/json", "Bearer " + TOKEN).body()).contains("/devtools/page/" + id);

        assertThat(get("/json/activate/" + id, "Bearer " + TOKEN).body()).isEqualTo("Target activated");
        assertThat(get("/json/activate/nope", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/json/new?" + QUERY_TOKEN, null).statusCode()).isEqualTo(405);
        assertThat(new JsonObject(get("/json/protocol", "Bearer " + TOKEN).body()).getString("message"))
                .contains("pipe");
        HttpResponse<String> closed = get("/json/close/" + id, "Bearer " + TOKEN);
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(closed.body()).isEqualTo("Target is closing");
        await().atMost(WAIT)
                .until(() -> !get("/json/list", "Bearer " + TOKEN).body().contains(id));
        assertThat(get("/json/close/" + id, "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheRightTokenHttpAndWebSocketsAre401() throws Exception {
        for (String path : List.of("/json/version", "/json/list", "/activity", "/json/version?token=wrong")) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/json/version", "Bearer wrong").statusCode()).isEqualTo(401);
        for (String path : List.of("/devtools/browser", "/devtools/browser?token=wrong", "/devtools/page/x")) {
            assertThatThrownBy(() -> CdpClient.connect(URI.create("ws://127.0.0.1:" + port + path), Map.of()))
                    .as(path)
                    .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(401));
        }
    }

    @Test
    void puppeteerClientsAtOnceEvaluateAndScreenshot() throws Exception {
        NodeScript.Run run = NodeScript.run(
                "agent-clients.mjs", Map.of(), NODE_TIMEOUT, browserUrl().toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonObject printed = new JsonObject(run.lastLine());
        assertThat(printed.getJsonArray("titles")).containsExactly("client 0", "client 1");
        assertThat(printed.getJsonArray("screenshotBytes"))
                .allSatisfy(n -> assertThat((Integer) n).isGreaterThan(100));
        assertThat(printed.getLong("largeScreenshotBytes")).isGreaterThan(30L * 1024 * 1024);
    }

    @Test
    void puppeteerConnectsThroughTheUrlAdvertisedByJsonVersion() throws Exception {
        String advertised =
                new JsonObject(get("/json/version?" + QUERY_TOKEN, null).body()).getString("webSocketDebuggerUrl");

        NodeScript.Run run = NodeScript.run("agent-puppeteer.mjs", Map.of(), NODE_TIMEOUT, advertised);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new JsonObject(run.lastLine()).getString("title")).isEqualTo("agent-ok");
    }

    @Test
    void playwrightConnectsOverCdp() throws Exception {
        NodeScript.Run run = NodeScript.run(
                "agent-playwright.mjs", Map.of(), NODE_TIMEOUT, browserUrl().toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonObject printed = new JsonObject(run.lastLine());
        assertThat(printed.getString("title")).isEqualTo("playwright-ok");
        assertThat(printed.getInteger("value")).isEqualTo(42);
    }

    /** As local mode blocks file:// URLs: on the pipe's own session, where no client reaches. */
    @Test
    void blockedUrlsStayBlockedWhateverAClientDoes() throws Exception {
        String hostname = Files.readString(Path.of("/etc/hostname")).strip();
        ChromiumProcess guarded = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
        cleanup.add(guarded);
        SessionAgent guardedAgent = new SessionAgent(
                vertx,
                AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN),
                guarded.pipe(),
                BrowserRules.fromEnvironment(Map.of(), List.of("file:*")));
        int guardedPort = result(guardedAgent.start());
        cleanup.add(() -> result(guardedAgent.stop()));
        result(guardedAgent.browserReady());
        CdpClient cdp =
                connect(URI.create("ws://127.0.0.1:" + guardedPort + "/devtools/browser?" + QUERY_TOKEN), Map.of());

        String navigated = CdpPages.open(cdp);
        assertThat(CdpPages.navigate(cdp, navigated, "file:///etc/hostname")).isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
        assertThat(CdpPages.text(cdp, navigated)).startsWith("chrome-error:").doesNotContain(hostname);

        String opened = cdp.call("Target.createTarget", new JsonObject().put("url", "FILE://localhost/etc/hostname"))
                .getString("targetId");
        String openedSession = attach(cdp, opened);
        await().atMost(WAIT).until(() -> CdpPages.text(cdp, openedSession).startsWith("chrome-error:"));

        // The client's own interception, letting everything through, comes on top of the agent's.
        String intercepting = CdpPages.open(cdp);
        cdp.call(
                "Fetch.enable",
                new JsonObject().put("patterns", new JsonArray().add(new JsonObject().put("urlPattern", "*"))),
                intercepting);
        CompletableFuture<JsonObject> navigation =
                cdp.send("Page.navigate", new JsonObject().put("url", "file:///etc/hostname"), intercepting);
        JsonObject paused = await().atMost(WAIT)
                .until(
                        () -> cdp.events().stream()
                                .filter(e -> "Fetch.requestPaused".equals(e.getString("method")))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        cdp.call(
                "Fetch.continueRequest",
                new JsonObject().put("requestId", paused.getJsonObject("params").getString("requestId")),
                intercepting);
        assertThat(navigation
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .getJsonObject("result")
                        .getString("errorText"))
                .isEqualTo("net::ERR_BLOCKED_BY_CLIENT");
        cdp.call("Fetch.disable", new JsonObject(), intercepting);

        assertThat(CdpPages.navigate(cdp, intercepting, "data:text/html,<p>other URLs load"))
                .isNull();
        assertThat(CdpPages.text(cdp, intercepting)).endsWith("other URLs load");
    }

    @Test
    void aGoneBrowserIsNotReadyAndBreaksOpenConnections() throws Exception {
        ChromiumProcess doomed = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
        cleanup.add(doomed);
        SessionAgent doomedAgent = new SessionAgent(
                vertx, AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN), doomed.pipe(), BrowserRules.NONE);
        int doomedPort = result(doomedAgent.start());
        cleanup.add(() -> result(doomedAgent.stop()));
        await().atMost(WAIT).until(() -> getFrom(doomedPort, "/ready", null).statusCode() == 200);
        CdpClient open =
                connect(URI.create("ws://127.0.0.1:" + doomedPort + "/devtools/browser?" + QUERY_TOKEN), Map.of());
        open.call("Browser.getVersion", new JsonObject());

        ProcessHandle.of(doomed.pid()).orElseThrow().destroyForcibly();

        assertThat(open.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1011);
        assertThat(getFrom(doomedPort, "/ready", null).statusCode()).isEqualTo(503);
        assertThatThrownBy(() -> CdpClient.connect(
                        URI.create("ws://127.0.0.1:" + doomedPort + "/devtools/browser?" + QUERY_TOKEN), Map.of()))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(502));
        assertThat(getFrom(doomedPort, "/json/version", "Bearer " + TOKEN).statusCode())
                .isEqualTo(502);
    }

    @Test
    void backstopClosesTheBrowserOverThePipe() throws Exception {
        ChromiumProcess overdue = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
        cleanup.add(overdue);
        AtomicReference<Optional<Instant>> deadline =
                new AtomicReference<>(Optional.of(Instant.now().plusSeconds(3600)));
        AtomicInteger backstops = new AtomicInteger();
        SessionAgent guard = new SessionAgent(
                vertx,
                AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN)
                        .withBackstop(deadline::get, Duration.ofSeconds(1), backstops::incrementAndGet),
                overdue.pipe(),
                BrowserRules.NONE);
        result(guard.start());
        cleanup.add(() -> result(guard.stop()));
        result(guard.browserReady());

        deadline.set(Optional.of(Instant.now().minusMillis(1500)));

        overdue.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(overdue.exitCode()).as("Chromium's exit after Browser.close").isZero();
        await().atMost(WAIT).until(() -> backstops.get() == 1);
    }

    private static JsonObject evaluate(String expression) {
        return new JsonObject().put("expression", expression).put("returnByValue", true);
    }

    private static String attach(CdpClient cdp, String targetId) throws Exception {
        return cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
    }

    private static boolean attached(CdpClient cdp, String targetId) throws Exception {
        return cdp.call("Target.getTargetInfo", new JsonObject().put("targetId", targetId))
                .getJsonObject("targetInfo")
                .getBoolean("attached");
    }

    private static int value(CompletableFuture<JsonObject> answer) throws Exception {
        return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .getJsonObject("result")
                .getJsonObject("result")
                .getInteger("value");
    }

    private static <T> T result(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int handshakeStatus(Throwable e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("handshake failure in %s", e).isNotNull();
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private CdpClient connect(URI uri, Map<String, String> headers) throws Exception {
        CdpClient cdp = CdpClient.connect(uri, headers);
        cleanup.add(cdp);
        return cdp;
    }

    private static URI browserUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/devtools/browser?" + QUERY_TOKEN);
    }

    private static URI agentUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        return getFrom(port, pathAndQuery, authorization);
    }

    private HttpResponse<String> getFrom(int agentPort, String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + pathAndQuery))
                .timeout(WAIT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
