package dev.browsers.operator.agent;

import dev.browsers.operator.model.AdBlocklist;
import dev.browsers.operator.model.AgentContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What the agent enforces browser-wide, whatever its clients do: URLs the browser must not load (local mode's
 * {@code file://}, the ad blocklist) and the answer to its proxy's authentication challenges. Applied over a CDP
 * connection of the agent's own at the browser level, which no client reaches: {@code Fetch.enable} there pauses
 * the matching requests of every page; a client's own interception comes on top.
 *
 * <p>Also the session context restored before the browser counts as ready ({@link SessionContexts}): like the
 * credentials, it reaches the agent from a Secret and is never logged.
 *
 * <p>The proxy's credentials live here and in the CDP message that answers a challenge, nowhere else: not in the
 * browser's command line, not in a log line.
 */
public final class BrowserRules {
    private static final Logger LOG = Logger.getLogger(BrowserRules.class.getName());
    private static final int PROXY_CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_LOGGED_URL = 200;

    static final String REQUEST_PAUSED = "Fetch.requestPaused";
    static final String AUTH_REQUIRED = "Fetch.authRequired";

    /** Nothing to enforce: no interception at all. */
    public static final BrowserRules NONE =
            new BrowserRules(List.of(), false, Optional.empty(), Optional.empty(), Optional.empty());

    private record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[hidden]";
        }
    }

    private final List<String> blockedPatterns;
    private final List<Pattern> blockedUrls;
    private final boolean blockAds;
    private final Optional<URI> proxy;
    private final Optional<Credentials> credentials;
    private final Optional<JsonObject> context;

    private BrowserRules(
            List<String> blockedPatterns,
            boolean blockAds,
            Optional<URI> proxy,
            Optional<Credentials> credentials,
            Optional<JsonObject> context) {
        this.blockedPatterns = List.copyOf(blockedPatterns);
        this.blockedUrls = blockedPatterns.stream().map(BrowserRules::glob).toList();
        this.blockAds = blockAds;
        this.proxy = proxy;
        this.credentials = credentials;
        this.context = context;
    }

    /**
     * The rules an agent's environment asks for ({@link AgentContract#ENV_BLOCK_ADS}, the proxy's address and
     * credentials, the session context to restore: {@link SessionContexts#parse}), plus URL patterns the runtime itself
     * blocks.
     *
     * @param blockedPatterns CDP Fetch URL patterns ({@code *}, {@code ?}) blocked whatever the environment says
     */
    public static BrowserRules fromEnvironment(Map<String, String> env, List<String> blockedPatterns) {
        boolean blockAds = "true".equals(env.get(AgentContract.ENV_BLOCK_ADS));
        Optional<URI> proxy = Optional.ofNullable(env.get(AgentContract.ENV_PROXY_SERVER))
                .filter(s -> !s.isBlank())
                .map(BrowserRules::proxyAddress);
        String username = env.get(AgentContract.ENV_PROXY_USERNAME);
        String password = env.get(AgentContract.ENV_PROXY_PASSWORD);
        Optional<Credentials> credentials = username == null || username.isEmpty()
                ? Optional.empty()
                : Optional.of(new Credentials(username, password == null ? "" : password));
        Optional<JsonObject> context = Optional.ofNullable(env.get(AgentContract.ENV_SESSION_CONTEXT))
                .filter(s -> !s.isBlank())
                .map(SessionContexts::parse);
        return new BrowserRules(blockedPatterns, blockAds, proxy, credentials, context);
    }

    private static URI proxyAddress(String server) {
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AgentContract.ENV_PROXY_SERVER + " is not a URL");
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getUserInfo() != null) {
            throw new IllegalArgumentException(AgentContract.ENV_PROXY_SERVER + " must be scheme://host:port");
        }
        return uri;
    }

    /** The session context the browser gets before it counts as ready, if any. */
    Optional<JsonObject> context() {
        return context;
    }

    /** Whether the browser needs the agent's own interception at all. */
    boolean intercepts() {
        return !blockedPatterns.isEmpty() || blockAds || credentials.isPresent();
    }

    /**
     * The {@code Fetch.enable} that applies these rules. With credentials every request is paused (CDP reports an
     * authentication challenge only for a request it intercepts) and all but the blocked ones continue at once.
     */
    JsonObject fetchEnable() {
        List<String> patterns = new ArrayList<>();
        if (credentials.isPresent()) {
            patterns.add("*");
        } else {
            patterns.addAll(blockedPatterns);
            if (blockAds) {
                patterns.addAll(AdBlocklist.urlPatterns());
            }
        }
        return new JsonObject()
                .put(
                        "patterns",
                        new JsonArray(patterns.stream()
                                .map(p -> new JsonObject().put("urlPattern", p))
                                .toList()))
                .put("handleAuthRequests", credentials.isPresent());
    }

    /** A CDP command of the agent: a method and its params. */
    record Command(String method, JsonObject params) {}

    /** How to answer a paused request: fail it if blocked, else let it go on. */
    Command answerPaused(JsonObject params) {
        String requestId = params.getString("requestId");
        String url = params.getJsonObject("request", new JsonObject()).getString("url", "");
        if (blocked(url)) {
            LOG.info(() -> "blocked " + (url.length() > MAX_LOGGED_URL ? url.substring(0, MAX_LOGGED_URL) + "…" : url));
            return new Command(
                    "Fetch.failRequest",
                    new JsonObject().put("requestId", requestId).put("errorReason", "BlockedByClient"));
        }
        return new Command("Fetch.continueRequest", new JsonObject().put("requestId", requestId));
    }

    /** The proxy's challenges get the session's credentials; any other the browser's own answer (none, headless). */
    Command answerAuth(JsonObject params) {
        JsonObject challenge = params.getJsonObject("authChallenge", new JsonObject());
        JsonObject response = new JsonObject();
        if ("Proxy".equals(challenge.getString("source")) && credentials.isPresent()) {
            response.put("response", "ProvideCredentials")
                    .put("username", credentials.get().username())
                    .put("password", credentials.get().password());
        } else {
            response.put("response", "Default");
        }
        return new Command(
                "Fetch.continueWithAuth",
                new JsonObject()
                        .put("requestId", params.getString("requestId"))
                        .put("authChallengeResponse", response));
    }

    boolean blocked(String url) {
        if (blockedUrls.stream().anyMatch(p -> p.matcher(url).matches())) {
            return true;
        }
        if (!blockAds) {
            return false;
        }
        try {
            String host = URI.create(url).getHost();
            return host != null && AdBlocklist.blocks(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Completes once the session's proxy accepts a connection (at once without a proxy): a session whose proxy is
     * wrong fails its start with this reason rather than becoming Live and failing every page.
     */
    public Future<Void> checkProxy(Vertx vertx) {
        if (proxy.isEmpty()) {
            return Future.succeededFuture();
        }
        URI uri = proxy.get();
        var client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(PROXY_CONNECT_TIMEOUT_MILLIS));
        return client.connect(uri.getPort(), uri.getHost())
                .compose(socket -> socket.close())
                .recover(e -> Future.failedFuture("proxy " + uri.getHost() + ":" + uri.getPort()
                        + " does not accept connections: " + e.getMessage()))
                .eventually(() -> client.close());
    }

    /** A CDP Fetch URL pattern: {@code *} any characters, {@code ?} exactly one. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
