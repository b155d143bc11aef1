package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chromium's DevTools HTTP pages for a browser that has no HTTP server, only its DevTools pipe: built from CDP in the
 * shapes Chromium's own server answers with, URLs included ({@link DevToolsUrls} then points them at the agent).
 * {@code /json/protocol} has no CDP equivalent and answers 404.
 */
final class PipeDevToolsPages {
    static final String CONTENT_TYPE = "application/json; charset=UTF-8";
    /** Stands in for the browser's address in the URLs built here; the agent replaces it with its own. */
    private static final String BROWSER_AUTHORITY = "devtools-pipe";

    private static final String FRONTEND =
            "https://chrome-devtools-frontend.appspot.com/serve_rev/%s/inspector.html?ws=%s";
    private static final Pattern WEBKIT = Pattern.compile("AppleWebKit/([\\d.]+)");
    private static final String ACTIVATE = "/json/activate/";
    private static final String CLOSE = "/json/close/";

    private final BiFunction<String, JsonObject, Future<JsonObject>> command;
    /**
     * Chromium gives each browser-level attachment a fresh target id, so the pipe has no stable one to advertise:
     * the agent names the browser itself, and accepts any id under {@code /devtools/browser/} as it always has.
     */
    private final String browserId = UUID.randomUUID().toString();

    /** @param command sends a CDP command on the pipe's root session and completes with its result */
    PipeDevToolsPages(BiFunction<String, JsonObject, Future<JsonObject>> command) {
        this.command = command;
    }

    Future<BrowserConnection.Response> answer(HttpMethod method, String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String rawQuery = query < 0 ? "" : uri.substring(query + 1);
        if (path.equals("/json/version")) {
            return version().map(PipeDevToolsPages::ok);
        } else if (path.equals("/json") || path.equals("/json/list")) {
            return list().map(PipeDevToolsPages::ok);
        } else if (path.equals("/json/new")) {
            if (method != HttpMethod.PUT) {
                return Future.succeededFuture(text(
                        405,
                        "Using unsafe HTTP verb " + method.name()
                                + " to invoke /json/new. This action supports only PUT verb."));
            }
            return newTarget(rawQuery);
        } else if (path.startsWith(ACTIVATE)) {
            String id = path.substring(ACTIVATE.length());
            return targetAction("Target.activateTarget", id, "Target activated");
        } else if (path.startsWith(CLOSE)) {
            String id = path.substring(CLOSE.length());
            return targetAction("Target.closeTarget", id, "Target is closing");
        }
        return Future.succeededFuture(new BrowserConnection.Response(
                404,
                CONTENT_TYPE,
                new JsonObject()
                        .put(
                                "message",
                                path + " is not available: the session agent reaches this browser"
                                        + " over its DevTools pipe, which has no equivalent")
                        .toBuffer()));
    }

    /** {@code /json/version} from {@code Browser.getVersion}. */
    Future<JsonObject> version() {
        return command.apply("Browser.getVersion", new JsonObject()).map(v -> {
            String userAgent = v.getString("userAgent", "");
            Matcher webKit = WEBKIT.matcher(userAgent);
            return new JsonObject()
                    .put("Browser", v.getString("product"))
                    .put("File-Path-Style", "posix")
                    .put("Protocol-Version", v.getString("protocolVersion"))
                    .put("User-Agent", userAgent)
                    .put("V8-Version", v.getString("jsVersion"))
                    .put(
                            "WebKit-Version",
                            (webKit.find() ? webKit.group(1) : "537.36") + " (" + v.getString("revision") + ")")
                    .put("webSocketDebuggerUrl", "ws://" + BROWSER_AUTHORITY + "/devtools/browser/" + browserId);
        });
    }

    private Future<JsonArray> list() {
        return version()
                .compose(version -> command.apply("Target.getTargets", new JsonObject())
                        .map(result -> {
                            JsonArray targets = new JsonArray();
                            result.getJsonArray("targetInfos", new JsonArray())
                                    .forEach(info -> targets.add(target((JsonObject) info, revision(version))));
                            return targets;
                        }));
    }

    private Future<BrowserConnection.Response> newTarget(String rawQuery) {
        // Chromium unescapes the query and opens about:blank when it names no URL.
        String url = rawQuery.isEmpty()
                ? "about:blank"
                : URLDecoder.decode(rawQuery.replace("+", "%2B"), StandardCharsets.UTF_8);
        return version()
                .compose(version -> command.apply("Target.createTarget", new JsonObject().put("url", url))
                        .compose(created -> command.apply(
                                "Target.getTargetInfo",
                                new JsonObject().put("targetId", created.getString("targetId"))))
                        .map(info -> ok(target(info.getJsonObject("targetInfo"), revision(version))))
                        .recover(e -> Future.succeededFuture(text(500, "Could not create new page"))));
    }

    private Future<BrowserConnection.Response> targetAction(String method, String targetId, String done) {
        return command.apply(method, new JsonObject().put("targetId", targetId))
                .map(result -> text(200, done))
                .recover(e -> e instanceof PipeConnection.CdpError
                        ? Future.succeededFuture(text(404, "No such target id: " + targetId))
                        : Future.failedFuture(e));
    }

    private static String revision(JsonObject version) {
        return version.getString("WebKit-Version").replaceAll(".*\\((.*)\\)$", "$1");
    }

    /** One entry of {@code /json/list}, as Chromium describes a target. */
    private static JsonObject target(JsonObject info, String revision) {
        String id = info.getString("targetId");
        String socket = BROWSER_AUTHORITY + "/devtools/page/" + id;
        return new JsonObject()
                .put("description", "")
                .put("devtoolsFrontendUrl", String.format(FRONTEND, revision, socket))
                .put("id", id)
                .put("title", info.getString("title", ""))
                .put("type", info.getString("type"))
                .put("url", info.getString("url", ""))
                .put("webSocketDebuggerUrl", "ws://" + socket);
    }

    private static BrowserConnection.Response ok(Object json) {
        Buffer body = json instanceof JsonArray array ? array.toBuffer() : ((JsonObject) json).toBuffer();
        return new BrowserConnection.Response(200, CONTENT_TYPE, body);
    }

    /** Chromium answers its plain-text messages with its JSON content type too. */
    private static BrowserConnection.Response text(int status, String message) {
        return new BrowserConnection.Response(status, CONTENT_TYPE, Buffer.buffer(message));
    }
}
