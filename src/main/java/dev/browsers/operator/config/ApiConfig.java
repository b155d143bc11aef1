package dev.browsers.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The Steel-compatible REST API, under {@code browser-operator.api.*}. */
@ConfigMapping(prefix = "browser-operator.api")
public interface ApiConfig {
    /** Local mode's default API key: known to all, so it is only ever served on loopback. */
    String WELL_KNOWN_LOCAL_KEY = "local";

    /** Serve /v1/**; when false every /v1 path answers 404. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Serve the sessions dashboard at /dashboard/ (it signs in with an API key). Unset: on in local mode, off in a
     * cluster.
     */
    Optional<Boolean> dashboard();

    /** The most dashboards watching one namespace at once; more are refused with 429. */
    @WithDefault("20")
    int maxDashboardsPerNamespace();

    /** Local mode only: the API key written to the key Secret in namespace default at start-up. */
    @WithDefault(WELL_KNOWN_LOCAL_KEY)
    String localKey();
}
