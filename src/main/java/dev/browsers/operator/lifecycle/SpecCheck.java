package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A session's spec checked once per reconciliation against the policy: valid (with defaults applied) or invalid
 * with a message that names the field, the value and what is allowed. The CRD schema rejects most of this at
 * admission; these checks hold on clusters that do not enforce it.
 */
public sealed interface SpecCheck {
    /** The longest spec.ttlAfterFinished: a year keeps any history a disposable session deserves. */
    Duration MAX_TTL_AFTER_FINISHED = Duration.ofDays(365);

    record Valid(ValidatedSpec spec) implements SpecCheck {}

    record Invalid(String message) implements SpecCheck {}

    static SpecCheck of(BrowserSession session, Policy policy) {
        try {
            return new Valid(validate(session.getMetadata().getName(), session.specOrEmpty(), policy));
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static ValidatedSpec validate(String name, BrowserSessionSpec spec, Policy policy) {
        if (name.length() > SessionNames.MAX_SESSION_NAME_LENGTH) {
            throw new IllegalArgumentException("metadata.name: \"" + name + "\" has " + name.length()
                    + " characters; allowed: at most " + SessionNames.MAX_SESSION_NAME_LENGTH
                    + " (it labels the session's pod)");
        }
        Duration timeout = spec.getTimeout() == null
                ? policy.defaultTimeout()
                : duration("spec.timeout", spec.getTimeout(), policy.maxTimeout());
        Optional<Duration> inactivity = Optional.ofNullable(spec.getInactivityTimeout())
                .map(value -> duration("spec.inactivityTimeout", value, policy.maxTimeout()));
        if (spec.getTtlAfterFinished() != null) {
            ttl(spec.getTtlAfterFinished());
        }
        String className =
                spec.getBrowserClassName() == null ? policy.defaultBrowserClass() : spec.getBrowserClassName();
        if (!policy.browserClasses().contains(className)) {
            throw new IllegalArgumentException("spec.browserClassName: unknown browser class \"" + className
                    + "\"; allowed: " + String.join(", ", new TreeSet<>(policy.browserClasses())));
        }
        BrowserOptionsCheck.check(spec);
        Optional<String> ignoredBecause = inactivity
                .filter(i -> i.compareTo(timeout) >= 0)
                .map(i -> "inactivityTimeout " + GoDuration.format(i) + " is not shorter than timeout "
                        + GoDuration.format(timeout) + ", so it has no effect");
        return new ValidatedSpec(
                timeout, ignoredBecause.isPresent() ? Optional.empty() : inactivity, ignoredBecause, className);
    }

    /**
     * How long a finished session is kept: its own valid spec.ttlAfterFinished (zero: not at all), else the
     * operator's default (zero there: forever). Empty means keep it forever. Read on its own, so that a finished
     * session whose spec became invalid later still leaves on time.
     */
    static Optional<Duration> keepFinishedFor(BrowserSessionSpec spec, Policy policy) {
        if (spec.getTtlAfterFinished() != null) {
            try {
                return Optional.of(ttl(spec.getTtlAfterFinished()));
            } catch (IllegalArgumentException invalid) {
                // Reported as InvalidSpec while the session ran; the default applies.
            }
        }
        Duration ttl = policy.ttlAfterFinished();
        return ttl.isZero() || ttl.isNegative() ? Optional.empty() : Optional.of(ttl);
    }

    private static Duration ttl(String value) {
        return duration("spec.ttlAfterFinished", value, MAX_TTL_AFTER_FINISHED, true);
    }

    private static Duration duration(String field, String value, Duration max) {
        return duration(field, value, max, false);
    }

    /** A Go duration up to {@code max}; zero only where it means something (a TTL: delete at once). */
    private static Duration duration(String field, String value, Duration max, boolean zeroAllowed) {
        String allowed = zeroAllowed
                ? "allowed: a duration such as 0s, 90s, 10m or 24h, at most " + GoDuration.format(max)
                : "allowed: a duration such as 90s, 10m or 1h30m, greater than 0 and at most " + GoDuration.format(max);
        Duration parsed;
        try {
            parsed = GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" is not a valid duration; " + allowed);
        }
        if (parsed.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" is zero; " + allowed);
        }
        if (parsed.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" is over the maximum; " + allowed);
        }
        return parsed;
    }
}
