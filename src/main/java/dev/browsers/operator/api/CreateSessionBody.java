package dev.browsers.operator.api;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of POST /v1/sessions: every field of the SDK's {@code SessionCreateParams}. The honoured ones
 * are kept as raw JSON so that a wrong type gets a message naming the field rather than a parser error.
 */
public class CreateSessionBody {
    static final Set<String> HONORED = Set.of(
            "sessionId",
            "timeout",
            "inactivityTimeout",
            "dimensions",
            "userAgent",
            "blockAds",
            "proxyUrl",
            "sessionContext");

    public JsonNode sessionId;
    public JsonNode timeout;
    /** Not in the SDK's type (Steel has no such field): this operator's inactivity release, in milliseconds. */
    public JsonNode inactivityTimeout;
    /** The browser window's size: spec.dimensions. */
    public JsonNode dimensions;
    /** spec.userAgent. */
    public JsonNode userAgent;
    /** spec.blockAds. */
    public JsonNode blockAds;
    /** spec.proxy.server; its credentials go to a Secret of the session's. */
    public JsonNode proxyUrl;
    /** Cookies and local storage to restore: a Secret of the session's, named by spec.context.secretRef. */
    public JsonNode sessionContext;

    private final List<String> unknown = new ArrayList<>();
    private final List<Map.Entry<String, JsonNode>> refused = new ArrayList<>();

    /** @return empty for an empty body, which takes every default */
    static Optional<CreateSessionBody> parse(byte[] json) {
        return StrictJson.object(json).map(object -> StrictJson.convert(object, CreateSessionBody.class));
    }

    @JsonAnySetter
    void other(String name, JsonNode value) {
        if (RefusedOptions.names().contains(name)) {
            refused.add(Map.entry(name, value));
        } else {
            unknown.add(name);
        }
    }

    List<String> unknownFields() {
        return unknown;
    }

    /** Steel options this server does not offer, as sent: each must have its neutral value. */
    List<Map.Entry<String, JsonNode>> refusedOptions() {
        return refused;
    }

    static String acceptedFields() {
        TreeSet<String> all = new TreeSet<>(RefusedOptions.names());
        all.addAll(HONORED);
        return String.join(", ", all);
    }
}
