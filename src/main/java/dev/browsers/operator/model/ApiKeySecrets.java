package dev.browsers.operator.model;

/**
 * REST API keys: Secrets labelled {@code browsers.dev/api-key=true} with the key under data {@code apiKey}.
 * A key grants the namespace its Secret is in.
 */
public final class ApiKeySecrets {
    public static final String LABEL = SessionLabels.GROUP + "/api-key";
    public static final String KEY_FIELD = "apiKey";

    private ApiKeySecrets() {}
}
