package dev.browsers.operator.agent;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one viewer watches, on a CDP connection of the agent's own: the browser's tabs (Target discovery), the one shown
 * (a flat session on it) and its screencast ({@code Page.startScreencast}, JPEG, at most the viewer's window times its
 * pixel ratio). A new tab is shown as it opens, as a browser focuses it; a closed one gives way to the last other. Each
 * frame is acknowledged once the viewer's socket took it, so a slow viewer slows the frames down instead of queueing
 * them. Runs on the agent's context.
 */
final class Screencast {
    private static final Logger LOG = Logger.getLogger(Screencast.class.getName());
    private static final int JPEG_QUALITY = 80;
    private static final String BLANK = "about:blank";
    /**
     * Chromium reports a tab's new URL as its title and does not always report the title the page then sets, so the
     * tabs' info is asked for this often while a viewer is open.
     */
    private static final long TAB_REFRESH_MILLIS = 1_000;

    /** Where the screencast goes: the viewer's socket. */
    interface Screen {
        /** Completes once the viewer's socket took the message, or once it never will. */
        Future<Void> send(JsonObject message);

        /** The browser side ended: the viewer is told why and closed. */
        void ended(String reason);
    }

    private final Vertx vertx;
    private final Screen screen;
    /** Page tabs by target id, in the order they appeared. */
    private final Map<String, JsonObject> tabs = new LinkedHashMap<>();

    private OwnCdp cdp;
    private boolean discovered;
    private String current;
    private String session;
    /** Whether the screencast sent a frame of the shown tab yet. */
    private boolean framed;
    /** When the newest frame of the shown tab sent to the viewer was taken (Chromium's clock, in seconds). */
    private double newestFrame;

    private long generation;
    private long refreshTimer = -1;
    private int maxWidth;
    private int maxHeight;

    private Screencast(Vertx vertx, Screen screen) {
        this.vertx = vertx;
        this.screen = screen;
    }

    /** Opens the agent's own connection, learns the tabs and picks the one to show; frames start with {@link #resize}. */
    static Future<Screencast> open(Vertx vertx, BrowserConnection browser, Screen screen) {
        Screencast cast = new Screencast(vertx, screen);
        return browser.openOwn(cast::onEvent, () -> screen.ended("the browser connection ended"))
                .compose(cdp -> {
                    cast.cdp = cdp;
                    // Chromium announces every existing target before it answers.
                    return cdp.send(null, "Target.setDiscoverTargets", new JsonObject().put("discover", true))
                            .map(v -> {
                                cast.discovered = true;
                                cast.show(pick(cast.tabs.values()));
                                cast.refreshTimer = vertx.setPeriodic(TAB_REFRESH_MILLIS, t -> cast.refreshTabs());
                                return cast;
                            })
                            .onFailure(e -> cdp.close());
                });
    }

    /** The tab to show when nothing says which: the last that has loaded something, else the last. */
    static String pick(Collection<JsonObject> pageTargets) {
        String chosen = null;
        boolean loaded = false;
        for (JsonObject tab : pageTargets) {
            boolean hasUrl = !BLANK.equals(tab.getString("url")) && !"".equals(tab.getString("url"));
            if (hasUrl || !loaded) {
                chosen = tab.getString("targetId");
                loaded = hasUrl;
            }
        }
        return chosen;
    }

    static boolean isPage(JsonObject targetInfo) {
        return "page".equals(targetInfo.getString("type"));
    }

    boolean hasTab(String targetId) {
        return tabs.containsKey(targetId);
    }

    /** Frames at most this many device pixels wide and high; (re)starts the screencast. */
    void resize(int width, int height) {
        maxWidth = width;
        maxHeight = height;
        startScreencast();
    }

    /** Shows this tab from now on; {@code activate}: the browser brings it to the front too (a person chose it). */
    void show(String targetId, boolean activate) {
        if (activate && targetId != null) {
            cdp.send(null, "Target.activateTarget", new JsonObject().put("targetId", targetId))
                    .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not activate " + targetId));
        }
        show(targetId);
    }

    /** Sends input to the tab shown; nothing is shown while switching, and the input is dropped. */
    Future<JsonObject> input(String method, JsonObject params) {
        return session == null ? Future.failedFuture("no tab is shown") : cdp.send(session, method, params);
    }

    void sendTabs() {
        JsonArray list = new JsonArray();
        tabs.values().forEach(list::add);
        screen.send(new JsonObject().put("type", "tabs").put("current", current).put("tabs", list));
    }

    void close() {
        vertx.cancelTimer(refreshTimer);
        if (cdp != null) {
            cdp.close();
        }
    }

    private void show(String targetId) {
        if (targetId != null && targetId.equals(current) && session != null) {
            return;
        }
        String old = session;
        long showing = ++generation;
        current = targetId;
        session = null;
        if (old != null) {
            detach(old);
        }
        sendTabs();
        if (targetId == null) {
            return;
        }
        cdp.send(
                        null,
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .onSuccess(attached -> {
                    String attachedSession = attached.getString("sessionId");
                    if (showing != generation) {
                        detach(attachedSession);
                        return;
                    }
                    session = attachedSession;
                    framed = false;
                    newestFrame = 0;
                    startScreencast();
                })
                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not attach to " + targetId));
    }

    private void detach(String sessionId) {
        cdp.send(null, "Target.detachFromTarget", new JsonObject().put("sessionId", sessionId))
                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not detach " + sessionId));
    }

    private void startScreencast() {
        if (session == null || maxWidth == 0) {
            return;
        }
        // Called again with new sizes while running, Chromium carries on with them.
        cdp.send(
                        session,
                        "Page.startScreencast",
                        new JsonObject()
                                .put("format", "jpeg")
                                .put("quality", JPEG_QUALITY)
                                .put("maxWidth", maxWidth)
                                .put("maxHeight", maxHeight)
                                .put("everyNthFrame", 1)
                                // Chromium takes no frame while three are unacknowledged: a change drawn then would
                                // be missing until the page draws again, for good on a page at rest. It keeps the
                                // last one instead and sends it with the next ack.
                                .put("sendLastFrame", true))
                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not start the screencast"));
        // The screencast sends a frame when the page draws one: a page at rest would leave the viewer blank.
        if (!framed) {
            String stillSession = session;
            still(cdp, stillSession, JPEG_QUALITY)
                    .onSuccess(still -> {
                        if (!framed && stillSession.equals(session)) {
                            screen.send(still.put("type", "frame").put("targetId", current));
                        }
                    })
                    .onFailure(e -> LOG.log(Level.FINE, e, () -> "no still of the shown tab"));
        }
    }

    /**
     * A JPEG of what the tab shows now, its viewport at full size, as a frame: {@code data} (base64) and
     * {@code metadata} with the viewport's size in CSS pixels, as the screencast's. Never scaled: Chromium scales a
     * screenshot by resizing the page's view for the moment, which every screencast of the tab sends as a frame of
     * that size, and the view restored, which draws nothing new, as no frame: a viewer would keep the small picture.
     */
    static Future<JsonObject> still(OwnCdp cdp, String session, int quality) {
        return cdp.send(session, "Page.getLayoutMetrics", new JsonObject()).compose(metrics -> {
            JsonObject viewport = metrics.getJsonObject("cssVisualViewport");
            double width = Math.max(1, viewport.getDouble("clientWidth"));
            double height = Math.max(1, viewport.getDouble("clientHeight"));
            return cdp.send(
                            session,
                            "Page.captureScreenshot",
                            new JsonObject().put("format", "jpeg").put("quality", quality))
                    .map(shot -> new JsonObject()
                            .put("data", shot.getString("data"))
                            .put(
                                    "metadata",
                                    new JsonObject()
                                            .put("deviceWidth", width)
                                            .put("deviceHeight", height)
                                            .put("scrollOffsetX", viewport.getDouble("pageX"))
                                            .put("scrollOffsetY", viewport.getDouble("pageY"))));
        });
    }

    private void onEvent(JsonObject message) {
        String method = message.getString("method");
        JsonObject params = message.getJsonObject("params", new JsonObject());
        switch (method) {
            case "Page.screencastFrame" -> frame(message.getString("sessionId"), params);
            case "Target.targetCreated" -> {
                JsonObject info = params.getJsonObject("targetInfo", new JsonObject());
                if (isPage(info)) {
                    tabs.put(info.getString("targetId"), tab(info));
                    if (discovered) {
                        show(info.getString("targetId"));
                    }
                }
            }
            case "Target.targetInfoChanged" -> updated(params.getJsonObject("targetInfo", new JsonObject()));
            case "Target.targetDestroyed" -> {
                String gone = params.getString("targetId");
                if (tabs.remove(gone) != null && discovered) {
                    if (gone.equals(current)) {
                        List<String> left = new ArrayList<>(tabs.keySet());
                        session = null;
                        show(left.isEmpty() ? null : left.get(left.size() - 1));
                    } else {
                        sendTabs();
                    }
                }
            }
            default -> {
                // Other events of the sessions the agent opened: nothing to show.
            }
        }
    }

    /** Takes a known tab's new info, and tells the viewer if it changed. */
    private void updated(JsonObject info) {
        JsonObject known = tabs.get(info.getString("targetId"));
        if (known != null && !known.equals(tab(info))) {
            tabs.put(info.getString("targetId"), tab(info));
            if (discovered) {
                sendTabs();
            }
        }
    }

    private void refreshTabs() {
        if (cdp.isClosed()) {
            vertx.cancelTimer(refreshTimer);
            return;
        }
        cdp.send(null, "Target.getTargets", new JsonObject())
                .onSuccess(answer -> answer.getJsonArray("targetInfos", new JsonArray()).stream()
                        .map(JsonObject.class::cast)
                        .forEach(this::updated))
                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not list the tabs"));
    }

    private void frame(String frameSession, JsonObject params) {
        Object ack = params.getValue("sessionId");
        if (frameSession == null || !frameSession.equals(session)) {
            return;
        }
        framed = true;
        JsonObject metadata = params.getJsonObject("metadata", new JsonObject());
        // Chromium encodes frames side by side and sends each when done, so an older one can come after a newer:
        // shown last, it would stay on the viewer of a page at rest. Acknowledged, not shown.
        double taken = metadata.getDouble("timestamp", 0.0);
        if (taken < newestFrame) {
            cdp.send(frameSession, "Page.screencastFrameAck", new JsonObject().put("sessionId", ack))
                    .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not acknowledge a frame"));
            return;
        }
        newestFrame = taken;
        String shown = current;
        // The viewer maps its input by the frame's deviceWidth/deviceHeight, which must be the page's CSS viewport:
        // a tab opened by Target.createTarget in a window larger than the frame reports the frame's scaled size
        // there, so clicks would land off by that scale. The layout metrics say the viewport itself.
        // Bounded: a frame waits for no answer that may never come, or the screencast, waiting for its ack, stalls.
        cdp.send(frameSession, "Page.getLayoutMetrics", new JsonObject())
                .timeout(1, TimeUnit.SECONDS)
                .map(metrics -> {
                    JsonObject viewport = metrics.getJsonObject("cssVisualViewport");
                    return viewport == null
                            ? metadata
                            : metadata.copy()
                                    .put("deviceWidth", viewport.getDouble("clientWidth"))
                                    .put("deviceHeight", viewport.getDouble("clientHeight"));
                })
                .otherwise(metadata)
                .compose(viewportMetadata -> screen.send(new JsonObject()
                        .put("type", "frame")
                        .put("targetId", shown)
                        .put("data", params.getString("data"))
                        .put("metadata", viewportMetadata)))
                .onComplete(written -> {
                    if (frameSession.equals(session)) {
                        cdp.send(frameSession, "Page.screencastFrameAck", new JsonObject().put("sessionId", ack))
                                .onFailure(e -> LOG.log(Level.FINE, e, () -> "could not acknowledge a frame"));
                    }
                });
    }

    private static JsonObject tab(JsonObject info) {
        return new JsonObject()
                .put("targetId", info.getString("targetId"))
                .put("title", info.getString("title", ""))
                .put("url", info.getString("url", ""));
    }
}
