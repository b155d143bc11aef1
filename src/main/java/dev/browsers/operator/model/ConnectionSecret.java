package dev.browsers.operator.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of Secret {@code <session>-connection}: the session token, and once Live the CDP URL carrying it.
 * Readers take the Secret's {@code data} map (base64 values), so this class needs no Kubernetes types.
 */
public final class ConnectionSecret {
    public static final String TOKEN_KEY = "token";
    public static final String WEBSOCKET_URL_KEY = "websocketUrl";

    private ConnectionSecret() {}

    /** The agent's CDP URL as clients use it: with the token in the query. */
    public static String withToken(String url, String token) {
        return url + (url.contains("?") ? "&" : "?") + AgentContract.TOKEN_QUERY_PARAMETER + "=" + token;
    }

    public static Optional<String> token(Map<String, String> data) {
        return decoded(data, TOKEN_KEY);
    }

    /** The CDP URL with the token, once the session is Live. */
    public static Optional<String> websocketUrl(Map<String, String> data) {
        return decoded(data, WEBSOCKET_URL_KEY);
    }

    private static Optional<String> decoded(Map<String, String> data, String key) {
        return Optional.ofNullable(data)
                .map(d -> d.get(key))
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
    }
}
