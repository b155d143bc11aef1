package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The live viewer, on the agent's port and behind its token: the page ({@link AgentContract#VIEWER_PATH}, plain HTML,
 * CSS and JavaScript from the agent's jar), its WebSocket ({@code /viewer/socket}, one {@link ViewerSocket} each,
 * counted against the agent's connection cap like a CDP client) and a still of the shown tab
 * ({@code /viewer/thumbnail}, for the dashboard). Watching, stills included, is not activity; input is.
 */
final class Viewer {
    private static final Logger LOG = Logger.getLogger(Viewer.class.getName());
    static final String PAGE = AgentContract.VIEWER_PATH;
    static final String SOCKET = PAGE + "/socket";
    static final String THUMBNAIL = PAGE + "/thumbnail";
    /** The largest message a viewer may send: pasted text up to about this many bytes. */
    static final int MAX_INPUT_BYTES = 64 * 1024;

    static final String INTERACTIVE_PARAMETER = "interactive";
    /** The thumbnail is the viewport at full size (see {@link Screencast#still}), shown small: low quality does. */
    private static final int THUMBNAIL_QUALITY = 60;
    /** The page loads nothing but itself and talks only to this agent; no one may frame it. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline';"
            + " style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'none'";

    private final Vertx vertx;
    private final AgentOptions options;
    private final BrowserConnection browser;
    private final ActivityClock activity;
    private final AtomicInteger connections;
    private final Function<HttpServerRequest, Optional<TokenGuard.Presented>> authenticate;
    private final Buffer page;
    private final Set<ViewerSocket> viewers = ConcurrentHashMap.newKeySet();
    /** The still being taken, shared by every request that comes meanwhile. */
    private Future<Buffer> capturing;

    /**
     * @param connections the agent's count of client WebSockets, viewers included, checked against its cap
     * @param authenticate answers 401 itself when the token is missing or wrong
     */
    Viewer(
            Vertx vertx,
            AgentOptions options,
            BrowserConnection browser,
            ActivityClock activity,
            AtomicInteger connections,
            Function<HttpServerRequest, Optional<TokenGuard.Presented>> authenticate) {
        this.vertx = vertx;
        this.options = options;
        this.browser = browser;
        this.activity = activity;
        this.connections = connections;
        this.authenticate = authenticate;
        try (InputStream in = Viewer.class.getResourceAsStream("viewer.html")) {
            this.page = Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("the viewer page is missing from the agent's jar", e);
        }
    }

    static boolean handles(String path) {
        return path.equals(PAGE) || path.startsWith(PAGE + "/");
    }

    void handle(HttpServerRequest request) {
        if (authenticate.apply(request).isEmpty()) {
            return;
        }
        String path = request.path();
        if (path.equals(SOCKET)) {
            upgrade(request);
        } else if (request.method() != HttpMethod.GET) {
            respond(request, 405, "only GET is served here");
        } else if (path.equals(PAGE) || path.equals(PAGE + "/")) {
            request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(page);
        } else if (path.equals(THUMBNAIL)) {
            thumbnail(request);
        } else {
            respond(request, 404, "no such endpoint: " + path);
        }
    }

    /** Closes every viewer: the agent is stopping. */
    void close() {
        viewers.forEach(ViewerSocket::close);
    }

    private void upgrade(HttpServerRequest request) {
        String interactive = request.getParam(INTERACTIVE_PARAMETER, "true");
        if (!interactive.equals("true") && !interactive.equals("false")) {
            respond(request, 400, INTERACTIVE_PARAMETER + " must be true or false");
            return;
        }
        if (request.method() != HttpMethod.GET
                || !"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            respond(request, 400, SOCKET + " takes WebSocket upgrades only");
            return;
        }
        String key = request.getHeader(WebSocketFrames.KEY_HEADER);
        if (!WebSocketFrames.VERSION.equals(request.getHeader(WebSocketFrames.VERSION_HEADER))) {
            request.response().putHeader(WebSocketFrames.VERSION_HEADER, WebSocketFrames.VERSION);
            respond(request, 426, WebSocketFrames.VERSION_HEADER + " must be " + WebSocketFrames.VERSION);
            return;
        }
        if (!WebSocketFrames.validKey(key)) {
            respond(request, 400, WebSocketFrames.KEY_HEADER + " must be 16 bytes in base64");
            return;
        }
        if (connections.incrementAndGet() > options.maxConnections()) {
            connections.decrementAndGet();
            respond(
                    request,
                    429,
                    "this session has " + options.maxConnections()
                            + " connections open (CDP clients and viewers), the most it allows; close one first");
            return;
        }
        ViewerSocket viewer = new ViewerSocket(interactive.equals("true"), activity);
        request.pause();
        Screencast.open(vertx, browser, viewer).onComplete(opened -> {
            if (opened.failed()) {
                connections.decrementAndGet();
                respond(request, 502, "browser unreachable: " + opened.cause().getMessage());
                return;
            }
            Screencast cast = opened.result();
            request.response()
                    .putHeader(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE)
                    .putHeader(WebSocketFrames.ACCEPT_HEADER, WebSocketFrames.accept(key));
            request.toNetSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    connections.decrementAndGet();
                    cast.close();
                    return;
                }
                ClientSocket client = new ClientSocket(
                        vertx,
                        upgraded.result().pause(),
                        MAX_INPUT_BYTES,
                        options.clientTimeout().toMillis());
                viewers.add(viewer);
                viewer.start(client, cast, () -> {
                    viewers.remove(viewer);
                    connections.decrementAndGet();
                });
            });
        });
    }

    private void thumbnail(HttpServerRequest request) {
        if (capturing == null) {
            capturing = capture().onComplete(ar -> capturing = null);
        }
        capturing.onComplete(ar -> {
            if (ar.failed()) {
                LOG.fine(() -> "no thumbnail: " + ar.cause());
                respond(
                        request,
                        ar.cause() instanceof NoTab ? 404 : 502,
                        "no thumbnail: " + ar.cause().getMessage());
                return;
            }
            request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "image/jpeg")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(ar.result());
        });
    }

    /** A JPEG of the tab a viewer would show first, through a connection of the agent's own opened for it. */
    private Future<Buffer> capture() {
        return browser.openOwn(event -> {}, () -> {})
                .compose(cdp -> cdp.send(null, "Target.getTargets", new JsonObject())
                        .compose(targets -> {
                            String target = Screencast.pick(targets.getJsonArray("targetInfos").stream()
                                    .map(JsonObject.class::cast)
                                    .filter(Screencast::isPage)
                                    .toList());
                            if (target == null) {
                                return Future.failedFuture(new NoTab());
                            }
                            return cdp.send(
                                    null,
                                    "Target.attachToTarget",
                                    new JsonObject().put("targetId", target).put("flatten", true));
                        })
                        .compose(attached -> Screencast.still(cdp, attached.getString("sessionId"), THUMBNAIL_QUALITY))
                        .map(shot -> Buffer.buffer(Base64.getDecoder().decode(shot.getString("data"))))
                        .onComplete(ar -> cdp.close()));
    }

    /** Nothing to picture: a browser whose clients have not opened a tab yet. */
    private static final class NoTab extends Exception {
        NoTab() {
            super("the browser has no tab open", null, false, false);
        }
    }

    private static void respond(HttpServerRequest request, int status, String message) {
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("message", message).encode());
    }
}
