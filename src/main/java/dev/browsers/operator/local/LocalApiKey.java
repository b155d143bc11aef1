package dev.browsers.operator.local;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.ApiKeySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
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

    void ensure(@Observes @Priority(1) StartupEvent event, OperatorConfig operator, ApiConfig api,
            KubernetesClient client, @ConfigProperty(name = "quarkus.http.port") int port) {
        if (operator.mode() != OperatorConfig.Mode.local || !api.enabled()) {
            return;
        }
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SECRET_NAME).get();
        if (secret == null) {
            secret = client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                    .withNewMetadata().withName(SECRET_NAME).withNamespace(NAMESPACE)
                    .withLabels(Map.of(ApiKeySecrets.LABEL, "true")).endMetadata()
                    .withData(Map.of(ApiKeySecrets.KEY_FIELD, Base64.getEncoder()
                            .encodeToString(api.localKey().getBytes(StandardCharsets.UTF_8))))
                    .build()).create();
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ApiKeySecrets.KEY_FIELD);
        String key = encoded == null ? "(none: Secret " + NAMESPACE + "/" + SECRET_NAME + " has no " + ApiKeySecrets.KEY_FIELD
                + ")" : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        LOG.infof("Steel-compatible API: baseURL http://localhost:%d, steel-api-key %s", port, key);
    }
}
