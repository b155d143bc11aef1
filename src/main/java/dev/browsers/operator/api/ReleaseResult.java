package dev.browsers.operator.api;

/** Answer of both release endpoints, Steel's {@code SessionReleaseResponse}. */
public record ReleaseResult(boolean success, String message) {}
