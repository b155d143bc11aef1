package dev.browsers.operator.api;

import dev.browsers.operator.config.ApiConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The gate of /v1/**: switched off by configuration, or open to a known API key with a well-formed path.
 * Pre-matching, so that it also guards paths no endpoint serves, and sees the path before routing bends it.
 */
public class ApiRequestFilters {
    static final String API_KEY_HEADER = "steel-api-key";

    private final ApiConfig config;
    private final ApiKeys keys;
    private final Caller caller;

    ApiRequestFilters(ApiConfig config, ApiKeys keys, Caller caller) {
        this.config = config;
        this.keys = keys;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true)
    public Response gate(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return null;
        }
        if (!config.enabled()) {
            return ApiErrors.response(
                    404,
                    "the Steel-compatible API is disabled on this operator " + "(browser-operator.api.enabled=false)",
                    false);
        }
        String key = request.getHeaderString(API_KEY_HEADER);
        if (key == null || key.isBlank()) {
            return ApiErrors.response(401, "missing API key: send it in the " + API_KEY_HEADER + " header", false);
        }
        Optional<String> namespace = keys.namespaceFor(key);
        if (namespace.isEmpty()) {
            return ApiErrors.response(401, "unknown API key", false);
        }
        caller.grant(namespace.get());
        // As received: JAX-RS's view of the path has already collapsed "//" and resolved dot segments.
        String rawPath = http.path();
        return malformed(rawPath)
                .map(problem ->
                        ApiErrors.response(400, "malformed path " + ApiErrors.quoted(rawPath) + ": " + problem, false))
                .orElse(null);
    }

    /**
     * What routing would otherwise bend into another endpoint: an empty segment ({@code /v1/sessions//release}
     * is what the SDK sends for {@code release('')}), a dot segment ({@code x/../release}) or an encoded "/"
     * all end up matching a different path, release-all among them.
     */
    static Optional<String> malformed(String rawPath) {
        for (String segment : rawPath.substring(1).split("/", -1)) {
            // URLDecoder decodes form data, where "+" is a space; in a path it is itself.
            String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.isEmpty()) {
                return Optional.of("empty segment (a session id cannot be empty)");
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                return Optional.of("\".\" and \"..\" segments are not allowed");
            }
            if (decoded.contains("/")) {
                return Optional.of("a segment contains an encoded \"/\"");
            }
        }
        return Optional.empty();
    }
}
