package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.GoDuration;
import dev.browsers.operator.model.SessionNames;
import dev.browsers.operator.model.v1alpha1.BrowserSession;
import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A session's spec checked once per reconciliation against the policy: valid (with defaults applied) or invalid
 * with a message that names the field, the value and what is allowed. The CRD schema rejects most of this at
 * admission; these checks hold on clusters that do not enforce it.
 */
public sealed interface SpecCheck {
    /** The longest spec.ttlAfterFinished: a year keeps any history a disposable session deserves. */
    Duration MAX_TTL_AFTER_FINISHED = Duration.ofDays(365);

    int SHOWN_CHARACTERS = 64;
    Pattern USER_AGENT = Pattern.compile(BrowserSessionSpec.USER_AGENT_PATTERN);
    Pattern PROXY_SERVER = Pattern.compile(SessionProxy.SERVER_PATTERN);
    Pattern SECRET_NAME = Pattern.compile(SecretReference.NAME_PATTERN);

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
        browserOptions(spec);
        Optional<String> ignoredBecause = inactivity
                .filter(i -> i.compareTo(timeout) >= 0)
                .map(i -> "inactivityTimeout " + GoDuration.format(i) + " is not shorter than timeout "
                        + GoDuration.format(timeout) + ", so it has no effect");
        return new ValidatedSpec(
                timeout, ignoredBecause.isPresent() ? Optional.empty() : inactivity, ignoredBecause, className);
    }

    /** What the browser starts with: checked here too, since a cluster may not enforce the CRD's schema. */
    private static void browserOptions(BrowserSessionSpec spec) {
        Dimensions dimensions = spec.getDimensions();
        if (dimensions != null) {
            pixels("spec.dimensions.width", dimensions.getWidth(), Dimensions.MIN_WIDTH, Dimensions.MAX_WIDTH);
            pixels("spec.dimensions.height", dimensions.getHeight(), Dimensions.MIN_HEIGHT, Dimensions.MAX_HEIGHT);
        }
        String userAgent = spec.getUserAgent();
        if (userAgent != null
                && (userAgent.isEmpty()
                        || userAgent.length() > BrowserSessionSpec.MAX_USER_AGENT_LENGTH
                        || !USER_AGENT.matcher(userAgent).matches())) {
            throw new IllegalArgumentException("spec.userAgent: " + shown(userAgent)
                    + " is not allowed; allowed: 1 to " + BrowserSessionSpec.MAX_USER_AGENT_LENGTH
                    + " printable ASCII characters");
        }
        SessionProxy proxy = spec.getProxy();
        if (proxy != null) {
            String server = proxy.getServer();
            if (server == null
                    || server.length() > SessionProxy.MAX_SERVER_LENGTH
                    || !PROXY_SERVER.matcher(server).matches()
                    || Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)) > 65535) {
                // The value is not repeated: a malformed one may hold credentials, which must not reach the status.
                throw new IllegalArgumentException("spec.proxy.server: "
                        + (server == null
                                ? "missing"
                                : server.contains("@")
                                        ? "holds credentials"
                                        : "not a proxy address (" + server.length() + " characters)")
                        + "; allowed: scheme://host:port with scheme http, https, socks4 or socks5, no credentials"
                        + " (they go in spec.proxy.credentialsSecretRef)");
            }
            SecretReference secret = proxy.getCredentialsSecretRef();
            if (secret != null
                    && (secret.getName() == null
                            || secret.getName().length() > SecretReference.MAX_NAME_LENGTH
                            || !SECRET_NAME.matcher(secret.getName()).matches())) {
                throw new IllegalArgumentException("spec.proxy.credentialsSecretRef.name: "
                        + (secret.getName() == null ? "missing" : shown(secret.getName()) + " is not a Secret name")
                        + "; allowed: a DNS-1123 subdomain of at most " + SecretReference.MAX_NAME_LENGTH
                        + " characters");
            }
        }
    }

    private static void pixels(String field, Integer value, int min, int max) {
        if (value == null || value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + (value == null ? "missing" : value + " is out of range")
                    + "; allowed: a whole number of pixels from " + min + " to " + max);
        }
    }

    /** A value from the spec as a message repeats it: quoted, and cut when long. */
    private static String shown(String value) {
        return value.length() <= SHOWN_CHARACTERS
                ? "\"" + value + "\""
                : "\"" + value.substring(0, SHOWN_CHARACTERS) + "…\" (" + value.length() + " characters)";
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
