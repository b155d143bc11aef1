package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a pool; conditions as in {@link BrowserSessionStatus} (a list-map keyed by type). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {"conditions": {
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["type"],
          "items": {
            "required": ["type", "status", "reason", "lastTransitionTime"],
            "properties": {
              "type": {"maxLength": 316,
                "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"},
              "status": {"enum": ["True", "False", "Unknown"]},
              "observedGeneration": {"format": "int64", "minimum": 0},
              "lastTransitionTime": {"format": "date-time"},
              "reason": {"maxLength": 1024, "minLength": 1, "pattern": "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"},
              "message": {"maxLength": 32768}
            }
          }
        }}}
        """)
public class BrowserPoolStatus {
    @JsonPropertyDescription("Warm pods Ready to be claimed.")
    private Integer ready;

    @JsonPropertyDescription("Warm pods started and not Ready yet.")
    private Integer starting;

    @JsonPropertyDescription("Pods of the pool that sessions claimed and still run.")
    private Integer claimed;

    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();

    public BrowserPoolStatus() {}

    public Integer getReady() {
        return ready;
    }

    public void setReady(Integer ready) {
        this.ready = ready;
    }

    public Integer getStarting() {
        return starting;
    }

    public void setStarting(Integer starting) {
        this.starting = starting;
    }

    public Integer getClaimed() {
        return claimed;
    }

    public void setClaimed(Integer claimed) {
        this.claimed = claimed;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrowserPoolStatus other
                && Objects.equals(ready, other.ready)
                && Objects.equals(starting, other.starting)
                && Objects.equals(claimed, other.claimed)
                && Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ready, starting, claimed, observedGeneration, conditions);
    }
}
