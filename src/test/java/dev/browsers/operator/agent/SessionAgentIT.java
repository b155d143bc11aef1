package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent in front of a real headless Chromium, driven by a real CDP client over real sockets. */
class SessionAgentIT {
    private static final String TOKEN = "s3cret-token/+=";
    private static final String QUERY_TOKEN = "token=s3cret-token%2F%2B%3D";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BLINKING_PAGE =
            "data:text/html,<title>busy</title><script>setInterval(() => console.log('tick'), 20)</script>";

    private static ChromiumOnPort chromium;
    private static Vertx vertx;
    private static SessionAgent agent;
    private static int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startBrowserAndAgent() throws Exception {
        chromium = startChromium();
        vertx = Vertx.vertx();
        agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN));
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
    void cdpRoundTripThroughTheStableBrowserUrl() throws Exception {
        CdpClient cdp = connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?" + QUERY_TOKEN), Map.of());

        JsonObject page = new JsonObject().put("url", "data:text/html,<title>t</title>");
        String targetId = cdp.call("Target.createTarget", page).getString("targetId");
        String sessionId = cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
        JsonObject evaluated = cdp.call(
                "Runtime.evaluate", new JsonObject().put("expression", "1+2").put("returnByValue", true), sessionId);

        assertThat(evaluated.getJsonObject("result").getInteger("value")).isEqualTo(3);
        cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
    }

    @Test
    void pageSocketsAreProxiedToTheSamePathAndCloseWhenTheBrowserClosesThem() throws Exception {
        CdpClient browser = connect(browserUrl(), Map.of());
        String targetId = browser.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        CdpClient page = connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + targetId),
                Map.of("Authorization", "Bearer " + TOKEN));

        JsonObject evaluated = page.call(
                "Runtime.evaluate", new JsonObject().put("expression", "6*7").put("returnByValue", true));
        assertThat(evaluated.getJsonObject("result").getInteger("value")).isEqualTo(42);

        browser.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
        page.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void messagesOfManyMegabytesPass() throws Exception {
        CdpClient cdp = connect(browserUrl(), Map.of());
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String sessionId = cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");

        JsonObject evaluated = cdp.call(
                "Runtime.evaluate",
                new JsonObject()
                        .put("expression", "'x'.repeat(8 * 1024 * 1024)")
                        .put("returnByValue", true),
                sessionId);

        assertThat(evaluated.getJsonObject("result").getString("value")).hasSize(8 * 1024 * 1024);
        cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
    }

    @Test
    void jsonVersionAdvertisesTheAgentAndCarriesAQueryTokenOn() throws Exception {
        String browserPath = chromium.browserPath();

        JsonObject withHeader =
                new JsonObject(get("/json/version", "Bearer " + TOKEN).body());
        JsonObject withQuery =
                new JsonObject(get("/json/version?" + QUERY_TOKEN, null).body());

        assertThat(withHeader.getString("webSocketDebuggerUrl")).isEqualTo("ws://127.0.0.1:" + port + browserPath);
        assertThat(withQuery.getString("webSocketDebuggerUrl"))
                .isEqualTo("ws://127.0.0.1:" + port + browserPath + "?" + QUERY_TOKEN);
        assertThat(withHeader.getString("Browser")).contains("HeadlessChrome");
    }

    @Test
    void targetListsAndNewTargetsAdvertiseTheAgent() throws Exception {
        URI newTarget = agentUri("/json/new?" + QUERY_TOKEN + "&about:blank");
        HttpResponse<String> created = send(HttpRequest.newBuilder(newTarget)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
        JsonObject target = new JsonObject(created.body());
        String id = target.getString("id");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(target.getString("url")).isEqualTo("about:blank");
        assertThat(target.getString("webSocketDebuggerUrl"))
                .isEqualTo("ws://127.0.0.1:" + port + "/devtools/page/" + id + "?" + QUERY_TOKEN);
        String list = get("/json/list", "Bearer " + TOKEN).body();
        assertThat(list)
                .contains("ws://127.0.0.1:" + port + "/devtools/page/" + id + "\"")
                .doesNotContain(":" + chromium.cdpPort() + "/");
        assertThat(get("/json/close/" + id, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void httpWithoutTheRightTokenIsRefused() throws Exception {
        for (String auth : new String[] {null, "Bearer wrong", "Basic " + TOKEN}) {
            HttpResponse<String> response = get("/json/version", auth);
            assertThat(response.statusCode()).as("Authorization: %s", auth).isEqualTo(401);
            assertThat(new JsonObject(response.body()).getString("message")).isNotBlank();
        }
        assertThat(get("/json/version?token=wrong", null).statusCode()).isEqualTo(401);
        assertThat(get("/activity", null).statusCode()).isEqualTo(401);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/nothing-here", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void webSocketUpgradesWithoutTheRightTokenAreRefusedWith401() {
        for (URI uri : List.of(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser"),
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=wrong"))) {
            assertThatThrownBy(() -> CdpClient.connect(uri, Map.of()))
                    .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(401));
        }
        assertThatThrownBy(() -> CdpClient.connect(
                        URI.create("ws://127.0.0.1:" + port + "/devtools/browser"),
                        Map.of("Authorization", "Bearer wrong")))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(401));
    }

    @Test
    void onlyClientMessagesAndDevToolsRequestsCountAsActivity() throws Exception {
        MutableClock clock = MutableClock.fixedAt(Instant.parse("2026-11-25T10:00:00.123Z"));
        SessionAgent quiet = new SessionAgent(
                vertx,
                new AgentOptions(
                        "127.0.0.1",
                        0,
                        "127.0.0.1",
                        chromium.cdpPort(),
                        TOKEN,
                        Optional::empty,
                        AgentOptions.DEFAULT_BACKSTOP_GRACE,
                        () -> {},
                        clock,
                        AgentContract.DEFAULT_MAX_CONNECTIONS,
                        AgentContract.DEFAULT_MAX_MESSAGE_MIB * 1024L * 1024,
                        Duration.ofSeconds(AgentContract.DEFAULT_CLIENT_TIMEOUT_SECONDS)));
        int quietPort = result(quiet.start());
        cleanup.add(() -> result(quiet.stop()));

        CdpClient cdp =
                connect(URI.create("ws://127.0.0.1:" + quietPort + "/devtools/browser?" + QUERY_TOKEN), Map.of());
        await().atMost(WAIT).until(() -> quiet.activity().openConnections() == 1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(quiet.activity()).isEqualTo(new ActivitySnapshot(null, null, null, 1, 0, 0));

        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        String sessionId = cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
        cdp.call("Runtime.enable", new JsonObject(), sessionId);
        cdp.call("Page.navigate", new JsonObject().put("url", BLINKING_PAGE), sessionId);
        Instant lastCommand = clock.instant();
        ActivitySnapshot afterCommands = quiet.activity();
        assertThat(afterCommands.lastActivityTime()).isEqualTo(lastCommand);
        assertThat(afterCommands.clientMessages()).isEqualTo(4);

        clock.advance(Duration.ofSeconds(7));
        await().atMost(WAIT)
                .until(() -> countEvents(cdp, "Runtime.consoleAPICalled") >= 5
                        && quiet.activity().browserMessages() >= afterCommands.browserMessages() + 5);
        ActivitySnapshot whileBrowserBusy = quiet.activity();
        assertThat(whileBrowserBusy.clientMessages()).isEqualTo(4);
        assertThat(whileBrowserBusy.lastActivityTime()).isEqualTo(lastCommand);
        assertThat(whileBrowserBusy.idle()).isEqualTo(Duration.ofSeconds(7));

        JsonObject reported = new JsonObject(
                getFrom(quietPort, "/activity", "Bearer " + TOKEN).body());
        getFrom(quietPort, "/ready", null);
        assertThat(reported.getString("lastActivityTime")).isEqualTo("2026-11-25T10:00:05.123Z");
        assertThat(reported.getLong("idleMillis")).isEqualTo(7000L);
        assertThat(reported.getInteger("openConnections")).isEqualTo(1);
        assertThat(reported.getLong("clientMessages")).isEqualTo(4L);
        assertThat(quiet.activity().lastActivityTime()).isEqualTo(lastCommand);

        clock.advance(Duration.ofSeconds(1));
        getFrom(quietPort, "/json/version", "Bearer " + TOKEN);
        assertThat(quiet.activity().lastActivityTime()).isEqualTo(clock.instant());
        assertThat(quiet.activity().clientMessages()).isEqualTo(4);

        cdp.call("Target.closeTarget", new JsonObject().put("targetId", targetId));
        cdp.close();
        await().atMost(WAIT).until(() -> quiet.activity().openConnections() == 0);
    }

    @Test
    void aGoneBrowserIsNotReadyBreaksOpenConnectionsAndRefusesNewOnesWith502() throws Exception {
        ChromiumOnPort doomed = startChromium();
        cleanup.add(doomed);
        SessionAgent doomedAgent = new SessionAgent(vertx, AgentOptions.defaults(doomed.cdpPort(), TOKEN));
        int doomedPort = result(doomedAgent.start());
        cleanup.add(() -> result(doomedAgent.stop()));
        assertThat(getFrom(doomedPort, "/ready", null).statusCode()).isEqualTo(200);
        assertThat(new JsonObject(getFrom(doomedPort, "/ready", null).body()).getBoolean("ready"))
                .isTrue();
        CdpClient open =
                connect(URI.create("ws://127.0.0.1:" + doomedPort + "/devtools/browser?" + QUERY_TOKEN), Map.of());
        open.call("Browser.getVersion", new JsonObject());

        doomed.close();

        assertThat(open.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1011);

        assertThat(getFrom(doomedPort, "/ready", null).statusCode()).isEqualTo(503);
        assertThatThrownBy(() -> CdpClient.connect(
                        URI.create("ws://127.0.0.1:" + doomedPort + "/devtools/browser?" + QUERY_TOKEN), Map.of()))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(502));
        assertThat(getFrom(doomedPort, "/json/version", "Bearer " + TOKEN).statusCode())
                .isEqualTo(502);
    }

    @Test
    void backstopClosesTheBrowserOnceWhenTheDeadlineIsLongPast() throws Exception {
        ChromiumOnPort overdue = startChromium();
        cleanup.add(overdue);
        AtomicReference<Optional<Instant>> deadline =
                new AtomicReference<>(Optional.of(Instant.now().plusSeconds(3600)));
        AtomicInteger backstops = new AtomicInteger();
        SessionAgent guard = new SessionAgent(
                vertx,
                AgentOptions.defaults(overdue.cdpPort(), TOKEN)
                        .withBackstop(deadline::get, Duration.ofSeconds(1), backstops::incrementAndGet));
        result(guard.start());
        cleanup.add(() -> result(guard.stop()));

        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> backstops.get() == 0 && overdue.isAlive());

        deadline.set(Optional.of(Instant.now().minusMillis(1500)));

        overdue.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(WAIT).until(() -> backstops.get() == 1);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> backstops.get() == 1);
    }

    @Test
    void theDeadlineTheOperatorGivesIsTheOneTheBackstopKeeps() throws Exception {
        ChromiumOnPort overdue = startChromium();
        cleanup.add(overdue);
        AtomicInteger backstops = new AtomicInteger();
        SessionAgent guard = new SessionAgent(
                vertx,
                AgentOptions.defaults(overdue.cdpPort(), TOKEN)
                        .withBackstop(Optional::empty, Duration.ofSeconds(1), backstops::incrementAndGet));
        int guardPort = result(guard.start());
        cleanup.add(() -> result(guard.stop()));

        HttpResponse<String> later =
                putDeadline(guardPort, deadlineBody(Instant.now().plusSeconds(3600)), TOKEN);
        assertThat(later.statusCode()).isEqualTo(200);
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> backstops.get() == 0 && overdue.isAlive());

        // Moved into the past: the operator shortened the session and is gone.
        assertThat(putDeadline(guardPort, deadlineBody(Instant.now().minusMillis(1500)), TOKEN)
                        .statusCode())
                .isEqualTo(200);
        overdue.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(WAIT).until(() -> backstops.get() == 1);
    }

    @Test
    void deadlineRequestsNeedTheTokenAPutAndASmallValidBody() throws Exception {
        // Far ahead: the shared browser must outlive this test whatever the clock says.
        String body = deadlineBody(Instant.parse("2099-11-29T10:05:00.000Z"));
        assertThat(putDeadline(port, body, null).statusCode()).isEqualTo(401);
        assertThat(putDeadline(port, body, "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/deadline", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
        // Java's client sends an empty PUT without a Content-Length.
        assertThat(putDeadline(port, "", TOKEN).statusCode()).isEqualTo(411);
        for (String bad : new String[] {"{}", "[]", "null", "{\"expiresAt\":\"tomorrow\"}", "{\"expiresAt\":1}"}) {
            HttpResponse<String> refused = putDeadline(port, bad, TOKEN);
            assertThat(refused.statusCode()).as("body %s", bad).isEqualTo(400);
            assertThat(new JsonObject(refused.body()).getString("message")).contains("expiresAt");
        }
        String tooLong = "{\"expiresAt\":\"2099-11-29T10:05:00.000Z\",\"pad\":\"" + "x".repeat(300) + "\"}";
        assertThat(putDeadline(port, tooLong, TOKEN).statusCode()).isEqualTo(413);

        HttpResponse<String> taken = putDeadline(port, body, TOKEN);
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(taken.body()).getString("expiresAt")).isEqualTo("2099-11-29T10:05:00Z");
    }

    private static String deadlineBody(Instant deadline) {
        return new JsonObject().put("expiresAt", deadline.toString()).encode();
    }

    private HttpResponse<String> putDeadline(int agentPort, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + "/deadline"))
                .timeout(WAIT)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static ChromiumOnPort startChromium() throws Exception {
        return ChromiumOnPort.start();
    }

    private static <T> T result(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long countEvents(CdpClient cdp, String method) {
        return cdp.events().stream()
                .filter(e -> method.equals(e.getString("method")))
                .count();
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

    private URI browserUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/devtools/browser?" + QUERY_TOKEN);
    }

    private URI agentUri(String pathAndQuery) {
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
