package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How the agent reaches its browser: Chromium's DevTools port on the loopback ({@link BrowserEndpoint}, the session
 * pod) or Chromium's DevTools pipe ({@link PipeConnection}, local mode). Everything else the agent does (the token,
 * activity, URL rewriting, the backstop) is the same over both.
 */
interface BrowserConnection {

    /** An answer of the DevTools HTTP pages, as Chromium's own server gives it: its URLs still the browser's. */
    record Response(int status, String contentType, Buffer body) {}

    /** Completes once the browser answers CDP; fails saying why not. */
    Future<Void> ready();

    /** Answers a body-less DevTools HTTP request ({@code /json/...}, query included, token removed). */
    Future<Response> devTools(HttpMethod method, String uri);

    /**
     * Opens the browser side of a client's CDP WebSocket ({@code /devtools/browser[/...]}, {@code /devtools/page/<id>})
     * before the client is upgraded, so a client is only upgraded when there is something to talk to.
     */
    Future<CdpChannel> open(String path);

    /**
     * Opens a browser-level CDP connection of the agent's own (the live viewer's), with flat sessions.
     *
     * @param events every event the browser sends on it
     * @param onClosed run once, when the browser side of it ends
     */
    Future<OwnCdp> openOwn(Consumer<JsonObject> events, Runnable onClosed);

    /**
     * Asks the browser to exit over CDP. Completes once the browser answered or hung up; fails if it could not be
     * reached or stayed silent for {@code timeout}.
     */
    Future<Void> closeBrowser(Duration timeout);

    /** Releases what the agent holds; the browser itself is its owner's to end. */
    Future<Void> close();
}
