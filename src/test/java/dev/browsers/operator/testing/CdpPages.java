package dev.browsers.operator.testing;

import io.vertx.core.json.JsonObject;

/** Pages driven the way a CDP client drives them: open one, navigate it, read what it shows. */
public final class CdpPages {
    private CdpPages() {}

    /** A new blank page, attached flat; returns its session id. */
    public static String open(CdpClient cdp) throws Exception {
        String targetId = cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"))
                .getString("targetId");
        return cdp.call(
                        "Target.attachToTarget",
                        new JsonObject().put("targetId", targetId).put("flatten", true))
                .getString("sessionId");
    }

    /** A new page showing {@code url}, loaded; fails the test when Chromium cannot load it. Returns its session id. */
    public static String load(CdpClient cdp, String url) throws Exception {
        String session = open(cdp);
        String error = navigate(cdp, session, url);
        if (error != null) {
            throw new AssertionError("Chromium could not load " + url + ": " + error);
        }
        text(cdp, session);
        return session;
    }

    /** Navigates and returns Chromium's error for it ({@code net::ERR_...}), or null when it loaded. */
    public static String navigate(CdpClient cdp, String session, String url) throws Exception {
        return cdp.call("Page.navigate", new JsonObject().put("url", url), session)
                .getString("errorText");
    }

    /** The page's address and text, once it has loaded: {@code <location.href>\n<body text>}. */
    public static String text(CdpClient cdp, String session) throws Exception {
        return cdp.call(
                        "Runtime.evaluate",
                        new JsonObject()
                                .put(
                                        "expression",
                                        "new Promise(done => { const read = () => done(location.href + '\\n'"
                                                + " + (document.body ? document.body.innerText : ''));"
                                                + " document.readyState === 'complete' ? read()"
                                                + " : addEventListener('load', read); })")
                                .put("awaitPromise", true)
                                .put("returnByValue", true),
                        session)
                .getJsonObject("result")
                .getString("value");
    }
}
