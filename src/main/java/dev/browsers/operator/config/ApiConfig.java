package dev.browsers.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Steel-compatible REST API, under {@code browser-operator.api.*}. */
@ConfigMapping(prefix = "browser-operator.api")
public interface ApiConfig {
    /** Local mode's default API key: known to all, so it is only ever served on loopback. */
    String WELL_KNOWN_LOCAL_KEY = "local";

    /** Serve /v1/**; when false every /v1 path answers 404. */
    @WithDefault("true")
    boolean enabled();

    /** Local mode only: the API key written to the key Secret in namespace default at start-up. */
    @WithDefault(WELL_KNOWN_LOCAL_KEY)
    String localKey();
}
