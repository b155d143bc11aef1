package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrowserPoolSpec {
    /** The most warm pods one pool keeps; a warm pod holds its full resource requests while it waits. */
    public static final int MAX_SIZE = 100;

    @JsonPropertyDescription("How many Ready browser pods to keep waiting, from 0 to " + MAX_SIZE + ".")
    @Required
    @Min(0)
    @Max(MAX_SIZE)
    private Integer size;

    @JsonPropertyDescription(
            "The browser class of the pool's pods; defaults to 'default'. Only sessions of this class" + " claim them.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    private String browserClassName;

    @JsonPropertyDescription("Optional: the most browsers the pool accounts for at once, warm and claimed by sessions"
            + " still running. At the limit the pool stops refilling; further sessions get pods of their own.")
    @Min(1)
    @Max(100_000)
    private Integer maxSessions;

    @JsonPropertyDescription("Optional: a warm pod not claimed within this long is replaced by a fresh one, as a"
            + " duration (30m, 2h). Default: the operator's (1h).")
    @Pattern(BrowserSessionSpec.DURATION_PATTERN)
    @Size(max = 64)
    @ValidationRule(
            value = "duration(self) >= duration('1m') && duration(self) <= duration('168h')",
            message = "spec.maxPodAge must be a duration from 1m to 168h, such as 30m or 2h")
    private String maxPodAge;

    public BrowserPoolSpec() {}

    public Integer getSize() {
        return size;
    }

    public void setSize(Integer size) {
        this.size = size;
    }

    public BrowserPoolSpec withSize(int size) {
        this.size = size;
        return this;
    }

    public String getBrowserClassName() {
        return browserClassName;
    }

    public void setBrowserClassName(String browserClassName) {
        this.browserClassName = browserClassName;
    }

    public BrowserPoolSpec withBrowserClassName(String browserClassName) {
        this.browserClassName = browserClassName;
        return this;
    }

    public Integer getMaxSessions() {
        return maxSessions;
    }

    public void setMaxSessions(Integer maxSessions) {
        this.maxSessions = maxSessions;
    }

    public BrowserPoolSpec withMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
        return this;
    }

    public String getMaxPodAge() {
        return maxPodAge;
    }

    public void setMaxPodAge(String maxPodAge) {
        this.maxPodAge = maxPodAge;
    }

    public BrowserPoolSpec withMaxPodAge(String maxPodAge) {
        this.maxPodAge = maxPodAge;
        return this;
    }
}
