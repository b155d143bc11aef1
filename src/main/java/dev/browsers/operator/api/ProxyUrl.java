package dev.browsers.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.browsers.operator.model.v1alpha1.SessionProxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Steel's {@code proxyUrl}, {@code scheme://[username:password@]host[:port]}, split into what the spec holds (the
 * server, no credentials) and the credentials, which go to a Secret of the session's. No message ever repeats the URL:
 * it may hold a password.
 */
record ProxyUrl(String server, Optional<Credentials> credentials) {
    static final int MAX_LENGTH = 2048;
    private static final Map<String, Integer> DEFAULT_PORTS =
            Map.of("http", 80, "https", 443, "socks4", 1080, "socks5", 1080);
    private static final String ALLOWED = "; allowed: http://, https://, socks4:// or socks5://, then"
            + " [username:password@]host[:port] and nothing else (the value is not repeated: it may hold a password)";

    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[hidden]";
        }
    }

    static ProxyUrl parse(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.badRequest("proxyUrl: not a string" + ALLOWED);
        }
        String text = value.asText();
        if (text.length() > MAX_LENGTH) {
            throw refused(text, "longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw refused(text, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!DEFAULT_PORTS.containsKey(scheme)) {
            throw refused(text, "scheme not supported");
        }
        if (uri.getHost() == null) {
            throw refused(text, "no host");
        }
        if (!(uri.getRawPath() == null
                        || uri.getRawPath().isEmpty()
                        || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw refused(text, "a path, query or fragment");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORTS.get(scheme) : uri.getPort();
        String server = scheme + "://" + uri.getHost() + ":" + port;
        if (server.length() > SessionProxy.MAX_SERVER_LENGTH || !server.matches(SessionProxy.SERVER_PATTERN)) {
            throw refused(text, "host not allowed");
        }
        Optional<Credentials> credentials = Optional.empty();
        if (uri.getUserInfo() != null) {
            String userInfo = uri.getUserInfo();
            int colon = userInfo.indexOf(':');
            String username = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (username.isEmpty()) {
                throw refused(text, "credentials without a username");
            }
            credentials = Optional.of(new Credentials(username, colon < 0 ? "" : userInfo.substring(colon + 1)));
        }
        return new ProxyUrl(server, credentials);
    }

    private static ApiException refused(String text, String why) {
        return ApiException.badRequest("proxyUrl: " + why + " (" + text.length() + " characters)" + ALLOWED);
    }
}
