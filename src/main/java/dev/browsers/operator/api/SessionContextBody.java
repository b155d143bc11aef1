package dev.browsers.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.browsers.operator.model.AgentContract;
import dev.browsers.operator.model.ContextRules;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A create's {@code sessionContext}, Steel's shape, checked field by field: {@code cookies} (CDP cookies) and
 * {@code localStorage} (items by origin). Session storage and IndexedDB belong to a tab or are not offered: refused
 * unless empty. Bounded by {@link AgentContract#CONTEXT_MAX_BYTES}, {@link AgentContract#CONTEXT_MAX_COOKIES} and
 * {@link AgentContract#CONTEXT_MAX_ORIGINS}.
 */
final class SessionContextBody {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELD = "sessionContext";
    private static final Set<String> STRING_FIELDS =
            Set.of("name", "value", "url", "domain", "path", "sameSite", "priority", "sourceScheme");
    private static final Set<String> BOOLEAN_FIELDS = Set.of("secure", "httpOnly", "sameParty", "session");
    private static final Set<String> NUMBER_FIELDS = Set.of("expires", "size", "sourcePort");
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "sameSite", Set.of("Strict", "Lax", "None"),
            "priority", Set.of("Low", "Medium", "High"),
            "sourceScheme", Set.of("Unset", "NonSecure", "Secure"));

    private SessionContextBody() {}

    /** @return the context as compact JSON (cookies and localStorage only), or empty when it asks for nothing */
    static Optional<String> validate(JsonNode value) {
        if (!value.isObject()) {
            throw ApiException.badRequest(FIELD + ": " + ApiErrors.shown(value.toString())
                    + " is not an object; allowed: {\"cookies\": [...], \"localStorage\": {origin: {key: value}}}");
        }
        ObjectNode context = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode member = field.getValue();
            switch (field.getKey()) {
                case AgentContract.CONTEXT_COOKIES -> cookies(member, context);
                case AgentContract.CONTEXT_LOCAL_STORAGE -> localStorage(member, context);
                case "sessionStorage", "indexedDB" -> {
                    if (!member.isNull() && !member.isEmpty()) {
                        throw ApiException.badRequest(FIELD + "." + field.getKey()
                                + " is not supported by this server (it belongs to a tab, or is not restored);"
                                + " allowed: {} or absent; cookies and localStorage are restored");
                    }
                }
                default ->
                    throw ApiException.badRequest(FIELD + ": unknown field "
                            + ApiErrors.quoted(field.getKey())
                            + "; allowed: cookies, localStorage, sessionStorage ({}),"
                            + " indexedDB ({})");
            }
        }
        if (context.isEmpty()) {
            return Optional.empty();
        }
        String json = context.toString();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > AgentContract.CONTEXT_MAX_BYTES) {
            throw ApiException.badRequest(
                    FIELD + ": " + bytes + " bytes of JSON; allowed: at most " + AgentContract.CONTEXT_MAX_BYTES);
        }
        return Optional.of(json);
    }

    private static void cookies(JsonNode cookies, ObjectNode context) {
        String field = FIELD + ".cookies";
        if (cookies.isNull()) {
            return;
        }
        if (!cookies.isArray()) {
            throw ApiException.badRequest(field + ": not an array of cookies");
        }
        if (cookies.size() > AgentContract.CONTEXT_MAX_COOKIES) {
            throw ApiException.badRequest(
                    field + ": " + cookies.size() + " cookies; allowed: at most " + AgentContract.CONTEXT_MAX_COOKIES);
        }
        for (int i = 0; i < cookies.size(); i++) {
            cookie(field + "[" + i + "]", cookies.get(i));
        }
        if (!cookies.isEmpty()) {
            context.set(AgentContract.CONTEXT_COOKIES, cookies);
        }
    }

    private static void cookie(String field, JsonNode cookie) {
        if (!cookie.isObject()) {
            throw ApiException.badRequest(
                    field + ": not an object; allowed: a cookie with name, value and domain" + " or url");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cookie.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            JsonNode value = member.getValue();
            String where = field + "." + name;
            if (STRING_FIELDS.contains(name)) {
                if (!value.isTextual()) {
                    throw ApiException.badRequest(where + ": not a string");
                }
                Set<String> allowed = ENUMS.get(name);
                if (allowed != null && !allowed.contains(value.asText())) {
                    throw ApiException.badRequest(where + ": " + ApiErrors.quoted(value.asText())
                            + " is not allowed; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            } else if (BOOLEAN_FIELDS.contains(name)) {
                if (!value.isBoolean()) {
                    throw ApiException.badRequest(where + ": not a boolean");
                }
            } else if (NUMBER_FIELDS.contains(name)) {
                if (!value.isNumber()) {
                    throw ApiException.badRequest(where + ": not a number");
                }
            } else if (name.equals("partitionKey")) {
                if (!value.isObject()
                        || !value.path("topLevelSite").isTextual()
                        || !value.path("hasCrossSiteAncestor").isBoolean()) {
                    throw ApiException.badRequest(
                            where + ": allowed: {\"topLevelSite\": string, \"hasCrossSiteAncestor\": boolean}");
                }
            } else {
                throw ApiException.badRequest(field + ": unknown field " + ApiErrors.quoted(name)
                        + "; allowed: the fields of Steel's cookie (CDP's Network.Cookie)");
            }
        }
        if (!cookie.has("name") || !cookie.has("value")) {
            throw ApiException.badRequest(field + ": missing " + (cookie.has("name") ? "value" : "name")
                    + "; a cookie needs a name and a value");
        }
        if (!cookie.has("domain") && !cookie.has("url")) {
            throw ApiException.badRequest(field + ": missing domain or url; a cookie needs one of them");
        }
    }

    private static void localStorage(JsonNode storage, ObjectNode context) {
        String field = FIELD + ".localStorage";
        if (storage.isNull()) {
            return;
        }
        if (!storage.isObject()) {
            throw ApiException.badRequest(field + ": not an object; allowed: {origin: {key: value}}");
        }
        if (storage.size() > AgentContract.CONTEXT_MAX_ORIGINS) {
            throw ApiException.badRequest(
                    field + ": " + storage.size() + " origins; allowed: at most " + AgentContract.CONTEXT_MAX_ORIGINS);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = storage.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> origin = it.next();
            String where = field + "[" + ApiErrors.quoted(origin.getKey()) + "]";
            if (!ContextRules.isOrigin(origin.getKey())) {
                throw ApiException.badRequest(where + ": not an origin; allowed: http(s)://host[:port], no path");
            }
            JsonNode items = origin.getValue();
            if (!items.isObject()) {
                throw ApiException.badRequest(where + ": not an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> item = items.fields(); item.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = item.next();
                if (!entry.getValue().isTextual()) {
                    throw ApiException.badRequest(where + "[" + ApiErrors.quoted(entry.getKey()) + "]: not a string");
                }
            }
        }
        if (!storage.isEmpty()) {
            context.set(AgentContract.CONTEXT_LOCAL_STORAGE, storage);
        }
    }
}
