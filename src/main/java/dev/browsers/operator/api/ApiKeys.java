package dev.browsers.operator.api;

import dev.browsers.operator.config.ApiConfig;
import dev.browsers.operator.config.OperatorConfig;
import dev.browsers.operator.model.ApiKeySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * API keys: Secrets labelled {@code browsers.dev/api-key=true} with the key under data {@code apiKey}. A key
 * grants the namespace its Secret is in: whoever may create Secrets there may create sessions there anyway.
 * Informers keep them in memory (those of the watched namespaces only), so checking a key costs no API call.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final KubernetesClient client;
    private volatile List<SharedIndexInformer<Secret>> informers = List.of();

    ApiKeys(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Watches the keys of the namespaces the operator runs sessions in, and no others: a key elsewhere would start
     * sessions nobody reconciles, and reading Secrets there needs rights the operator is not given.
     */
    void start(@Observes StartupEvent event, ApiConfig config, OperatorConfig operator) {
        if (config.enabled()) {
            // Each blocks until its first list is in, so no request is refused for a key that exists.
            informers = operator.watchNamespaces()
                    .filter(namespaces -> !namespaces.isEmpty())
                    .map(namespaces -> namespaces.stream()
                            .sorted()
                            .map(namespace -> keys(client.secrets().inNamespace(namespace)))
                            .toList())
                    .orElseGet(() -> List.of(keys(client.secrets().inAnyNamespace())));
        }
    }

    private static SharedIndexInformer<Secret> keys(
            FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> secrets) {
        return secrets.withLabel(ApiKeySecrets.LABEL, "true").inform();
    }

    @PreDestroy
    void stop() {
        informers.forEach(SharedIndexInformer::close);
    }

    /**
     * The namespace a key grants. Compares digests in constant time and looks at every key, so the answer
     * time tells nothing about how close a guess was. A key found in two namespaces grants neither.
     */
    Optional<String> namespaceFor(String presented) {
        byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
        Set<String> namespaces = new TreeSet<>();
        for (Secret secret :
                informers.stream().flatMap(i -> i.getStore().list().stream()).toList()) {
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
