package dev.browsers.operator.local;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.ApiKeySecrets;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Local mode: makes the API usable at once, with a known key for namespace {@code default}. Observes start-up
 * before the API lists the keys, so the first request already finds it.
 */
@ApplicationScoped
class LocalApiKey {
    static final String NAMESPACE = "default";
    static final String SECRET_NAME = "browser-operator-api-key";
    private static final Logger LOG = Logger.getLogger(LocalApiKey.class);

    /**
     * Refuses to serve the well-known key beyond this machine: anyone who can reach the port would know it. Runs
     * before the HTTP server opens its socket, so the port is never reachable with that key.
     */
    void refuseWellKnownKeyBeyondLoopback(
            @Observes @Priority(0) StartupEvent event,
            OperatorConfig operator,
            ApiConfig api,
            @ConfigProperty(name = "quarkus.http.host") String host) {
        if (operator.mode() == OperatorConfig.Mode.local
                && api.enabled()
                && ApiConfig.WELL_KNOWN_LOCAL_KEY.equals(api.localKey())
                && !loopbackOnly(host)) {
            throw new IllegalStateException("Refusing to start: quarkus.http.host=" + host + " would serve the "
                    + "REST API beyond this machine with the well-known API key \"" + ApiConfig.WELL_KNOWN_LOCAL_KEY
                    + "\". Set "
                    + "browser-operator.api.local-key to a secret key, or quarkus.http.host back to 127.0.0.1.");
        }
    }

    static boolean loopbackOnly(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    void ensure(
            @Observes @Priority(1) StartupEvent event,
            OperatorConfig operator,
            ApiConfig api,
            KubernetesClient client,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        if (operator.mode() != OperatorConfig.Mode.local || !api.enabled()) {
            return;
        }
        // The configured key wins over one kept from an earlier run.
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET_NAME)
                        .withNamespace(NAMESPACE)
                        .withLabels(Map.of(ApiKeySecrets.LABEL, "true"))
                        .endMetadata()
                        .withData(Map.of(
                                ApiKeySecrets.KEY_FIELD,
                                Base64.getEncoder()
                                        .encodeToString(api.localKey().getBytes(StandardCharsets.UTF_8))))
                        .build())
                .createOr(existing -> existing.update());
        // A key of one's own is a secret: it stays out of the log.
        String shown = ApiConfig.WELL_KNOWN_LOCAL_KEY.equals(api.localKey())
                ? api.localKey()
                : "(the one set in browser-operator.api.local-key)";
        LOG.infof("Steel-compatible API: baseURL http://localhost:%d, steel-api-key %s", port, shown);
        if (api.dashboard().orElse(true)) {
            LOG.infof("Sessions dashboard: http://localhost:%d/dashboard/", port);
        }
    }
}
