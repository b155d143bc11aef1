package dev.browsers.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The operator's Kubernetes client reads objects without {@code metadata.managedFields}: the API server adds an
 * untyped field-ownership tree to every object (about 100 small maps each), which the informer caches would hold
 * for every session, pod and Secret — most of the heap at 10 000 sessions. Nothing here reads it: the operator
 * does not use server-side apply, and writes leave the server's field ownership as it is (an absent
 * {@code managedFields} is not a change).
 */
@Singleton
public class WithoutManagedFields implements KubernetesClientObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(ObjectMeta.class, IgnoreManagedFields.class);
    }

    @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
    private interface IgnoreManagedFields {}
}
