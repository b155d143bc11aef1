package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks the session token a client presents, in constant time so response timing reveals nothing about it. */
final class TokenGuard {
    static final String QUERY_PARAMETER = AgentContract.TOKEN_QUERY_PARAMETER;
    private static final String BEARER = "bearer ";

    /** Where the accepted token came from; a query token is handed back in the WebSocket URLs the agent advertises. */
    enum Presented {
        HEADER,
        QUERY
    }

    private final byte[] expected;

    TokenGuard(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param rawQuery the request's query string, not decoded, or null
     * @return how the right token was presented; empty if it was not
     */
    Optional<Presented> check(String authorization, String rawQuery) {
        if (authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(authorization.substring(BEARER.length()).trim())) {
            return Optional.of(Presented.HEADER);
        }
        return queryToken(rawQuery).filter(this::matches).map(t -> Presented.QUERY);
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> queryToken(String rawQuery) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(QUERY_PARAMETER + "=")) {
                String value = pair.substring(QUERY_PARAMETER.length() + 1);
                try {
                    return Optional.of(URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The query without the token, so the secret never reaches the browser (for {@code /json/new?<url>}). */
    static String withoutToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        String kept = Arrays.stream(rawQuery.split("&", -1))
                .filter(pair -> !pair.startsWith(QUERY_PARAMETER + "="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? null : kept;
    }
}
