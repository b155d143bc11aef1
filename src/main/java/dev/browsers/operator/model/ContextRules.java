package dev.browsers.operator.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a session context must be to be restored: the agent refuses any other at start, so the operator refuses to
 * save any other (a saved context that cannot be restored would stop every session that names its Secret). One
 * home for both: the context is checked as JSON text (its size) and as a parsed tree of {@link Map}s, {@link List}s,
 * strings, numbers and booleans, as any JSON library gives one.
 */
public final class ContextRules {
    private ContextRules() {}

    /** The size rule alone, so that a context over it need not be parsed. */
    public static Optional<String> sizeViolation(String json) {
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        return bytes > AgentContract.CONTEXT_MAX_BYTES
                ? Optional.of("the context is " + bytes + " bytes of JSON, over " + AgentContract.CONTEXT_MAX_BYTES
                        + " bytes, the most a context may have")
                : Optional.empty();
    }

    /**
     * The first rule a parsed context breaks, naming the field, never its content beyond keys.
     *
     * @param context the parsed JSON, null when it was no JSON at all
     */
    public static Optional<String> shapeViolation(Object context) {
        if (!(context instanceof Map<?, ?> fields)) {
            return Optional.of("the context is not a JSON object");
        }
        for (Object field : fields.keySet()) {
            if (!AgentContract.CONTEXT_COOKIES.equals(field) && !AgentContract.CONTEXT_LOCAL_STORAGE.equals(field)) {
                return Optional.of("field " + field + " is not supported; allowed: cookies, localStorage");
            }
        }
        Object cookies = fields.get(AgentContract.CONTEXT_COOKIES);
        if (cookies != null) {
            if (!(cookies instanceof List<?> list)) {
                return Optional.of(AgentContract.CONTEXT_COOKIES + " must be an array");
            }
            if (list.size() > AgentContract.CONTEXT_MAX_COOKIES) {
                return Optional.of(
                        "cookies has " + list.size() + " entries; at most " + AgentContract.CONTEXT_MAX_COOKIES);
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> cookie)
                        || !(cookie.get("name") instanceof String)
                        || !(cookie.get("value") instanceof String)) {
                    return Optional.of("cookies[" + i + "] needs a name and a value, both strings");
                }
            }
        }
        Object storage = fields.get(AgentContract.CONTEXT_LOCAL_STORAGE);
        if (storage != null) {
            if (!(storage instanceof Map<?, ?> origins)) {
                return Optional.of(AgentContract.CONTEXT_LOCAL_STORAGE + " must be an object");
            }
            if (origins.size() > AgentContract.CONTEXT_MAX_ORIGINS) {
                return Optional.of("localStorage has " + origins.size() + " origins; at most "
                        + AgentContract.CONTEXT_MAX_ORIGINS);
            }
            for (Map.Entry<?, ?> origin : origins.entrySet()) {
                if (!isOrigin(String.valueOf(origin.getKey()))) {
                    return Optional.of(
                            "localStorage key " + origin.getKey() + " is not an origin such as https://example.com");
                }
                if (!(origin.getValue() instanceof Map<?, ?> items)
                        || items.values().stream().anyMatch(v -> !(v instanceof String))) {
                    return Optional.of("localStorage[" + origin.getKey() + "] must be an object of strings");
                }
            }
        }
        return Optional.empty();
    }

    /** {@code http} or {@code https}, a host, maybe a port, nothing else. */
    public static boolean isOrigin(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
