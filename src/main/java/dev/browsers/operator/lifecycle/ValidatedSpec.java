package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A spec checked against the policy, with defaults applied.
 *
 * @param inactivityTimeout present only when set and shorter than the timeout (otherwise it has no effect)
 * @param inactivityIgnoredBecause why a set inactivityTimeout has no effect, if so
 */
public record ValidatedSpec(Duration timeout, Optional<Duration> inactivityTimeout,
        Optional<String> inactivityIgnoredBecause, String browserClassName) {

    private static final String EXAMPLES = "a duration such as 90s, 10m or 1h30m";
    /** The session's name is a label value on its pod, and label values have at most 63 characters. */
    public static final int MAX_NAME_LENGTH = 63;

    /** Thrown with a message that names the field, the value and what is allowed. */
    public static final class InvalidSpecException extends Exception {
        public InvalidSpecException(String message) {
            super(message);
        }
    }

    public static ValidatedSpec validate(String name, BrowserSessionSpec spec, Policy policy)
            throws InvalidSpecException {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidSpecException("metadata.name: \"" + name + "\" has " + name.length()
                    + " characters; allowed: at most " + MAX_NAME_LENGTH + " (it labels the session's pod)");
        }
        Duration timeout = spec.getTimeout() == null
                ? policy.defaultTimeout()
                : duration("spec.timeout", spec.getTimeout(), policy.maxTimeout());
        Optional<Duration> inactivity = spec.getInactivityTimeout() == null
                ? Optional.empty()
                : Optional.of(duration("spec.inactivityTimeout", spec.getInactivityTimeout(), policy.maxTimeout()));
        String className = spec.getBrowserClassName() == null ? policy.defaultBrowserClass() : spec.getBrowserClassName();
        if (!policy.browserClasses().contains(className)) {
            throw new InvalidSpecException("spec.browserClassName: unknown browser class \"" + className
                    + "\"; allowed: " + String.join(", ", new TreeSet<>(policy.browserClasses())));
        }
        Optional<String> ignoredBecause = inactivity.filter(i -> i.compareTo(timeout) >= 0)
                .map(i -> "inactivityTimeout " + GoDuration.format(i) + " is not shorter than timeout "
                        + GoDuration.format(timeout) + ", so it has no effect");
        return new ValidatedSpec(timeout, ignoredBecause.isPresent() ? Optional.empty() : inactivity, ignoredBecause,
                className);
    }

    private static Duration duration(String field, String value, Duration max) throws InvalidSpecException {
        String allowed = "allowed: " + EXAMPLES + ", greater than 0 and at most " + GoDuration.format(max);
        Duration parsed;
        try {
            parsed = GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(field + ": \"" + value + "\" is not a valid duration; " + allowed);
        }
        if (parsed.isZero()) {
            throw new InvalidSpecException(field + ": \"" + value + "\" is zero; " + allowed);
        }
        if (parsed.compareTo(max) > 0) {
            throw new InvalidSpecException(field + ": \"" + value + "\" is over the maximum; " + allowed);
        }
        return parsed;
    }
}
