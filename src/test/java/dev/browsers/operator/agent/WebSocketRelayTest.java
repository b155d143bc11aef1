package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frame-level behaviour of the proxy against a scripted browser, which (unlike Chromium) sends fragmented and binary
 * messages and chooses its close codes.
 */
class WebSocketRelayTest {
    private static final String TOKEN = "bridge-token";
    private static final String BROWSER_PATH = "/devtools/browser/3c1f-fake";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private HttpServer fakeBrowser;
    private SessionAgent agent;
    private int agentPort;
    private final List<Frame> browserReceived = new CopyOnWriteArrayList<>();
    private final List<String> browserPaths = new CopyOnWriteArrayList<>();

    private record Frame(WebSocketFrameType type, boolean last, String text) {}

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // Upgrades through the request handler: Quarkus tests in this JVM set vertx.disableWebsockets.
        fakeBrowser = vertx.createHttpServer().requestHandler(request -> {
            if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                request.toWebSocket().onSuccess(this::echo);
            } else {
                request.response()
                        .end(new JsonObject()
                                .put(
                                        "webSocketDebuggerUrl",
                                        "ws://127.0.0.1:"
                                                + request.localAddress().port() + BROWSER_PATH)
                                .encode());
            }
        });
        int browserPort = result(fakeBrowser.listen(0)).actualPort();
        agent = new SessionAgent(vertx, AgentOptions.defaults(browserPort, TOKEN));
        agentPort = result(agent.start());
    }

    @AfterEach
    void stop() throws Exception {
        result(agent.stop());
        result(vertx.close());
    }

    /** Records every frame and sends each data frame back unchanged; "close" makes it hang up with 4001. */
    private void echo(ServerWebSocket socket) {
        browserPaths.add(socket.path());
        socket.frameHandler(frame -> {
            browserReceived.add(new Frame(frame.type(), frame.isFinal(), frame.isClose() ? null : frame.textData()));
            if (frame.isText() && frame.textData().equals("close")) {
                socket.close((short) 4001, "bye");
            } else if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                socket.writeFrame(frame);
            }
        });
    }

    @Test
    void fragmentsAndOpcodesPassUnchangedAndMessagesAreCountedOnce() throws Exception {
        Recorder client = new Recorder();
        WebSocket socket = connect(client);

        socket.sendText("{\"id\":1,", false).get();
        socket.sendText("\"method\":\"A\"}", true).get();
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get();
        socket.sendPing(ByteBuffer.wrap(new byte[] {9})).get();

        await().atMost(WAIT).until(() -> browserReceived.size() >= 3 && client.frames.size() >= 3);
        assertThat(browserPaths).containsExactly(BROWSER_PATH);
        assertThat(browserReceived)
                .containsExactly(
                        new Frame(WebSocketFrameType.TEXT, false, "{\"id\":1,"),
                        new Frame(WebSocketFrameType.CONTINUATION, true, "\"method\":\"A\"}"),
                        new Frame(WebSocketFrameType.BINARY, true, "\u0001\u0002\u0003"));
        assertThat(client.frames).containsExactly("text:{\"id\":1,", "text-last:\"method\":\"A\"}", "binary-last:3");
        await().atMost(WAIT).until(client.pong::isDone);
        ActivitySnapshot activity = agent.activity();
        assertThat(activity.clientMessages()).isEqualTo(2);
        assertThat(activity.browserMessages()).isEqualTo(2);
        assertThat(activity.openConnections()).isEqualTo(1);
    }

    @Test
    void theBrowserHangingUpClosesTheClientWithItsCode() throws Exception {
        Recorder client = new Recorder();
        WebSocket socket = connect(client);

        socket.sendText("close", true).get();

        assertThat(client.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("4001 bye");
        await().atMost(WAIT).until(() -> agent.activity().openConnections() == 0);
    }

    @Test
    void theClientHangingUpClosesTheBrowserSide() throws Exception {
        WebSocket socket = connect(new Recorder());
        await().atMost(WAIT).until(() -> agent.activity().openConnections() == 1);

        socket.sendClose(4002, "done").get();

        await().atMost(WAIT).until(() -> browserReceived.stream().anyMatch(f -> f.type() == WebSocketFrameType.CLOSE));
        await().atMost(WAIT).until(() -> agent.activity().openConnections() == 0);
    }

    private WebSocket connect(Recorder listener) throws Exception {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + agentPort + "/devtools/browser"), listener)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the client saw, frame by frame. */
    private static final class Recorder implements WebSocket.Listener {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> pong = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.add((last ? "text-last:" : "text:") + data);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            frames.add((last ? "binary-last:" : "binary:") + data.remaining());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pong.complete(null);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }
    }
}
