package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.PodAgentCommand;
import dev.browsers.operator.testing.Processes;
import dev.browsers.operator.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's limits, on the agent process exactly as a session pod runs it (command, JVM flags, environment, all from
 * the operator's pod declaration) in front of a real Chromium: the connection cap, gone clients, the largest message
 * both ways, and its memory against the container's limit.
 */
class AgentLimitsIT {
    private static final String TOKEN = "limits-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;

    private static ChromiumOnPort chromium;

    @TempDir
    Path dir;

    private final List<Process> agents = new ArrayList<>();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = ChromiumOnPort.start();
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        for (Process agent : agents) {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void aConnectionPastTheCapIsRefusedAtOnceWhileTheOthersWork() throws Exception {
        PodAgentCommand pod = PodAgentCommand.of();
        int cap = Integer.parseInt(pod.environment().get("AGENT_MAX_CONNECTIONS"));
        int port = start(pod);
        List<CdpClient> clients = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            clients.add(connect(port));
        }

        long refusedAt = System.nanoTime();
        assertThatThrownBy(() -> connect(port))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(429));
        assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isLessThan(Duration.ofSeconds(5));
        RawHttp.Answer refusal = RawHttp.send(
                URI.create("http://127.0.0.1:" + port),
                "GET",
                "/devtools/browser",
                Map.of(
                        "Authorization", "Bearer " + TOKEN,
                        "Upgrade", "websocket",
                        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                        "Sec-WebSocket-Version", "13"));
        assertThat(refusal.status()).isEqualTo(429);
        assertThat(refusal.header("content-type")).isEqualTo("application/json");
        assertThat(new JsonObject(refusal.body()).getString("message"))
                .contains(cap + " CDP connections open, the most it allows");
        for (CdpClient client : clients) {
            assertThat(client.call("Browser.getVersion", new JsonObject()).getString("product"))
                    .startsWith("HeadlessChrome");
        }

        clients.get(0).close();
        clients.get(1).close();
        await().atMost(WAIT).until(() -> openConnections(port) == cap - 2);
        CdpClient again = connect(port);
        assertThat(again.call("Browser.getVersion", new JsonObject()).getString("product"))
                .startsWith("HeadlessChrome");
    }

    @Test
    void aClientThatVanishesOrStopsAnsweringPingsLosesItsBrowserConnectionWithinSeconds() throws Exception {
        PodAgentCommand pod = PodAgentCommand.of(Map.of("browser-operator.agent.client-timeout", "3s"));
        int port = start(pod);
        CdpClient staying = connect(port);

        Socket silent = upgradeAndSayNothingMore(port);
        Socket vanishing = upgradeAndSayNothingMore(port);
        cleanup.add(silent);
        await().atMost(WAIT).until(() -> openConnections(port) == 3);

        vanishing.setSoLinger(true, 0);
        vanishing.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> openConnections(port) == 2);
        // 3 s without a pong, checked every second: gone within 4 s, and the agent's socket to the browser with it.
        await().atMost(Duration.ofSeconds(6)).until(() -> openConnections(port) == 1);
        assertThat(staying.call("Browser.getVersion", new JsonObject()).getString("product"))
                .startsWith("HeadlessChrome");
        assertThat(staying.closed()).isNotDone();
    }

    @Test
    void messagesJustUnderTheLimitPassBothWaysAndTheAgentStaysWithinItsContainerLimit() throws Exception {
        PodAgentCommand pod = PodAgentCommand.of();
        long limit = Long.parseLong(pod.environment().get("AGENT_MAX_MESSAGE_BYTES"));
        int port = start(pod);
        Process agent = agents.get(0);
        long idleRss = Processes.memoryKib(agent.pid(), "status", "VmRSS");
        CdpClient cdp = connect(port);
        String session = newPage(cdp);

        // Client to browser: the JDK's WebSocket client corrupts its stream past 32 MiB (2048 frames of 16 KiB; Java
        // 17.0.15), so a client message of 30 MiB stands in for the largest.
        int expressionChars = 30 * MIB;
        JsonObject echoed = cdp.call(
                "Runtime.evaluate",
                new JsonObject()
                        .put("expression", "'" + "y".repeat(expressionChars - 9) + "'.length")
                        .put("returnByValue", true),
                session);
        assertThat(echoed.getJsonObject("result").getLong("value")).isEqualTo(expressionChars - 9);

        // Browser to client: a screenshot of random pixels, which do not compress, of nearly the limit's size.
        int side = 3950;
        paintNoise(cdp, session, side);
        String png = cdp.call("Page.captureScreenshot", new JsonObject().put("format", "png"), session)
                .getString("data");
        assertThat((long) png.length()).isBetween(16L * MIB, limit - 1024);

        long peakRss = Processes.memoryKib(agent.pid(), "status", "VmHWM");
        System.out.printf(
                "agent RSS with the pod's flags: %.1f MiB idle, peak %.1f MiB after a %d MiB command and a %.1f MiB "
                        + "screenshot; container limit %.0f MiB%n",
                idleRss / 1024.0,
                peakRss / 1024.0,
                expressionChars / MIB,
                png.length() / (double) MIB,
                pod.memoryLimitBytes() / (double) MIB);
        assertThat(peakRss * 1024).isLessThan(pod.memoryLimitBytes() * 3 / 4);
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void aMessageOverTheLimitFromTheClientClosesOnlyItsConnectionWith1009() throws Exception {
        // 16M, so that 1.5 times the limit stays under the 32 MiB the JDK's client can send intact.
        PodAgentCommand pod = PodAgentCommand.of(Map.of("browser-operator.agent.max-message-size", "16M"));
        long limit = Long.parseLong(pod.environment().get("AGENT_MAX_MESSAGE_BYTES"));
        int port = start(pod);
        CdpClient other = connect(port);
        CdpClient sender = connect(port);

        sender.send(
                "Runtime.evaluate",
                new JsonObject().put("expression", "'" + "z".repeat((int) (limit * 3 / 2)) + "'.length"),
                null);

        assertThat(sender.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1009);
        assertThat(sender.closeReason()).contains("over the limit of " + limit + " bytes");
        assertTheAgentAndItsOtherClientStillWork(port, other);
    }

    @Test
    void aScreenshotOverTheLimitClosesOnlyItsConnectionWith1009() throws Exception {
        PodAgentCommand pod = PodAgentCommand.of(Map.of("browser-operator.agent.max-message-size", "16M"));
        int port = start(pod);
        CdpClient other = connect(port);
        CdpClient shooter = connect(port);
        String session = newPage(shooter);
        paintNoise(shooter, session, 3000);

        shooter.send("Page.captureScreenshot", new JsonObject().put("format", "png"), session);

        assertThat(shooter.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1009);
        assertThat(shooter.closeReason()).contains("over the limit of " + 16 * MIB + " bytes");
        assertTheAgentAndItsOtherClientStillWork(port, other);
    }

    private void assertTheAgentAndItsOtherClientStillWork(int port, CdpClient other) throws Exception {
        assertThat(agents.get(0).isAlive()).isTrue();
        assertThat(other.call("Browser.getVersion", new JsonObject()).getString("product"))
                .startsWith("HeadlessChrome");
        assertThat(connect(port).call("Browser.getVersion", new JsonObject()).getString("product"))
                .startsWith("HeadlessChrome");
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
    }

    /** A page of random pixels, {@code side} CSS pixels square, filling the viewport. */
    private static void paintNoise(CdpClient cdp, String session, int side) throws Exception {
        cdp.call(
                "Emulation.setDeviceMetricsOverride",
                new JsonObject()
                        .put("width", side)
                        .put("height", side)
                        .put("deviceScaleFactor", 1)
                        .put("mobile", false),
                session);
        String paint = "(() => { document.body.style.margin = '0';"
                + " const c = document.createElement('canvas'); c.width = " + side + "; c.height = " + side + ";"
                + " document.body.appendChild(c); const g = c.getContext('2d');"
                + " const img = g.createImageData(c.width, c.height);"
                + " for (let i = 0; i < img.data.length; i += 65536) {"
                + "   crypto.getRandomValues(new Uint8Array(img.data.buffer, i, Math.min(65536, img.data.length - i)));"
                + " }"
                + " for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;"
                + " g.putImageData(img, 0, 0); return true; })()";
        cdp.call("Runtime.evaluate", new JsonObject().put("expression", paint).put("returnByValue", true), session);
    }

    private static String newPage(CdpClient cdp) throws Exception {
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        return cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
    }

    /** A client that completes the WebSocket handshake and then neither reads nor writes, nor closes. */
    private static Socket upgradeAndSayNothingMore(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) WAIT.toMillis());
        String request = "GET /devtools/browser HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the agent's answer to the upgrade").isNotNegative();
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 101")
                .contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        return socket;
    }

    private int openConnections(int port) throws Exception {
        HttpResponse<String> activity = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/activity"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(activity.body()).getInteger("openConnections");
    }

    private CdpClient connect(int port) throws Exception {
        CdpClient cdp = CdpClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/devtools/browser"), Map.of("Authorization", "Bearer " + TOKEN));
        cleanup.add(cdp);
        return cdp;
    }

    private static int handshakeStatus(Throwable e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("handshake failure in %s", e).isNotNull();
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    /** Starts the agent as the pod declares it, on a free port, and waits until it is ready. */
    private int start(PodAgentCommand pod) throws Exception {
        int port = Processes.freePort();
        Path log = dir.resolve("agent-" + agents.size() + ".log");
        Process agent = pod.processBuilder(
                        Map.of(
                                "SESSION_TOKEN",
                                TOKEN,
                                "AGENT_PORT",
                                String.valueOf(port),
                                "BROWSER_CDP_PORT",
                                String.valueOf(chromium.cdpPort())),
                        List.of())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        agents.add(agent);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .build();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        assertThat(Files.readString(log)).contains("agent listening on port " + port);
        return port;
    }
}
