package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The session's only way into its browser: an authenticated CDP proxy (DevTools HTTP pages and WebSockets) that
 * records when a client was last active, answers the operator's readiness and activity questions, takes the hard
 * deadline from it, and closes the browser itself once that deadline is long past.
 */
public final class SessionAgent {
    private static final Logger LOG = Logger.getLogger(SessionAgent.class.getName());
    private static final String DEVTOOLS = "/devtools/";
    private static final String JSON_PROTOCOL = "/json/protocol";
    private static final Set<String> JSON_PAGES =
            Set.of("/json", "/json/list", "/json/version", JSON_PROTOCOL, "/json/new");
    private static final List<String> JSON_TARGET_ACTIONS = List.of("/json/activate/", "/json/close/");

    private final Vertx vertx;
    private final Context context;
    private final AgentOptions options;
    private final TokenRotation tokens;
    private final ActivityClock activity;
    private final BrowserConnection browser;
    private final Backstop backstop;
    /** The hard deadline as the operator last gave it ({@link AgentContract#DEADLINE_PATH}); null until it does. */
    private final AtomicReference<Instant> givenDeadline = new AtomicReference<>();

    private final BrowserRules rules;
    /** The session context's restore, once started; null before, or after it failed (the next check tries again). */
    private Future<Void> restored;

    private final Viewer viewer;
    private final Set<CdpChannel> channels = ConcurrentHashMap.newKeySet();
    /** Client WebSockets open or being opened: counted before the browser is asked, so the cap holds at once. */
    private final AtomicInteger connections = new AtomicInteger();

    private volatile HttpServer server;

    /** An agent in front of the browser's DevTools port, {@code options.browserHost():options.browserPort()}. */
    public SessionAgent(Vertx vertx, AgentOptions options) {
        this(vertx, options, BrowserRules.NONE);
    }

    /** @param rules enforced browser-wide over a CDP connection of the agent's own: see {@link BrowserRules} */
    public SessionAgent(Vertx vertx, AgentOptions options, BrowserRules rules) {
        this(
                vertx.getOrCreateContext(),
                options,
                new BrowserEndpoint(
                        vertx,
                        options.browserHost(),
                        requirePort(options.browserPort()),
                        options.maxConnections(),
                        options.maxMessageBytes(),
                        rules),
                rules);
    }

    /**
     * An agent that reaches its browser over the browser's DevTools pipe, the only CDP channel such a browser has;
     * {@code options.browserHost()} and {@code browserPort()} are not used. The pipe stays its owner's to close.
     *
     * @param rules what the browser must not load, whatever its clients do, and its proxy's credentials: see
     *     {@link PipeConnection}
     */
    public SessionAgent(Vertx vertx, AgentOptions options, DevToolsPipe pipe, BrowserRules rules) {
        this(vertx.getOrCreateContext(), options, pipe, rules);
    }

    private SessionAgent(Context context, AgentOptions options, DevToolsPipe pipe, BrowserRules rules) {
        this(context, options, new PipeConnection(context, pipe, options.maxMessageBytes(), rules), rules);
    }

    private SessionAgent(Context context, AgentOptions options, BrowserConnection browser, BrowserRules rules) {
        this.vertx = context.owner();
        this.context = context;
        this.options = options;
        // A rotated token closes what the previous one opened.
        this.tokens = new TokenRotation(options.token(), () -> channels.forEach(CdpChannel::close));
        this.activity = new ActivityClock(options.clock());
        this.browser = browser;
        this.rules = rules;
        this.backstop = new Backstop(
                vertx,
                browser,
                options,
                () -> Optional.ofNullable(givenDeadline.get())
                        .or(() -> options.hardDeadline().get()));
        this.viewer = new Viewer(vertx, options, browser, activity, connections, this::authenticate);
    }

    private static int requirePort(int browserPort) {
        if (browserPort == AgentOptions.NO_BROWSER_PORT) {
            throw new IllegalArgumentException("no browser port given: an agent over the DevTools pipe needs the pipe");
        }
        return browserPort;
    }

    /** Listens and starts the backstop; completes with the port actually bound. */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(options.bindHost())
                .setPort(options.port())
                .setTcpNoDelay(true));
        // The agent speaks WebSocket itself on the upgraded connection (ClientSocket): Vert.x's WebSockets hold each
        // frame whole and drop an oversized one without a close frame. CDP clients run next to the agent or in the
        // cluster, so no compression is offered: it would cost more than it saves.
        server.requestHandler(this::handleRequest);
        // Listening from the agent's context serves the clients there, where the pipe routes their messages too.
        Promise<HttpServer> listening = Promise.promise();
        context.runOnContext(v -> server.listen().onComplete(listening));
        return listening.future().map(bound -> {
            backstop.start();
            return bound.actualPort();
        });
    }

    /** Closes the server, every proxied connection and the backstop timer. */
    public Future<Void> stop() {
        backstop.stop();
        viewer.close();
        channels.forEach(CdpChannel::close);
        Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
        return Future.all(serverClosed, browser.close()).mapEmpty();
    }

    public ActivitySnapshot activity() {
        return activity.snapshot(channels.size());
    }

    /**
     * Completes once the browser answers CDP through this agent's way to it, and has the session context to restore,
     * if any: a session is not ready before its cookies and local storage are in.
     */
    public Future<Void> browserReady() {
        return browser.ready().compose(v -> restoreContext());
    }

    private synchronized Future<Void> restoreContext() {
        if (rules.context().isEmpty()) {
            return Future.succeededFuture();
        }
        if (restored == null || restored.failed()) {
            long start = System.nanoTime();
            JsonObject context = rules.context().get();
            restored = SessionContexts.restore(vertx, browser, context)
                    .onSuccess(v -> LOG.info(() -> "session context restored ("
                            + context.getJsonArray(AgentContract.CONTEXT_COOKIES, new JsonArray())
                                    .size()
                            + " cookies, local storage of "
                            + context.getJsonObject(AgentContract.CONTEXT_LOCAL_STORAGE, new JsonObject())
                                    .size()
                            + " origins) in " + (System.nanoTime() - start) / 1_000_000 + " ms"))
                    .recover(e -> Future.failedFuture("cannot restore the session context: " + e.getMessage()));
        }
        return restored;
    }

    private void handleRequest(HttpServerRequest request) {
        String path = request.path();
        if (Viewer.handles(path)) {
            viewer.handle(request);
        } else if (isWebSocketUpgrade(request)) {
            proxyWebSocket(request);
        } else if (path.equals(AgentContract.READY_PATH)) {
            ready(request);
        } else if (path.equals(AgentContract.ACTIVITY_PATH)) {
            if (authenticate(request).isPresent()) {
                respond(request, 200, activity().toJson());
            }
        } else if (path.equals(AgentContract.DEADLINE_PATH)) {
            if (authenticate(request).isPresent()) {
                takeDeadline(request);
            }
        } else if (path.equals(AgentContract.CONTEXT_PATH)) {
            if (authenticate(request).isPresent()) {
                context(request);
            }
        } else if (path.equals(AgentContract.TOKEN_PATH)) {
            tokens.handle(request);
        } else if (JSON_PAGES.contains(path) || JSON_TARGET_ACTIONS.stream().anyMatch(path::startsWith)) {
            authenticate(request).ifPresent(presented -> proxyDevToolsPage(request, presented));
        } else {
            respond(request, 404, message("no such endpoint: " + path));
        }
    }

    private void ready(HttpServerRequest request) {
        browserReady().onComplete(ar -> {
            if (ar.succeeded()) {
                respond(request, 200, new JsonObject().put("ready", true));
            } else {
                String why = ar.cause().getMessage() == null
                        ? ar.cause().toString()
                        : ar.cause().getMessage();
                respond(request, 503, new JsonObject().put("ready", false).put("message", why));
            }
        });
    }

    /** {@code PUT} with {"expiresAt": RFC 3339}; the body is small and announced, or refused unread. */
    private void takeDeadline(HttpServerRequest request) {
        if (request.method() != HttpMethod.PUT) {
            respond(request, 405, message("only PUT sets the deadline"));
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0 || bytes > AgentContract.DEADLINE_MAX_BYTES) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
            respond(
                    request,
                    bytes < 0 ? 411 : 413,
                    message("the deadline request needs a Content-Length of at most " + AgentContract.DEADLINE_MAX_BYTES
                            + " bytes"));
            return;
        }
        request.body().onComplete(body -> {
            if (body.failed()) {
                respond(
                        request,
                        400,
                        message("cannot read the request: " + body.cause().getMessage()));
                return;
            }
            Instant deadline;
            try {
                deadline = OffsetDateTime.parse(
                                new JsonObject(body.result()).getString(AgentContract.DEADLINE_EXPIRES_AT))
                        .toInstant();
            } catch (RuntimeException e) {
                respond(
                        request,
                        400,
                        message("expected {\"" + AgentContract.DEADLINE_EXPIRES_AT + "\": an RFC 3339 timestamp}: "
                                + e.getMessage()));
                return;
            }
            Instant previous = givenDeadline.getAndSet(deadline);
            if (!deadline.equals(previous)) {
                LOG.info(() -> "hard deadline " + deadline);
            }
            respond(request, 200, new JsonObject().put(AgentContract.DEADLINE_EXPIRES_AT, deadline.toString()));
        });
    }

    /** The browser's context now; reading it is not client activity. */
    private void context(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET) {
            respond(request, 405, message("only GET reads the context"));
            return;
        }
        SessionContexts.read(browser).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(request, 200, ar.result());
            } else if (ar.cause() instanceof SessionContexts.ContextException tooLarge) {
                respond(request, 413, message(tooLarge.getMessage()));
            } else {
                respond(
                        request,
                        502,
                        message("cannot read the session context from the browser: "
                                + ar.cause().getMessage()));
            }
        });
    }

    private Optional<TokenGuard.Presented> authenticate(HttpServerRequest request) {
        Optional<TokenGuard.Presented> presented =
                tokens.check(request.getHeader(HttpHeaders.AUTHORIZATION), request.query());
        if (presented.isEmpty()) {
            logRefusal(request.remoteAddress(), request.path());
            request.response().putHeader("WWW-Authenticate", "Bearer");
            respond(request, 401, message("missing or wrong session token"));
        }
        return presented;
    }

    private void proxyDevToolsPage(HttpServerRequest request, TokenGuard.Presented presented) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.PUT) {
            respond(request, 405, message("only GET and PUT are proxied"));
            return;
        }
        activity.clientRequest();
        String query = TokenGuard.withoutToken(request.query());
        String uri = request.path() + (query == null ? "" : "?" + query);
        browser.devTools(request.method(), uri).onComplete(ar -> {
            if (ar.failed()) {
                respond(
                        request,
                        502,
                        message("browser unreachable: " + ar.cause().getMessage()));
                return;
            }
            BrowserConnection.Response answer = ar.result();
            Buffer body = answer.body();
            if (answer.status() == 200 && !request.path().equals(JSON_PROTOCOL)) {
                body = rewriteUrls(request, presented, body);
            }
            if (answer.contentType() != null) {
                request.response().putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
            }
            request.response().setStatusCode(answer.status()).end(body);
        });
    }

    private Buffer rewriteUrls(HttpServerRequest request, TokenGuard.Presented presented, Buffer body) {
        Object json;
        try {
            json = Json.decodeValue(body);
        } catch (RuntimeException notJson) {
            return body;
        }
        String authority = Optional.ofNullable(request.getHeader(HttpHeaders.HOST))
                .orElseGet(() -> request.localAddress().hostAddress() + ":"
                        + request.localAddress().port());
        String queryToken = presented == TokenGuard.Presented.QUERY ? tokens.token() : null;
        new DevToolsUrls(authority, queryToken).rewrite(json);
        return Json.encodeToBuffer(json);
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        return request.method() == HttpMethod.GET
                && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    /**
     * Connects to the browser first, so a client is only upgraded when there is something to talk to. A client past
     * the connection cap is refused at once with 429, before anything is opened for it.
     */
    private void proxyWebSocket(HttpServerRequest request) {
        String path = request.path();
        if (!path.startsWith(DEVTOOLS)) {
            respond(request, 404, message("no such endpoint: " + path));
            return;
        }
        if (authenticate(request).isEmpty()) {
            return;
        }
        String key = request.getHeader(WebSocketFrames.KEY_HEADER);
        if (!WebSocketFrames.VERSION.equals(request.getHeader(WebSocketFrames.VERSION_HEADER))) {
            request.response().putHeader(WebSocketFrames.VERSION_HEADER, WebSocketFrames.VERSION);
            respond(request, 426, message(WebSocketFrames.VERSION_HEADER + " must be " + WebSocketFrames.VERSION));
            return;
        }
        if (!WebSocketFrames.validKey(key)) {
            respond(request, 400, message(WebSocketFrames.KEY_HEADER + " must be 16 bytes in base64"));
            return;
        }
        if (connections.incrementAndGet() > options.maxConnections()) {
            connections.decrementAndGet();
            LOG.info(() -> "refused " + path + " from " + request.remoteAddress() + ": the session has "
                    + options.maxConnections() + " CDP connections open, its limit");
            respond(
                    request,
                    429,
                    message("this session has " + options.maxConnections()
                            + " CDP connections open, the most it allows; close one first"));
            return;
        }
        // The upgrade happens once the browser answers; until then the request must not end unseen.
        request.pause();
        browser.open(path).onComplete(opened -> {
            if (opened.failed()) {
                connections.decrementAndGet();
                LOG.warning(() -> "cannot reach the browser for " + path + " from " + request.remoteAddress() + ": "
                        + opened.cause());
                respond(
                        request,
                        502,
                        message("browser unreachable: " + opened.cause().getMessage()));
                return;
            }
            CdpChannel channel = opened.result();
            request.response()
                    .putHeader(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE)
                    .putHeader(WebSocketFrames.ACCEPT_HEADER, WebSocketFrames.accept(key));
            request.toNetSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    connections.decrementAndGet();
                    channel.close();
                    return;
                }
                ClientSocket client = new ClientSocket(
                        vertx,
                        upgraded.result().pause(),
                        options.maxMessageBytes(),
                        options.clientTimeout().toMillis());
                channels.add(channel);
                channel.splice(client, activity, () -> {
                    channels.remove(channel);
                    connections.decrementAndGet();
                });
            });
        });
    }

    private static void logRefusal(SocketAddress remote, String path) {
        LOG.info(() -> "refused " + path + " from " + remote + ": missing or wrong session token");
    }

    private static JsonObject message(String text) {
        return new JsonObject().put("message", text);
    }

    private static void respond(HttpServerRequest request, int status, JsonObject body) {
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }
}
