package dev.browsers.operator.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BrowserSessionSpec {
    /** A Go/Kubernetes duration: one or more number+unit pairs, e.g. 90s, 10m, 1h30m, 1.5h. */
    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";
    /**
     * The documented maximum, enforced at admission. CEL's duration() parses Go duration strings (1h30m, 1.5h);
     * the operator checks its own, possibly lower, configured maximum as well.
     */
    static final String DURATION_RULE = "duration(self) > duration('0s') && duration(self) <= duration('24h')";

    @JsonPropertyDescription("Hard cap on the session's Live time, as a duration (90s, 10m, 1h30m). "
            + "Default 5m; at most the operator's maximum (24h by default). May be changed on a Live session.")
    @Pattern(DURATION_PATTERN)
    @Size(max = 64)
    @ValidationRule(
            value = DURATION_RULE,
            message = "spec.timeout must be a duration greater than 0 and at most 24h, such as 90s, 10m or 1h30m")
    private String timeout;

    @JsonPropertyDescription("Release the session after this long with no CDP command or input from a client. "
            + "Omitted: disabled. A value >= timeout has no effect.")
    @Pattern(DURATION_PATTERN)
    @Size(max = 64)
    @ValidationRule(
            value = DURATION_RULE,
            message = "spec.inactivityTimeout must be a duration greater than 0"
                    + " and at most 24h, such as 90s, 10m or 1h30m")
    private String inactivityTimeout;

    @JsonPropertyDescription("Set to true to release the session now. One-way: once true it cannot be set back to"
            + " false or removed.")
    private Boolean released;

    @JsonPropertyDescription("Which browser class (image, resources, flags) to run; defaults to 'default'."
            + " Immutable after creation.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    private String browserClassName;

    @JsonPropertyDescription("How long the session object is kept once finished, as a duration (0s: deleted as soon as "
            + "it finishes). Unset: the operator's default (1h). Like a Job's TTL: under GitOps, prefer a TTL longer "
            + "than the sync interval or leave sessions out of what is synced.")
    @Pattern(DURATION_PATTERN)
    @Size(max = 64)
    @ValidationRule(
            value = "duration(self) <= duration('8760h')",
            message = "spec.ttlAfterFinished must be a duration from 0s to 8760h (a year), such as 0s, 10m or 24h")
    private String ttlAfterFinished;

    @JsonPropertyDescription("The BrowserPool of this namespace to take a warm browser from. Unset: the namespace's"
            + " pool named 'default', if there is one. With no Ready pod of the browser class (or no such pool) the"
            + " session gets a pod of its own. Read once, when the session starts.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    private String poolName;

    public BrowserSessionSpec() {}

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public BrowserSessionSpec withTimeout(String timeout) {
        this.timeout = timeout;
        return this;
    }

    public String getInactivityTimeout() {
        return inactivityTimeout;
    }

    public void setInactivityTimeout(String inactivityTimeout) {
        this.inactivityTimeout = inactivityTimeout;
    }

    public BrowserSessionSpec withInactivityTimeout(String value) {
        this.inactivityTimeout = value;
        return this;
    }

    public Boolean getReleased() {
        return released;
    }

    public void setReleased(Boolean released) {
        this.released = released;
    }

    public BrowserSessionSpec withReleased(boolean released) {
        this.released = released;
        return this;
    }

    public String getBrowserClassName() {
        return browserClassName;
    }

    public void setBrowserClassName(String browserClassName) {
        this.browserClassName = browserClassName;
    }

    public BrowserSessionSpec withBrowserClassName(String name) {
        this.browserClassName = name;
        return this;
    }

    public String getTtlAfterFinished() {
        return ttlAfterFinished;
    }

    public void setTtlAfterFinished(String ttlAfterFinished) {
        this.ttlAfterFinished = ttlAfterFinished;
    }

    public BrowserSessionSpec withTtlAfterFinished(String ttl) {
        this.ttlAfterFinished = ttl;
        return this;
    }

    public String getPoolName() {
        return poolName;
    }

    public void setPoolName(String poolName) {
        this.poolName = poolName;
    }

    public BrowserSessionSpec withPoolName(String poolName) {
        this.poolName = poolName;
        return this;
    }

    public boolean isReleased() {
        return Boolean.TRUE.equals(released);
    }
}
