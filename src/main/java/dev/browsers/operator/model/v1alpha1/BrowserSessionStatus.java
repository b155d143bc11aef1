package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state. Timestamps are RFC 3339 strings with millisecond precision (UTC).
 *
 * <p>The schema customizer declares {@code conditions} as Kubernetes declares metav1.Condition lists: a list-map
 * keyed by {@code type} (at most one entry per type; merged by type), with metav1.Condition's required fields and
 * constraints. The generator has no annotation for list types. {@code message} stays optional: the operator may
 * leave it out.
 */
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
public class BrowserSessionStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Phase phase;
    private Reason reason;

    @JsonPropertyDescription("Human-readable detail of the phase and reason.")
    private String message;

    private String podName;

    @JsonPropertyDescription("CDP endpoint of the session's agent, without the token (see the connection Secret).")
    private String websocketUrl;

    @JsonPropertyDescription("The session's live viewer (watch, and take over mouse and keyboard), without the token"
            + " (append ?token= from the connection Secret).")
    private String debugUrl;

    private String connectionSecretName;

    @JsonPropertyDescription("When the operator accepted the session and started its pod.")
    private String startTime;

    @JsonPropertyDescription("When the browser first answered CDP; the timeout counts from here.")
    private String liveTime;

    @JsonPropertyDescription("Hard deadline: liveTime + timeout.")
    private String expiresAt;

    @JsonPropertyDescription("When the session is released for inactivity unless a client is active before then.")
    private String inactivityDeadline;

    @JsonPropertyDescription("Last client activity the operator has recorded from the session's agent.")
    private String lastActivityTime;

    private String finishedTime;

    @JsonPropertyDescription("Seconds the session was Live, set when it finishes.")
    private Double durationSeconds;

    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();

    public BrowserSessionStatus() {}

    /** A deep copy, so a decision can change it without touching the observed status. */
    public BrowserSessionStatus copy() {
        return JSON.convertValue(this, BrowserSessionStatus.class);
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public Reason getReason() {
        return reason;
    }

    public void setReason(Reason reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getPodName() {
        return podName;
    }

    public void setPodName(String podName) {
        this.podName = podName;
    }

    public String getWebsocketUrl() {
        return websocketUrl;
    }

    public void setWebsocketUrl(String websocketUrl) {
        this.websocketUrl = websocketUrl;
    }

    public String getDebugUrl() {
        return debugUrl;
    }

    public void setDebugUrl(String debugUrl) {
        this.debugUrl = debugUrl;
    }

    public String getConnectionSecretName() {
        return connectionSecretName;
    }

    public void setConnectionSecretName(String name) {
        this.connectionSecretName = name;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getLiveTime() {
        return liveTime;
    }

    public void setLiveTime(String liveTime) {
        this.liveTime = liveTime;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getInactivityDeadline() {
        return inactivityDeadline;
    }

    public void setInactivityDeadline(String deadline) {
        this.inactivityDeadline = deadline;
    }

    public String getLastActivityTime() {
        return lastActivityTime;
    }

    public void setLastActivityTime(String lastActivityTime) {
        this.lastActivityTime = lastActivityTime;
    }

    public String getFinishedTime() {
        return finishedTime;
    }

    public void setFinishedTime(String finishedTime) {
        this.finishedTime = finishedTime;
    }

    public Double getDurationSeconds() {
        return durationSeconds;
    }

    public void setDurationSeconds(Double durationSeconds) {
        this.durationSeconds = durationSeconds;
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

    /** Equal when they serialize alike: the status the operator would write is the same. */
    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof BrowserSessionStatus other
                        && JSON.valueToTree(this).equals(JSON.valueToTree(other));
    }

    @Override
    public int hashCode() {
        return JSON.valueToTree(this).hashCode();
    }

    @Override
    public String toString() {
        return JSON.valueToTree(this).toString();
    }
}
