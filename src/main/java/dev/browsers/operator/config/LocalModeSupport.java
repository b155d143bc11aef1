package dev.browsers.operator.config;

/**
 * Implemented by local mode's bean. The cluster image's build ({@code ./mvnw package -Dcluster}) leaves local
 * mode out, so there it has no implementation and {@code browser-operator.mode=local} is refused at start-up.
 */
public interface LocalModeSupport {}
