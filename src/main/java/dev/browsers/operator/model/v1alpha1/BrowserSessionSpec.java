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
    /** Printable ASCII: a user agent is a header value, and it goes on the browser's command line. */
    public static final String USER_AGENT_PATTERN = "^[ -~]+$";

    public static final int MAX_USER_AGENT_LENGTH = 512;

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

    @JsonPropertyDescription("The browser window's size, which is every tab's viewport. Unset: 1920x1080, unless"
            + " the browser class sets a window size. Immutable after creation.")
    private Dimensions dimensions;

    @JsonPropertyDescription("The user agent every tab of the browser sends and reports (navigator.userAgent):"
            + " printable ASCII, at most 512 characters. Unset: the browser's own. Immutable after creation.")
    @Pattern(USER_AGENT_PATTERN)
    @Size(min = 1, max = MAX_USER_AGENT_LENGTH)
    private String userAgent;

    @JsonPropertyDescription("Block requests to the hosts of the operator's ad and tracker blocklist (they fail with"
            + " net::ERR_BLOCKED_BY_CLIENT). Immutable after creation.")
    private Boolean blockAds;

    @JsonPropertyDescription("Send all of the browser's traffic through this proxy. Immutable after creation.")
    private SessionProxy proxy;

    @JsonPropertyDescription("Cookies and local storage put into the browser before the session is Live, from a"
            + " Secret, and saved to a Secret when it is released. Immutable after creation.")
    private SessionContext context;

    public BrowserSessionSpec() {}

    public SessionContext getContext() {
        return context;
    }

    public void setContext(SessionContext context) {
        this.context = context;
    }

    public BrowserSessionSpec withContext(SessionContext context) {
        this.context = context;
        return this;
    }

    public Dimensions getDimensions() {
        return dimensions;
    }

    public void setDimensions(Dimensions dimensions) {
        this.dimensions = dimensions;
    }

    public BrowserSessionSpec withDimensions(Dimensions dimensions) {
        this.dimensions = dimensions;
        return this;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    public BrowserSessionSpec withUserAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    public Boolean getBlockAds() {
        return blockAds;
    }

    public void setBlockAds(Boolean blockAds) {
        this.blockAds = blockAds;
    }

    public BrowserSessionSpec withBlockAds(boolean blockAds) {
        this.blockAds = blockAds;
        return this;
    }

    public boolean blocksAds() {
        return Boolean.TRUE.equals(blockAds);
    }

    public SessionProxy getProxy() {
        return proxy;
    }

    public void setProxy(SessionProxy proxy) {
        this.proxy = proxy;
    }

    public BrowserSessionSpec withProxy(SessionProxy proxy) {
        this.proxy = proxy;
        return this;
    }

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
