package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;

/** Chromium's CDP endpoint as the agent reaches it: its DevTools HTTP pages and its WebSockets. */
final class BrowserEndpoint {
    /** CDP screenshots and DOM snapshots arrive as single frames of many megabytes. */
    static final int MAX_WEBSOCKET_SIZE = 256 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final long REQUEST_IDLE_TIMEOUT_MILLIS = 10_000;
    private static final String BROWSER_CLOSE = "{\"id\":1,\"method\":\"Browser.close\"}";

    /** A buffered answer of the browser's DevTools HTTP server. */
    record Response(int status, String contentType, Buffer body) {}

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
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_WEBSOCKET_SIZE)
                .setMaxMessageSize(MAX_WEBSOCKET_SIZE)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
    }

    /** Sends a body-less request; Chromium's Host check passes because the client addresses the browser directly. */
    Future<Response> request(HttpMethod method, String uri) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
                .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MILLIS);
        return http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body ->
                        new Response(response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE), body)));
    }

    /** The path of the browser-level WebSocket; Chromium accepts only its own id in it. */
    Future<String> browserPath() {
        return request(HttpMethod.GET, "/json/version").compose(response -> {
            if (response.status() != 200) {
                return Future.failedFuture("browser answered /json/version with HTTP " + response.status());
            }
            String url = response.body().toJsonObject().getString("webSocketDebuggerUrl");
            return url == null ? Future.failedFuture("browser did not advertise webSocketDebuggerUrl")
                    : Future.succeededFuture(DevToolsUrls.path(url));
        });
    }

    Future<WebSocket> connect(String path) {
        return webSockets.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path));
    }

    /**
     * Asks the browser to exit over CDP, the only handle on a browser in another container. Completes once the
     * browser answered or hung up; fails if it could not be reached or stayed silent for {@code timeout}.
     */
    Future<Void> closeBrowser(Duration timeout) {
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(),
                id -> done.tryFail("browser did not answer Browser.close within " + timeout));
        browserPath().compose(this::connect).onFailure(done::tryFail).onSuccess(ws -> {
            ws.textMessageHandler(message -> done.tryComplete());
            ws.closeHandler(v -> done.tryComplete());
            ws.exceptionHandler(done::tryFail);
            ws.writeTextMessage(BROWSER_CLOSE);
            done.future().onComplete(ar -> ws.close());
        });
        return done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    Future<Void> close() {
        return Future.all(http.close(), webSockets.close()).mapEmpty();
    }
}
