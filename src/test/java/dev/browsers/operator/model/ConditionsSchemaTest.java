package dev.browsers.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.testing.SessionStatuses;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * status.conditions in the committed CRD is a list-map keyed by type in metav1.Condition's shape, and the conditions
 * the operator writes fit it: the mock API server the other tests use does not validate, a real one does.
 */
class ConditionsSchemaTest {
    static Map<String, Object> conditions;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readCommittedCrd() throws IOException {
        Map<String, Object> crd =
                Serialization.unmarshal(Files.readString(Path.of("crds", CrdDriftIT.FILE)), Map.class);
        Map<String, Object> version =
                ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).get(0);
        conditions = (Map<String, Object>) properties((Map<String, Object>) properties((Map<String, Object>)
                                ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema"))
                        .get("status"))
                .get("conditions");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> schema) {
        return (Map<String, Object>) schema.get("properties");
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAListMapKeyedByTypeInMetav1ConditionShape() {
        assertThat(conditions)
                .containsEntry("x-kubernetes-list-type", "map")
                .containsEntry("x-kubernetes-list-map-keys", List.of("type"));
        Map<String, Object> item = (Map<String, Object>) conditions.get("items");
        // A list-map key must be required (or defaulted), or the API server refuses the CRD.
        assertThat((List<String>) item.get("required"))
                .containsExactlyInAnyOrder("type", "status", "reason", "lastTransitionTime");
        assertThat(properties(item))
                .containsOnlyKeys("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
    }

    @Test
    void theLifecyclesConditionsFit() {
        for (Map.Entry<String, BrowserSession> session : SessionStatuses.all().entrySet()) {
            assertThat(violations(session.getValue())).as(session.getKey()).isEmpty();
        }
    }

    @Test
    void aConditionWithoutReasonOrWithADuplicateTypeDoesNot() {
        BrowserSession live = SessionStatuses.live();
        List<io.fabric8.kubernetes.api.model.Condition> conditions =
                live.getStatus().getConditions();
        conditions.stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow()
                .setReason(null);
        conditions.add(conditions.stream()
                .filter(c -> c.getType().equals("Reconciling"))
                .findFirst()
                .orElseThrow());
        assertThat(violations(live)).containsExactly("Ready: reason is required", "Reconciling: duplicate type");
    }

    /** What the API server would say about the session's conditions, for the keywords this schema uses. */
    @SuppressWarnings("unchecked")
    static List<String> violations(BrowserSession session) {
        List<String> violations = new ArrayList<>();
        if (session.getStatus() == null) {
            return violations;
        }
        Map<String, Object> item = (Map<String, Object>) conditions.get("items");
        Map<String, Map<String, Object>> fields = (Map<String, Map<String, Object>>) item.get("properties");
        Map<Object, Boolean> types = new LinkedHashMap<>();
        for (Object each :
                Serialization.jsonMapper().convertValue(session.getStatus().getConditions(), List.class)) {
            Map<String, Object> condition = (Map<String, Object>) each;
            Object type = condition.get("type");
            if (types.put(type, true) != null) {
                violations.add(type + ": duplicate type");
            }
            for (String required : (List<String>) item.get("required")) {
                if (condition.get(required) == null) {
                    violations.add(type + ": " + required + " is required");
                }
            }
            condition.forEach((name, value) -> {
                Map<String, Object> field = fields.get(name);
                if (field == null) {
                    violations.add(type + ": unknown field " + name);
                } else if (value != null) {
                    check(type + ": " + name, field, value, violations);
                }
            });
        }
        return violations;
    }

    @SuppressWarnings("unchecked")
    static void check(String where, Map<String, Object> field, Object value, List<String> violations) {
        if (field.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            violations.add(where + " not in " + allowed);
        }
        if (value instanceof String text) {
            if (field.get("maxLength") instanceof Number max && text.length() > max.intValue()) {
                violations.add(where + " longer than " + max);
            }
            if (field.get("minLength") instanceof Number min && text.length() < min.intValue()) {
                violations.add(where + " shorter than " + min);
            }
            if (field.get("pattern") instanceof String pattern
                    && !Pattern.compile(pattern).matcher(text).find()) {
                violations.add(where + " does not match " + pattern);
            }
            if ("date-time".equals(field.get("format"))) {
                try {
                    OffsetDateTime.parse(text);
                } catch (RuntimeException e) {
                    violations.add(where + " is not a date-time");
                }
            }
        }
        if (value instanceof Number number
                && field.get("minimum") instanceof Number min
                && number.doubleValue() < min.doubleValue()) {
            violations.add(where + " below " + min);
        }
    }
}
