package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ContextRules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A session's context in Steel's shape — {@code cookies} (CDP's cookies) and {@code localStorage} (items by origin) —
 * read from the browser and restored into it, over a browser-level CDP connection of the agent's own.
 *
 * <p>Cookies come from and go to the browser's cookie store ({@code Storage.getCookies}, {@code Storage.setCookies}).
 * Local storage lives in pages: it is read from every open {@code http(s)} page, one entry per origin, and restored
 * origin by origin in a tab of the agent's own, navigated to the origin with its document answered by the agent
 * ({@code Fetch.fulfillRequest}, so nothing goes to the network and the origin need not be reachable), where a script
 * sets the items; the tab is closed again. Session storage belongs to a tab and is neither read nor restored.
 */
final class SessionContexts {
    /** The fields of Steel's cookie; the first ones are what {@code Storage.setCookies} takes. */
    private static final List<String> COOKIE_PARAMS = List.of(
            "name",
            "value",
            "url",
            "domain",
            "path",
            "secure",
            "httpOnly",
            "sameSite",
            "expires",
            "priority",
            "sameParty",
            "sourceScheme",
            "sourcePort",
            "partitionKey");
    /** Reported by the browser, derived from the others: accepted back, not sent. */
    private static final Set<String> COOKIE_DERIVED = Set.of("size", "session");

    private static final long NAVIGATION_WAIT_MILLIS = 5_000;
    /**
     * A page blocked in a dialog or a busy script never answers {@code Runtime.evaluate}: it is skipped after this
     * long, and pages are no longer asked once the read has taken {@link #STORAGE_READ_BUDGET_MILLIS}, so that the
     * whole read stays under the 5 s the operator waits for it (the cookies are saved either way).
     */
    private static final long PAGE_READ_MILLIS = 1_000;

    private static final long STORAGE_READ_BUDGET_MILLIS = 3_000;
    private static final long RETRY_MILLIS = 20;
    private static final String EMPTY_DOCUMENT =
            Base64.getEncoder().encodeToString("<!doctype html><title></title>".getBytes(StandardCharsets.UTF_8));

    /** A context over {@link AgentContract#CONTEXT_MAX_BYTES}, or one that breaks the shape's rules. */
    static final class ContextException extends Exception {
        ContextException(String message) {
            super(message, null, false, false);
        }
    }

    private SessionContexts() {}

    /**
     * Checks a context to restore, as given in {@link AgentContract#ENV_SESSION_CONTEXT}.
     *
     * @throws IllegalArgumentException naming the field that breaks the rules
     */
    static JsonObject parse(String json) {
        ContextRules.sizeViolation(json).ifPresent(SessionContexts::refuse);
        JsonObject context = null;
        try {
            context = new JsonObject(json);
        } catch (RuntimeException notAnObject) {
            // ContextRules names what is wrong with no object.
        }
        ContextRules.shapeViolation(context == null ? null : context.getMap()).ifPresent(SessionContexts::refuse);
        return context;
    }

    private static void refuse(String violation) {
        throw new IllegalArgumentException(AgentContract.ENV_SESSION_CONTEXT + ": " + violation);
    }

    /** The browser's context now: its cookies and the local storage of every open page's origin. */
    static Future<JsonObject> read(BrowserConnection browser) {
        return withOwn(
                browser,
                cdp -> cdp.cdp()
                        .send(null, "Storage.getCookies", new JsonObject())
                        .compose(answer -> {
                            JsonArray cookies = new JsonArray();
                            answer.getJsonArray("cookies", new JsonArray())
                                    .forEach(c -> cookies.add(steelCookie((JsonObject) c)));
                            return cdp.cdp()
                                    .send(null, "Target.getTargets", new JsonObject())
                                    .compose(targets -> readStorage(cdp.cdp(), targets.getJsonArray("targetInfos")))
                                    .map(storage -> new JsonObject()
                                            .put(AgentContract.CONTEXT_COOKIES, cookies)
                                            .put(AgentContract.CONTEXT_LOCAL_STORAGE, storage));
                        })
                        .compose(context -> ContextRules.sizeViolation(context.encode())
                                .<Future<JsonObject>>map(
                                        tooLarge -> Future.failedFuture(new ContextException(tooLarge)))
                                .orElseGet(() -> Future.succeededFuture(context))));
    }

    private static JsonObject steelCookie(JsonObject cdpCookie) {
        JsonObject cookie = new JsonObject();
        for (String field : cdpCookie.fieldNames()) {
            if (COOKIE_PARAMS.contains(field) || COOKIE_DERIVED.contains(field)) {
                cookie.put(field, cdpCookie.getValue(field));
            }
        }
        return cookie;
    }

    private static Future<JsonObject> readStorage(OwnCdp cdp, JsonArray targets) {
        JsonObject storage = new JsonObject();
        long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STORAGE_READ_BUDGET_MILLIS);
        Future<Void> chain = Future.succeededFuture();
        for (Object t : targets == null ? new JsonArray() : targets) {
            JsonObject target = (JsonObject) t;
            String url = target.getString("url", "");
            if (!"page".equals(target.getString("type")) || !(url.startsWith("http:") || url.startsWith("https:"))) {
                continue;
            }
            String targetId = target.getString("targetId");
            chain = chain.compose(v -> (System.nanoTime() - giveUpAt < 0
                            ? readPage(cdp, targetId).timeout(PAGE_READ_MILLIS, TimeUnit.MILLISECONDS)
                            : Future.<JsonArray>succeededFuture())
                    .map(page -> {
                        if (page != null && ContextRules.isOrigin(page.getString(0))) {
                            JsonObject items = storage.getJsonObject(page.getString(0), new JsonObject());
                            items.mergeIn(page.getJsonObject(1));
                            if (!items.isEmpty()) {
                                storage.put(page.getString(0), items);
                            }
                        }
                        return (Void) null;
                    })
                    // A page that went away, refuses storage (a sandboxed frame) or does not answer in time has nothing
                    // to give.
                    .recover(e -> Future.succeededFuture()));
        }
        return chain.map(storage);
    }

    /** [origin, items] of one page, or null. */
    private static Future<JsonArray> readPage(OwnCdp cdp, String targetId) {
        return cdp.send(
                        null,
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .compose(attached -> {
                    String session = attached.getString("sessionId");
                    return cdp.send(
                                    session,
                                    "Runtime.evaluate",
                                    new JsonObject()
                                            .put(
                                                    "expression",
                                                    "JSON.stringify([location.origin, Object.assign({}, localStorage)])")
                                            .put("returnByValue", true))
                            .map(result -> {
                                Object value = result.getJsonObject("result", new JsonObject())
                                        .getValue("value");
                                return value instanceof String json ? new JsonArray(json) : null;
                            })
                            .eventually(() -> cdp.send(
                                    null, "Target.detachFromTarget", new JsonObject().put("sessionId", session)));
                });
    }

    /** Puts a context (as {@link #parse} accepted it) into the browser: every cookie, then each origin's storage. */
    static Future<Void> restore(Vertx vertx, BrowserConnection browser, JsonObject context) {
        JsonArray cookies = new JsonArray();
        context.getJsonArray(AgentContract.CONTEXT_COOKIES, new JsonArray())
                .forEach(c -> cookies.add(cookieParam((JsonObject) c)));
        JsonObject storage = context.getJsonObject(AgentContract.CONTEXT_LOCAL_STORAGE, new JsonObject());
        return withOwn(browser, own -> {
            Future<Void> chain = cookies.isEmpty()
                    ? Future.succeededFuture()
                    : own.cdp()
                            .send(null, "Storage.setCookies", new JsonObject().put("cookies", cookies))
                            .mapEmpty();
            for (Map.Entry<String, Object> origin : storage) {
                JsonObject items = (JsonObject) origin.getValue();
                if (!items.isEmpty()) {
                    chain = chain.compose(v -> restoreStorage(vertx, own, origin.getKey(), items));
                }
            }
            return chain;
        });
    }

    private static JsonObject cookieParam(JsonObject cookie) {
        JsonObject param = new JsonObject();
        for (String field : COOKIE_PARAMS) {
            if (cookie.containsKey(field)) {
                param.put(field, cookie.getValue(field));
            }
        }
        // A session cookie, as the browser reports one (expires -1), stays one.
        if (Boolean.TRUE.equals(cookie.getValue("session"))
                || cookie.getValue("expires") instanceof Number n && n.doubleValue() <= 0) {
            param.remove("expires");
        }
        return param;
    }

    private static Future<Void> restoreStorage(Vertx vertx, Own own, String origin, JsonObject items) {
        OwnCdp cdp = own.cdp();
        return cdp.send(null, "Target.createTarget", new JsonObject().put("url", "about:blank"))
                .compose(created -> {
                    String targetId = created.getString("targetId");
                    return cdp.send(
                                    null,
                                    "Target.attachToTarget",
                                    new JsonObject().put("targetId", targetId).put("flatten", true))
                            .compose(attached -> seed(vertx, own, attached.getString("sessionId"), origin, items))
                            .eventually(() ->
                                    cdp.send(null, "Target.closeTarget", new JsonObject().put("targetId", targetId)));
                })
                .recover(e ->
                        Future.failedFuture("cannot restore the local storage of " + origin + ": " + e.getMessage()));
    }

    /** Navigates the agent's tab to the origin, answering its document itself, and sets the items there. */
    private static Future<Void> seed(Vertx vertx, Own own, String session, String origin, JsonObject items) {
        OwnCdp cdp = own.cdp();
        own.on(session, event -> {
            if ("Fetch.requestPaused".equals(event.getString("method"))) {
                cdp.send(
                        session,
                        "Fetch.fulfillRequest",
                        new JsonObject()
                                .put("requestId", event.getJsonObject("params").getString("requestId"))
                                .put("responseCode", 200)
                                .put(
                                        "responseHeaders",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("name", "Content-Type")
                                                        .put("value", "text/html")))
                                .put("body", EMPTY_DOCUMENT));
            }
        });
        String expression = "((origin, items) => { if (location.origin !== origin) return false;"
                + " for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); return true; })("
                + Json.encode(origin) + ", " + items.encode() + ")";
        return cdp.send(
                        session,
                        "Fetch.enable",
                        new JsonObject().put("patterns", new JsonArray().add(new JsonObject().put("urlPattern", "*"))))
                .compose(v -> cdp.send(session, "Page.navigate", new JsonObject().put("url", origin + "/")))
                .compose(navigated -> navigated.containsKey("errorText")
                        ? Future.failedFuture(navigated.getString("errorText"))
                        : evaluateUntilTrue(vertx, cdp, session, expression, System.nanoTime()))
                .eventually(() -> {
                    own.off(session);
                    return Future.succeededFuture();
                });
    }

    /** The document may commit just after the navigation's answer: the script is tried again until it ran there. */
    private static Future<Void> evaluateUntilTrue(
            Vertx vertx, OwnCdp cdp, String session, String expression, long startNanos) {
        return cdp.send(
                        session,
                        "Runtime.evaluate",
                        new JsonObject().put("expression", expression).put("returnByValue", true))
                .compose(answer -> {
                    if (answer.containsKey("exceptionDetails")) {
                        return Future.failedFuture(
                                answer.getJsonObject("exceptionDetails").getString("text", "the page's script failed"));
                    }
                    if (Boolean.TRUE.equals(
                            answer.getJsonObject("result", new JsonObject()).getValue("value"))) {
                        return Future.succeededFuture();
                    }
                    if ((System.nanoTime() - startNanos) / 1_000_000 > NAVIGATION_WAIT_MILLIS) {
                        return Future.failedFuture(
                                "the tab did not reach the origin within " + NAVIGATION_WAIT_MILLIS + " ms");
                    }
                    Promise<Void> later = Promise.promise();
                    vertx.setTimer(
                            RETRY_MILLIS,
                            t -> evaluateUntilTrue(vertx, cdp, session, expression, startNanos)
                                    .onComplete(later));
                    return later.future();
                });
    }

    /** The agent's own connection, with its events routed to handlers by flat session. */
    private record Own(OwnCdp cdp, Map<String, Consumer<JsonObject>> handlers) {
        void on(String session, Consumer<JsonObject> handler) {
            handlers.put(session, handler);
        }

        void off(String session) {
            handlers.remove(session);
        }
    }

    private static <T> Future<T> withOwn(BrowserConnection browser, Function<Own, Future<T>> work) {
        Map<String, Consumer<JsonObject>> handlers = new ConcurrentHashMap<>();
        return browser.openOwn(
                        event -> {
                            Consumer<JsonObject> handler = handlers.get(event.getString("sessionId", ""));
                            if (handler != null) {
                                handler.accept(event);
                            }
                        },
                        () -> {})
                .compose(cdp -> work.apply(new Own(cdp, handlers)).eventually(() -> {
                    cdp.close();
                    return Future.succeededFuture();
                }));
    }
}
