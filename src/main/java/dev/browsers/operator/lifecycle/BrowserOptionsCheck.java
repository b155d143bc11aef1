package dev.browsers.operator.lifecycle;

import dev.browsers.operator.model.v1alpha1.BrowserSessionSpec;
import dev.browsers.operator.model.v1alpha1.Dimensions;
import dev.browsers.operator.model.v1alpha1.SecretReference;
import dev.browsers.operator.model.v1alpha1.SessionContext;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import java.util.regex.Pattern;

/**
 * What the browser starts with (window size, user agent, proxy, context) and where its context goes, checked by
 * {@link SpecCheck} too, since a cluster may not enforce the CRD's schema. Messages name the field, the value and what
 * is allowed.
 */
final class BrowserOptionsCheck {
    private static final int SHOWN_CHARACTERS = 64;
    private static final Pattern USER_AGENT = Pattern.compile(BrowserSessionSpec.USER_AGENT_PATTERN);
    private static final Pattern PROXY_SERVER = Pattern.compile(SessionProxy.SERVER_PATTERN);
    private static final Pattern SECRET_NAME = Pattern.compile(SecretReference.NAME_PATTERN);

    private BrowserOptionsCheck() {}

    static void check(BrowserSessionSpec spec) {
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
            secretName("spec.proxy.credentialsSecretRef.name", proxy.getCredentialsSecretRef());
        }
        SessionContext context = spec.getContext();
        if (context != null) {
            if (context.getSecretRef() == null && context.getSaveToSecret() == null) {
                throw new IllegalArgumentException("spec.context.secretRef: missing; allowed: {name: a Secret's name},"
                        + " spec.context.saveToSecret, or both");
            }
            secretName("spec.context.secretRef.name", context.getSecretRef());
            if (context.getSaveToSecret() != null) {
                secretName("spec.context.saveToSecret", context.getSaveToSecret());
            }
        }
    }

    private static void secretName(String field, SecretReference secret) {
        if (secret != null) {
            secretName(field, secret.getName());
        }
    }

    private static void secretName(String field, String name) {
        if (name == null
                || name.length() > SecretReference.MAX_NAME_LENGTH
                || !SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": "
                    + (name == null ? "missing" : shown(name) + " is not a Secret name")
                    + "; allowed: a DNS-1123 subdomain of at most " + SecretReference.MAX_NAME_LENGTH
                    + " characters");
        }
    }

    private static void pixels(String field, Integer value, int min, int max) {
        if (value == null || value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + (value == null ? "missing" : value + " is out of range")
                    + "; allowed: a whole number of pixels from " + min + " to " + max);
        }
    }

    /** A value from the spec as a message repeats it: quoted, cut when long, control characters as '?'. */
    private static String shown(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= SHOWN_CHARACTERS
                ? "\"" + printable + "\""
                : "\"" + printable.substring(0, SHOWN_CHARACTERS) + "…\" (" + value.length() + " characters)";
    }
}
