package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;

/**
 * Chromium's DevTools port as the agent reaches it in a session pod: its DevTools HTTP pages and its WebSockets,
 * one browser WebSocket per client.
 */
final class BrowserEndpoint implements BrowserConnection {
    /** CDP screenshots and DOM snapshots arrive as single frames of many megabytes. */
    static final int MAX_WEBSOCKET_SIZE = 256 * 1024 * 1024;

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final long REQUEST_IDLE_TIMEOUT_MILLIS = 10_000;
    private static final String BROWSER_CLOSE = "{\"id\":1,\"method\":\"Browser.close\"}";
    private static final String BROWSER_SOCKET = "/devtools/browser";

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final HttpClient http;
    private final WebSocketClient webSockets;

    BrowserEndpoint(Vertx vertx, String host, int port) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        // No keep-alive: a pooled connection the browser already closed would fail a readiness probe for nothing.
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(false).setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_WEBSOCKET_SIZE)
                .setMaxMessageSize(MAX_WEBSOCKET_SIZE)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
    }

    @Override
    public Future<Void> ready() {
        return devTools(HttpMethod.GET, "/json/version")
                .compose(response -> response.status() == 200
                        ? Future.succeededFuture()
                        : Future.failedFuture("browser answered HTTP " + response.status()));
    }

    /** Sends a body-less request; Chromium's Host check passes because the client addresses the browser directly. */
    @Override
    public Future<Response> devTools(HttpMethod method, String uri) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setURI(uri)
                .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MILLIS);
        return http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body()
                        .map(body -> new Response(
                                response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE), body)));
    }

    /** The path of the browser-level WebSocket; Chromium accepts only its own id in it. */
    private Future<String> browserPath() {
        return devTools(HttpMethod.GET, "/json/version").compose(response -> {
            if (response.status() != 200) {
                return Future.failedFuture("browser answered /json/version with HTTP " + response.status());
            }
            String url = response.body().toJsonObject().getString("webSocketDebuggerUrl");
            return url == null
                    ? Future.failedFuture("browser did not advertise webSocketDebuggerUrl")
                    : Future.succeededFuture(DevToolsUrls.path(url));
        });
    }

    /** Clients may use the stable {@code /devtools/browser}; Chromium wants its own id, read from /json/version. */
    @Override
    public Future<CdpChannel> open(String path) {
        boolean browserSocket = path.equals(BROWSER_SOCKET) || path.startsWith(BROWSER_SOCKET + "/");
        Future<String> browserPath = browserSocket ? browserPath() : Future.succeededFuture(path);
        return browserPath.compose(this::connect).map(ws -> new Channel(ws.pause()));
    }

    private Future<WebSocket> connect(String path) {
        return webSockets.connect(
                new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path));
    }

    /** Asks the browser to exit over CDP, the only handle on a browser in another container. */
    @Override
    public Future<Void> closeBrowser(Duration timeout) {
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(
                timeout.toMillis(), id -> done.tryFail("browser did not answer Browser.close within " + timeout));
        browserPath().compose(this::connect).onFailure(done::tryFail).onSuccess(ws -> {
            ws.textMessageHandler(message -> done.tryComplete());
            ws.closeHandler(v -> done.tryComplete());
            ws.exceptionHandler(done::tryFail);
            ws.writeTextMessage(BROWSER_CLOSE);
            done.future().onComplete(ar -> ws.close());
        });
        return done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    @Override
    public Future<Void> close() {
        return Future.all(http.close(), webSockets.close()).mapEmpty();
    }

    /** A client's own WebSocket to the browser, paused until the client is spliced on. */
    private static final class Channel implements CdpChannel {
        private final WebSocket browser;
        private volatile WebSocketBridge bridge;

        Channel(WebSocket browser) {
            this.browser = browser;
        }

        @Override
        public void splice(ServerWebSocket client, ActivityClock activity, Runnable onClosed) {
            // Either side may have hung up while the other was connecting; its close event is gone by now.
            if (client.isClosed() || browser.isClosed()) {
                client.close();
                browser.close();
                onClosed.run();
                return;
            }
            bridge = new WebSocketBridge(client, browser, activity, closed -> onClosed.run());
        }

        @Override
        public void close() {
            if (bridge != null) {
                bridge.close();
            } else {
                browser.close();
            }
        }
    }
}
