package dev.browsers.operator.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the WebSocket URLs in Chromium's {@code /json/*} answers to point at the agent as the client reached it,
 * so clients that discover the endpoint (Puppeteer's browserURL, Playwright's connectOverCDP) connect through it.
 */
final class DevToolsUrls {
    private static final String WEB_SOCKET_URL = "webSocketDebuggerUrl";
    private static final String FRONTEND_URL = "devtoolsFrontendUrl";
    private static final Pattern FRONTEND_WS = Pattern.compile("([?&]ws=)[^/&]*");

    private final String authority;
    private final String tokenQuery;

    /**
     * @param authority host:port of the agent as the client addressed it
     * @param queryToken the token when the client authenticated with the query, so URL-only clients can connect;
     *        null when it used a header
     */
    DevToolsUrls(String authority, String queryToken) {
        this.authority = authority;
        this.tokenQuery = queryToken == null
                ? ""
                : "?" + TokenGuard.QUERY_PARAMETER + "=" + URLEncoder.encode(queryToken, StandardCharsets.UTF_8);
    }

    /** Rewrites, in place, the URLs of a target or browser object, or of each one in a list. */
    void rewrite(Object json) {
        if (json instanceof JsonArray array) {
            array.forEach(this::rewrite);
        } else if (json instanceof JsonObject object) {
            if (object.getValue(WEB_SOCKET_URL) instanceof String url) {
                object.put(WEB_SOCKET_URL, "ws://" + authority + path(url) + tokenQuery);
            }
            if (object.getValue(FRONTEND_URL) instanceof String url) {
                String agentWs = "$1" + Matcher.quoteReplacement(authority);
                object.put(FRONTEND_URL, FRONTEND_WS.matcher(url).replaceFirst(agentWs));
            }
        }
    }

    /** The path of a CDP WebSocket URL, e.g. {@code /devtools/browser/<id>}. */
    static String path(String webSocketUrl) {
        return URI.create(webSocketUrl).getRawPath();
    }
}
