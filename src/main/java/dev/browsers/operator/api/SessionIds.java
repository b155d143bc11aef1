package dev.browsers.operator.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Session ids: they are BrowserSession names, so they must be valid Kubernetes names. */
final class SessionIds {
    /**
     * A DNS-1123 label: the id is also the value of the browsers.dev/session label, which allows at most 63
     * characters.
     */
    static final Pattern VALID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    static final String ALLOWED = "allowed: a DNS-1123 label (lowercase letters, digits and '-', starting and ending "
            + "with a letter or digit, at most 63 characters), such as a lowercase UUID";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {}

    /**
     * Checks an id from a URL before it goes anywhere near the Kubernetes API, where it would become part of
     * a request path (an encoded "?", "/" or ".." would change what that request means).
     *
     * @param what how the message names the id, e.g. "session id" or "cursorId"
     */
    static String require(String what, String id) {
        if (!VALID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    what + ": " + ApiErrors.quoted(id) + " is not a valid session id; " + ALLOWED);
        }
        return id;
    }

    /**
     * A UUIDv7 in lowercase: 48 bits of Unix milliseconds first, so ids sort by creation time and the list,
     * ordered by id descending, shows the newest sessions first.
     */
    static String newId(Clock clock) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        long millis = clock.millis();
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (millis >>> (40 - 8 * i));
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(bytes);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
