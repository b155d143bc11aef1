package dev.browsers.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.browsers.operator.local.ChromiumProcess;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.testing.CdpClient;
import dev.browsers.operator.testing.CdpPages;
import dev.browsers.operator.testing.ChromiumOnPort;
import dev.browsers.operator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live viewer's agent side against a real Chromium, both ways the agent reaches one: its DevTools port (a session
 * pod) and its DevTools pipe (local mode). A viewer socket gets frames and tabs; its input reaches the page and is
 * activity; a watch-only one gets frames and has input refused; stills for the dashboard are JPEGs.
 */
class ViewerAgentIT {
    private static final String TOKEN = "viewer-token";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A button filling the top-left quarter (it counts clicks) and an input below it. */
    private static final String PAGE = "data:text/html,"
            + URLEncoder.encode(
                            "<title>viewer test</title><body style='margin:0'>"
                                    + "<button id=b style='position:fixed;left:0;top:0;width:50vw;height:50vh'"
                                    + " onclick='window.clicks=(window.clicks||0)+1'>click</button>"
                                    + "<input id=i style='position:fixed;left:0;top:60vh;width:50vw;height:20vh'>",
                            StandardCharsets.UTF_8)
                    .replace("+", "%20");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private SessionAgent agent;
    private int port;

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private void start(String mode) throws Exception {
        vertx = Vertx.vertx();
        cleanup.add(
                () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        if (mode.equals("pipe")) {
            ChromiumProcess chromium = ChromiumProcess.start(TestConfigs.chromiumBinary(), TestConfigs.chromiumFlags());
            cleanup.add(chromium::close);
            agent = new SessionAgent(
                    vertx,
                    AgentOptions.defaults(AgentOptions.NO_BROWSER_PORT, TOKEN),
                    chromium.pipe(),
                    BrowserRules.NONE);
        } else {
            ChromiumOnPort chromium = ChromiumOnPort.start();
            cleanup.add(chromium);
            agent = new SessionAgent(vertx, AgentOptions.defaults(chromium.cdpPort(), TOKEN));
        }
        port = result(agent.start());
        cleanup.add(() -> result(agent.stop()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "port"})
    void aViewerWatchesAndDrivesThePage(String mode) throws Exception {
        start(mode);
        CdpClient client = connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN));
        String target = client.call("Target.createTarget", new JsonObject().put("url", PAGE))
                .getString("targetId");
        String session = client.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", target).put("flatten", true))
                .getString("sessionId");
        await().atMost(WAIT).until(() -> "complete".equals(evaluate(client, session, "document.readyState")));

        CdpClient viewer = connect(viewerSocket(""));
        viewer.sendRaw(new JsonObject()
                .put("type", "resize")
                .put("width", 400)
                .put("height", 300)
                .put("dpr", 2));
        JsonObject frame = await().atMost(WAIT).until(() -> last(viewer, "frame"), f -> f != null);
        byte[] jpeg = Base64.getDecoder().decode(frame.getString("data"));
        assertThat(jpeg).startsWith(0xFF, 0xD8);
        assertThat(frame.getString("targetId")).isEqualTo(target);
        JsonObject metadata = frame.getJsonObject("metadata");
        double width = metadata.getDouble("deviceWidth");
        double height = metadata.getDouble("deviceHeight");
        assertThat(last(viewer, "tabs").getString("current")).isEqualTo(target);
        assertThat(agent.activity().lastActivityKind()).isEqualTo(AgentContract.ACTIVITY_KIND_CDP);

        // A click in the button's quarter reaches the page, and is input.
        click(viewer, width / 4, height / 4);
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(evaluate(client, session, "window.clicks")));
        viewer.sendRaw(new JsonObject()
                .put("type", "mouse")
                .put("event", "mouseMoved")
                .put("x", 1)
                .put("y", 1));
        await().atMost(WAIT)
                .until(() -> AgentContract.ACTIVITY_KIND_INPUT.equals(
                        agent.activity().lastActivityKind()));

        // Typing into the input, and pasting.
        click(viewer, width / 4, height * 0.7);
        // Keys sent before the click has focused the input would go elsewhere: wait for the focus, as a person would.
        await().atMost(WAIT).until(() -> "i".equals(evaluate(client, session, "document.activeElement.id")));
        for (String key : List.of("h", "i")) {
            viewer.sendRaw(key("keyDown", key).put("text", key));
            viewer.sendRaw(key("keyUp", key));
        }
        viewer.sendRaw(new JsonObject().put("type", "text").put("text", " there"));
        await().atMost(WAIT)
                .alias("the input holds what was typed and pasted")
                .until(() -> "hi there".equals(evaluate(client, session, "document.getElementById('i').value")));

        // A new tab shows up in the strip and is shown.
        String second = client.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        await().atMost(WAIT).until(() -> second.equals(last(viewer, "tabs").getString("current")));
        assertThat(last(viewer, "tabs").getJsonArray("tabs").size()).isGreaterThanOrEqualTo(2);
        viewer.sendRaw(new JsonObject().put("type", "tab").put("targetId", target));
        await().atMost(WAIT).until(() -> target.equals(last(viewer, "tabs").getString("current")));

        // A message that breaks the rules closes the viewer, naming the field.
        viewer.sendRaw(new JsonObject()
                .put("type", "mouse")
                .put("event", "fly")
                .put("x", 1)
                .put("y", 1));
        assertThat(viewer.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1008);
        assertThat(viewer.closeReason()).startsWith("event: must be one of");
        await().atMost(WAIT).until(() -> agent.activity().openConnections() == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "port"})
    void aWatchOnlyViewerGetsFramesIsNoActivityAndHasInputRefused(String mode) throws Exception {
        start(mode);
        CdpClient client = connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN));
        client.call("Target.createTarget", new JsonObject().put("url", PAGE));
        ActivitySnapshot before = agent.activity();

        CdpClient watcher = connect(viewerSocket("&interactive=false"));
        watcher.sendRaw(new JsonObject().put("type", "resize").put("width", 300).put("height", 200));
        await().atMost(WAIT).until(() -> last(watcher, "frame") != null);
        assertThat(last(watcher, "hello").getBoolean("interactive")).isFalse();
        assertThat(agent.activity().lastActivityTime()).isEqualTo(before.lastActivityTime());

        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + port + "/viewer/thumbnail?token=" + TOKEN))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .body())
                .startsWith(0xFF, 0xD8);

        click(watcher, 10, 10);
        assertThat(watcher.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1008);
        assertThat(watcher.closeReason()).contains("watch-only");
        assertThat(agent.activity().lastActivityTime()).isEqualTo(before.lastActivityTime());
    }

    /**
     * Chromium scales a screenshot by resizing the page's view for the moment, which a screencast sends as a frame of
     * that size and, the page drawing nothing new, never replaces: a viewer would keep a small picture, and map clicks
     * by it. The stills for a thumbnail and for another viewer's first picture must leave a viewer's frames alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pipe", "port"})
    void stillsForAThumbnailOrAnotherViewerLeaveAViewersPictureAlone(String mode) throws Exception {
        start(mode);
        CdpClient client = connect(URI.create("ws://127.0.0.1:" + port + "/devtools/browser?token=" + TOKEN));
        String session = CdpPages.load(client, PAGE);
        double pageWidth = ((Number) evaluate(client, session, "innerWidth")).doubleValue();
        double pageHeight = ((Number) evaluate(client, session, "innerHeight")).doubleValue();

        CdpClient viewer = connect(viewerSocket(""));
        // A window larger than the page: frames at the page's full size, which a scaled view shows at once.
        viewer.sendRaw(new JsonObject().put("type", "resize").put("width", 3000).put("height", 2000));
        await().atMost(WAIT).until(() -> last(viewer, "frame") != null);
        int framed = (int) Math.round(pageWidth * Math.min(1, Math.min(3000 / pageWidth, 2000 / pageHeight)));

        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + port + "/viewer/thumbnail?token=" + TOKEN))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .statusCode())
                .isEqualTo(200);
        CdpClient other = connect(viewerSocket("&interactive=false"));
        other.sendRaw(new JsonObject().put("type", "resize").put("width", 100).put("height", 80));
        await().atMost(WAIT).until(() -> last(other, "frame") != null);

        // A change drawn after the stills: once its frame is in, any frame the stills caused came before it.
        int seen = frames(viewer).size();
        evaluate(client, session, "document.body.style.background = 'rgb(0, 0, 255)'");
        await().atMost(WAIT).until(() -> frames(viewer).size() > seen);
        assertThat(frames(viewer).stream().map(ViewerAgentIT::jpegWidth).toList())
                .as("the widths of the viewer's frames")
                .allSatisfy(width -> assertThat(width).isGreaterThanOrEqualTo(framed - 1));
        assertThat(frames(viewer).stream()
                        .map(frame -> frame.getJsonObject("metadata").getDouble("deviceWidth"))
                        .toList())
                .as("the page widths the viewer's frames say")
                .containsOnly(pageWidth);
    }

    private static List<JsonObject> frames(CdpClient viewer) {
        return viewer.events().stream()
                .filter(event -> "frame".equals(event.getString("type")))
                .toList();
    }

    /** The width a frame's JPEG says in its start-of-frame segment. */
    private static int jpegWidth(JsonObject frame) {
        byte[] jpeg = Base64.getDecoder().decode(frame.getString("data"));
        int at = 2;
        while (at + 8 < jpeg.length) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                return ((jpeg[at + 7] & 0xFF) << 8) | (jpeg[at + 8] & 0xFF);
            }
            at += 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
        }
        throw new AssertionError("no start-of-frame segment in the frame's JPEG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe"})
    void withoutTheTokenThereIsNoViewer(String mode) throws Exception {
        start(mode);
        assertThatThrownBy(() -> connect(URI.create("ws://127.0.0.1:" + port + "/viewer/socket?token=wrong")))
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause())
                                .getResponse()
                                .statusCode())
                        .isEqualTo(401));
        for (String path : List.of("/viewer", "/viewer/thumbnail")) {
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/viewer?token=" + TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("<canvas id=\"screen\"");
    }

    private static JsonObject key(String event, String key) {
        return new JsonObject()
                .put("type", "key")
                .put("event", event)
                .put("key", key)
                .put("code", "Key" + key.toUpperCase())
                .put("keyCode", (int) key.toUpperCase().charAt(0));
    }

    private static void click(CdpClient viewer, double x, double y) {
        for (String event : List.of("mousePressed", "mouseReleased")) {
            viewer.sendRaw(new JsonObject()
                    .put("type", "mouse")
                    .put("event", event)
                    .put("x", x)
                    .put("y", y)
                    .put("button", "left")
                    .put("clickCount", 1));
        }
    }

    private URI viewerSocket(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/viewer/socket?token=" + TOKEN + query);
    }

    private CdpClient connect(URI uri) throws Exception {
        CdpClient client = CdpClient.connect(uri, Map.of());
        cleanup.add(client);
        return client;
    }

    private static JsonObject last(CdpClient viewer, String type) {
        List<JsonObject> events = viewer.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (type.equals(events.get(i).getString("type"))) {
                return events.get(i);
            }
        }
        return null;
    }

    private static Object evaluate(CdpClient client, String session, String expression) throws Exception {
        return client.call(
                        "Runtime.evaluate",
                        new JsonObject().put("expression", expression).put("returnByValue", true),
                        session)
                .getJsonObject("result")
                .getValue("value");
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
