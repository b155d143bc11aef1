package dev.browsers.operator.testing;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * kstatus's status of a custom resource: a port of {@code Compute} in sigs.k8s.io/cli-utils/pkg/kstatus/status
 * (core.go, generic.go) for kinds without built-in rules, which is what Flux's health checks and Helm 4's
 * {@code --wait} conclude about a BrowserSession. In order:
 * <ol>
 *   <li>{@code metadata.deletionTimestamp} set: Terminating;</li>
 *   <li>{@code metadata.generation} and {@code status.observedGeneration} both set and different: InProgress
 *       (LatestGenerationNotObserved);</li>
 *   <li>the first condition, in list order, that is {@code Reconciling=True} (InProgress) or {@code Stalled=True}
 *       (Failed), with that condition's reason and message;</li>
 *   <li>a {@code Ready} condition: True is Current, False or Unknown InProgress;</li>
 *   <li>otherwise Current: kstatus cannot tell a resource whose controller has not written a status yet from one
 *       that never will.</li>
 * </ol>
 * The rules kstatus has for built-in kinds (Deployment, Pod, Job, ...) are not ported.
 */
public final class KStatus {
    public enum Status {
        InProgress,
        Failed,
        Current,
        Terminating
    }

    /** A condition kstatus sets on its result (abnormal-true: Reconciling or Stalled, always True). */
    public record Condition(String type, String status, String reason, String message) {}

    public record Result(Status status, String message, List<Condition> conditions) {}

    private KStatus() {}

    /** The status of {@code object}: a model object or JSON-shaped maps. */
    @SuppressWarnings("unchecked")
    public static Result compute(Object object) {
        Map<String, Object> obj = Serialization.jsonMapper().convertValue(object, Map.class);
        Map<String, Object> metadata = map(obj.get("metadata"));
        Map<String, Object> status = map(obj.get("status"));

        if (metadata.get("deletionTimestamp") instanceof String deletion && !deletion.isEmpty()) {
            return new Result(Status.Terminating, "Resource scheduled for deletion", List.of());
        }
        if (metadata.get("generation") instanceof Number generation
                && status.get("observedGeneration") instanceof Number observed
                && generation.longValue() != observed.longValue()) {
            String message = obj.get("kind") + " generation is " + generation + ", but latest observed generation is "
                    + observed;
            return inProgress("LatestGenerationNotObserved", message);
        }
        List<Map<String, Object>> conditions =
                status.get("conditions") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
        for (Map<String, Object> condition : conditions) {
            if ("True".equals(condition.get("status"))) {
                if ("Reconciling".equals(condition.get("type"))) {
                    return inProgress(text(condition, "reason"), text(condition, "message"));
                }
                if ("Stalled".equals(condition.get("type"))) {
                    return new Result(
                            Status.Failed,
                            text(condition, "message"),
                            List.of(new Condition(
                                    "Stalled", "True", text(condition, "reason"), text(condition, "message"))));
                }
            }
        }
        for (Map<String, Object> condition : conditions) {
            if (!"Ready".equals(condition.get("type"))) {
                continue;
            }
            switch (String.valueOf(condition.get("status"))) {
                case "True":
                    return new Result(Status.Current, "Resource is Ready", List.of());
                case "False":
                case "Unknown":
                    return inProgress(text(condition, "reason"), text(condition, "message"));
                default:
                    break;
            }
        }
        return new Result(Status.Current, "Resource is current", List.of());
    }

    private static Result inProgress(String reason, String message) {
        return new Result(Status.InProgress, message, List.of(new Condition("Reconciling", "True", reason, message)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** Go's zero value for a missing string. */
    private static String text(Map<String, Object> condition, String key) {
        return condition.get(key) instanceof String s ? s : "";
    }
}
