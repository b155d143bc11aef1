package dev.browsers.operator.dependent;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.browsers.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A browser class's pod settings beyond its containers ({@link OperatorConfig.Pod}), read once: the Kubernetes-typed
 * ones are parsed at start-up, so a malformed value stops the operator naming its key instead of failing every
 * session later.
 */
record PodOverlay(
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity,
        List<TopologySpreadConstraint> topologySpreadConstraints,
        String priorityClassName,
        String runtimeClassName,
        List<LocalObjectReference> imagePullSecrets,
        Map<String, String> labels,
        Map<String, String> annotations) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** @param key the configuration key of the pod settings, named in errors */
    static PodOverlay of(String key, OperatorConfig.Pod pod) {
        return new PodOverlay(
                Map.copyOf(pod.nodeSelector()),
                parse(key + ".tolerations", pod.tolerations(), new TypeReference<List<Toleration>>() {})
                        .orElse(List.of()),
                parse(key + ".affinity", pod.affinity(), new TypeReference<Affinity>() {})
                        .orElse(null),
                parse(
                                key + ".topology-spread-constraints",
                                pod.topologySpreadConstraints(),
                                new TypeReference<List<TopologySpreadConstraint>>() {})
                        .orElse(List.of()),
                pod.priorityClassName().orElse(null),
                pod.runtimeClassName().orElse(null),
                pod.imagePullSecrets().orElse(List.of()).stream()
                        .map(LocalObjectReference::new)
                        .toList(),
                Map.copyOf(pod.labels()),
                Map.copyOf(pod.annotations()));
    }

    /** JSON or YAML (JSON is YAML), as Kubernetes objects appear in a pod spec. */
    private static <T> Optional<T> parse(String key, Optional<String> text, TypeReference<T> type) {
        return text.filter(t -> !t.isBlank()).map(t -> {
            try {
                T value = SERIALIZATION.unmarshal(new ByteArrayInputStream(t.getBytes(StandardCharsets.UTF_8)), type);
                if (value == null) {
                    throw new IllegalArgumentException("empty");
                }
                return value;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        key + ": expected " + type.getType().getTypeName().replaceAll("[\\w.]+\\.", "")
                                + " as JSON or YAML (" + e.getMessage() + "): " + t,
                        e);
            }
        });
    }
}
