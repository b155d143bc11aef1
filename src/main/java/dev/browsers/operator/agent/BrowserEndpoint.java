package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Chromium's DevTools port as the agent reaches it in a session pod: its DevTools HTTP pages and its WebSockets,
 * one browser WebSocket per client, relayed byte for byte ({@link WebSocketRelay}).
 */
final class BrowserEndpoint implements BrowserConnection {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final long REQUEST_IDLE_TIMEOUT_MILLIS = 10_000;
    private static final String BROWSER_CLOSE = "{\"id\":1,\"method\":\"Browser.close\"}";
    private static final String BROWSER_SOCKET = "/devtools/browser";

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final long maxMessageBytes;
    private final HttpClient http;
    private final HttpClient upgrades;
    private final WebSocketClient webSockets;
    private final BrowserRules rules;
    /** The agent's own browser-level connection that applies the rules, once it is in place; null before. */
    private Future<Void> ruling;

    /**
     * @param maxConnections the most client WebSockets the agent relays at once, each with its own to the browser
     * @param rules applied before the browser counts as ready, over a browser WebSocket of the agent's own
     */
    BrowserEndpoint(Vertx vertx, String host, int port, int maxConnections, long maxMessageBytes, BrowserRules rules) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.maxMessageBytes = maxMessageBytes;
        // No keep-alive: a pooled connection the browser already closed would fail a readiness probe for nothing.
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(false).setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        // An upgraded connection stays taken from its pool until it closes: a pool smaller than the agent's
        // connection cap would make clients past it wait, unanswered, for a connection to end. Keep-alive stays on,
        // since without it the client sends "Connection: close" instead of "Connection: Upgrade".
        this.upgrades = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(maxConnections).setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        this.rules = rules;
        // The agent's own connections (the rules', the viewer's) take whole messages: a paused request's event
        // carries its headers and body, screencast frames and screenshots are large.
        int maxOwnMessage = (int) Math.min(maxMessageBytes, Integer.MAX_VALUE);
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setMaxFrameSize(maxOwnMessage)
                .setMaxMessageSize(maxOwnMessage));
    }

    @Override
    public Future<Void> ready() {
        return devTools(HttpMethod.GET, "/json/version")
                .compose(response -> response.status() == 200
                        ? Future.succeededFuture()
                        : Future.failedFuture("browser answered HTTP " + response.status()))
                .compose(v -> rules.intercepts() ? ruling() : Future.succeededFuture());
    }

    /** The rules' connection, opened on the first readiness check and again after it was lost. */
    private synchronized Future<Void> ruling() {
        if (ruling == null || ruling.failed()) {
            ruling = browserPath()
                    .compose(path -> webSockets.connect(new WebSocketConnectOptions()
                            .setHost(host)
                            .setPort(port)
                            .setURI(path)))
                    .compose(this::applyRules);
        }
        return ruling;
    }

    private Future<Void> applyRules(WebSocket socket) {
        Promise<Void> enabled = Promise.promise();
        AtomicLong ids = new AtomicLong();
        long enableId = ids.incrementAndGet();
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            String method = message.getString("method");
            BrowserRules.Command answer = BrowserRules.REQUEST_PAUSED.equals(method)
                    ? rules.answerPaused(message.getJsonObject("params"))
                    : BrowserRules.AUTH_REQUIRED.equals(method)
                            ? rules.answerAuth(message.getJsonObject("params"))
                            : null;
            if (answer != null) {
                socket.writeTextMessage(new JsonObject()
                        .put("id", ids.incrementAndGet())
                        .put("method", answer.method())
                        .put("params", answer.params())
                        .encode());
            } else if (Long.valueOf(enableId).equals(message.getLong("id"))) {
                if (message.containsKey("error")) {
                    enabled.tryFail("browser refused Fetch.enable: " + message.getJsonObject("error"));
                } else {
                    enabled.tryComplete();
                }
            }
        });
        socket.closeHandler(v -> {
            enabled.tryFail("browser closed the agent's own connection");
            forgetRuling();
        });
        socket.writeTextMessage(new JsonObject()
                .put("id", enableId)
                .put("method", "Fetch.enable")
                .put("params", rules.fetchEnable())
                .encode());
        return enabled.future().onFailure(e -> socket.close());
    }

    /** Lost with the browser, or by accident: the next readiness check opens it again. */
    private synchronized void forgetRuling() {
        ruling = null;
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
        return browserPath.compose(this::upgrade).map(Channel::new);
    }

    /** The browser's WebSocket as a raw connection, after a handshake the agent checks itself. */
    private Future<NetSocket> upgrade(String path) {
        String key = WebSocketFrames.newKey();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(port)
                .setURI(path)
                .putHeader(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE)
                .putHeader(WebSocketFrames.KEY_HEADER, key)
                .putHeader(WebSocketFrames.VERSION_HEADER, WebSocketFrames.VERSION);
        return upgrades.request(options).compose(HttpClientRequest::connect).compose(response -> {
            if (response.statusCode() != 101) {
                return response.body()
                        .transform(body -> Future.failedFuture("browser answered the WebSocket upgrade of " + path
                                + " with HTTP " + response.statusCode()));
            }
            if (!WebSocketFrames.accept(key).equals(response.getHeader(WebSocketFrames.ACCEPT_HEADER))) {
                response.netSocket().close();
                return Future.failedFuture("browser answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept");
            }
            return Future.succeededFuture(response.netSocket().pause());
        });
    }

    private Future<WebSocket> connect(String path) {
        return webSockets.connect(
                new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path));
    }

    @Override
    public Future<OwnCdp> openOwn(Consumer<JsonObject> events, Runnable onClosed) {
        return browserPath().compose(this::connect).map(ws -> {
            OwnCdp own = new OwnCdp(vertx, events, onClosed);
            own.transport(new OwnCdp.Transport() {
                @Override
                public void write(Buffer message) {
                    ws.writeTextMessage(message.toString());
                }

                @Override
                public void close() {
                    ws.close();
                }
            });
            ws.textMessageHandler(text -> own.received(Buffer.buffer(text)));
            ws.closeHandler(v -> own.ended("browser connection closed"));
            ws.exceptionHandler(e -> own.ended("browser connection failed: " + e.getMessage()));
            return own;
        });
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
        return Future.all(http.close(), upgrades.close(), webSockets.close()).mapEmpty();
    }

    /** A client's own WebSocket to the browser, paused until the client is spliced on. */
    private final class Channel implements CdpChannel {
        private final NetSocket browser;
        private volatile WebSocketRelay relay;

        Channel(NetSocket browser) {
            this.browser = browser;
        }

        @Override
        public void splice(ClientSocket client, ActivityClock activity, Runnable onClosed) {
            relay = new WebSocketRelay(client, browser, activity, maxMessageBytes, onClosed);
        }

        @Override
        public void close() {
            if (relay != null) {
                relay.close();
            } else {
                browser.close();
            }
        }
    }
}
