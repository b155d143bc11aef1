package dev.browsers.operator.model.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SchemaCustomizer} that applies its input to the generated schema as an RFC 7386 JSON merge patch: nested
 * objects merge, null removes. Fabric8's own {@code MergePatchCustomizer} replaces each top-level field whole, so
 * patching one property would drop all the others.
 *
 * <p>Used only by the build's CRD generator; the operator never loads it.
 */
public final class SchemaMergePatch implements SchemaCustomizer.Customizer {

    @Override
    @SuppressWarnings("unchecked")
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        Map<String, Object> schema = serialization.convertValue(props, Map.class);
        Map<String, Object> patch = serialization.unmarshal(input, Map.class);
        return serialization.convertValue(merge(schema, patch), JSONSchemaProps.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else if (value instanceof Map<?, ?> patchObject && result.get(key) instanceof Map<?, ?> targetObject) {
                result.put(key, merge((Map<String, Object>) targetObject, (Map<String, Object>) patchObject));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }
}
