package dev.browsers.operator.api;

import dev.browsers.operator.config.ApiConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The gate of /v1/**: switched off by configuration, or open to a known API key. Pre-matching, so that it
 * also guards paths no endpoint serves.
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
    public Response gate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return null;
        }
        if (!config.enabled()) {
            return ApiErrors.response(404, "the Steel-compatible API is disabled on this operator "
                    + "(browser-operator.api.enabled=false)", false);
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
        return null;
    }
}
