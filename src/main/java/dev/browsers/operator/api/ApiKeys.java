package dev.browsers.operator.api;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.model.ApiKeySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * API keys: Secrets labelled {@code browsers.dev/api-key=true} with the key under data {@code apiKey}. A key
 * grants the namespace its Secret is in: whoever may create Secrets there may create sessions there anyway.
 * An informer keeps all of them in memory, so checking a key costs no API call.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final KubernetesClient client;
    private volatile SharedIndexInformer<Secret> informer;

    ApiKeys(KubernetesClient client) {
        this.client = client;
    }

    void start(@Observes StartupEvent event, ApiConfig config) {
        if (config.enabled()) {
            // Blocks until the first list is in, so no request is refused for a key that exists.
            informer = client.secrets()
                    .inAnyNamespace()
                    .withLabel(ApiKeySecrets.LABEL, "true")
                    .inform();
        }
    }

    @PreDestroy
    void stop() {
        if (informer != null) {
            informer.close();
        }
    }

    /**
     * The namespace a key grants. Compares digests in constant time and looks at every key, so the answer
     * time tells nothing about how close a guess was. A key found in two namespaces grants neither.
     */
    Optional<String> namespaceFor(String presented) {
        byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
        Set<String> namespaces = new TreeSet<>();
        for (Secret secret : informer.getStore().list()) {
            String encoded = secret.getData() == null ? null : secret.getData().get(ApiKeySecrets.KEY_FIELD);
            if (encoded != null
                    && MessageDigest.isEqual(digest, sha256(Base64.getDecoder().decode(encoded)))) {
                namespaces.add(secret.getMetadata().getNamespace());
            }
        }
        if (namespaces.size() > 1) {
            LOG.warnf("An API key is configured in several namespaces (%s); it grants none of them", namespaces);
            return Optional.empty();
        }
        return namespaces.stream().findFirst();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
