package dev.browsers.operator.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP forward proxy for browsers under test, on 127.0.0.1: it answers every plain-HTTP request sent to it
 * itself, as the origin would, so its pages exist only through it ({@link #SITE} resolves nowhere else). With
 * credentials it demands Basic proxy authentication (407) first. It records every request it served and every one
 * it refused for want of credentials.
 */
public final class TestProxy implements AutoCloseable {
    /** A host no resolver knows: a page from it proves the browser went through the proxy. */
    public static final String SITE = "shop.only-via-proxy.test";

    public static final String TITLE = "Served by the test proxy";
    /** What the site's page loads besides itself: an ad, for the blocklist to stop. */
    public static final String AD_URL = "http://ads.doubleclick.net/pixel.gif";

    private final HttpServer server;
    private final Optional<String> expectedAuthorization;
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final List<String> challenged = new CopyOnWriteArrayList<>();

    private TestProxy(Vertx vertx, Optional<String> username, String password) throws Exception {
        this.expectedAuthorization = username.map(u ->
                "Basic " + Base64.getEncoder().encodeToString((u + ":" + password).getBytes(StandardCharsets.UTF_8)));
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    public static TestProxy open(Vertx vertx) throws Exception {
        return new TestProxy(vertx, Optional.empty(), null);
    }

    /** A proxy that serves only requests carrying these credentials. */
    public static TestProxy withCredentials(Vertx vertx, String username, String password) throws Exception {
        return new TestProxy(vertx, Optional.of(username), password);
    }

    private void handle(HttpServerRequest request) {
        String url = request.uri();
        if (expectedAuthorization.isPresent()
                && !expectedAuthorization.get().equals(request.getHeader("Proxy-Authorization"))) {
            challenged.add(url);
            request.response()
                    .setStatusCode(407)
                    .putHeader("Proxy-Authenticate", "Basic realm=\"test proxy\"")
                    .end();
            return;
        }
        served.add(url);
        String host = URI.create(url).getHost();
        if (SITE.equals(host) && "/".equals(URI.create(url).getPath())) {
            request.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .end("<!doctype html><title>" + TITLE + "</title><p id=ua>"
                            + escape(request.getHeader("User-Agent")) + "</p><img src=\"" + AD_URL + "\">");
        } else {
            request.response().putHeader("Content-Type", "text/plain").end("ok");
        }
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;");
    }

    /** scheme://host:port, as a session's spec.proxy.server names it. */
    public String server() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The site's page, through this proxy only. */
    public static String siteUrl() {
        return "http://" + SITE + "/";
    }

    /** Absolute URLs of the requests served. */
    public List<String> served() {
        return List.copyOf(served);
    }

    /** Absolute URLs of the requests refused with 407. */
    public List<String> challenged() {
        return List.copyOf(challenged);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
