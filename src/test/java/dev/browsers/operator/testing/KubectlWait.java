package dev.browsers.operator.testing;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * The check {@code kubectl wait --for=condition=TYPE[=STATUS]} repeats until it holds (kubectl's
 * ConditionalWait.checkCondition): the first condition of that type, compared case-insensitively, decides; it counts
 * only if it is not older than the object's generation (its own observedGeneration, else the status's); STATUS
 * defaults to True and is compared case-insensitively.
 */
public final class KubectlWait {
    private KubectlWait() {}

    /** {@code kubectl wait --for=condition=Ready}: the session is Live and its browser answers. */
    public static boolean ready(Object object) {
        return conditionMet(object, "Ready", "True");
    }

    /** {@code kubectl wait --for=condition=Stalled}: the session failed and will not recover. */
    public static boolean stalled(Object object) {
        return conditionMet(object, "Stalled", "True");
    }

    /** {@code kubectl wait --for=condition=TYPE=STATUS} on {@code object} (a model object or JSON-shaped maps). */
    @SuppressWarnings("unchecked")
    public static boolean conditionMet(Object object, String type, String status) {
        Map<String, Object> obj = Serialization.jsonMapper().convertValue(object, Map.class);
        Map<String, Object> objectStatus =
                obj.get("status") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
        if (!(objectStatus.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        for (Object item : conditions) {
            if (!(item instanceof Map<?, ?> condition)) {
                return false;
            }
            if (!(condition.get("type") instanceof String name)
                    || !name.equalsIgnoreCase(type)
                    || !(condition.get("status") instanceof String value)) {
                continue;
            }
            Map<String, Object> metadata =
                    obj.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            Object observed = condition.get("observedGeneration") != null
                    ? condition.get("observedGeneration")
                    : objectStatus.get("observedGeneration");
            if (metadata.get("generation") instanceof Number generation
                    && observed instanceof Number seen
                    && seen.longValue() < generation.longValue()) {
                return false;
            }
            return value.equalsIgnoreCase(status);
        }
        return false;
    }
}
