package dev.browsers.operator.model;

/**
 * What the operator and the session agent agree on: the pod's containers and ports, the agent's environment,
 * and its HTTP endpoints. The agent imports this and nothing else of the project.
 */
public final class AgentContract {
    public static final String BROWSER_CONTAINER = "browser";
    public static final String AGENT_CONTAINER = "agent";

    /** Where clients reach the agent in the session pod, unless configured otherwise. */
    public static final int DEFAULT_AGENT_PORT = 9222;
    /** The browser's CDP port inside the pod, on its loopback, reachable only from the agent. */
    public static final int BROWSER_CDP_PORT = 9223;

    /** Environment of the agent container. */
    public static final String ENV_SESSION_TOKEN = "SESSION_TOKEN";

    public static final String ENV_AGENT_PORT = "AGENT_PORT";
    public static final String ENV_BROWSER_CDP_PORT = "BROWSER_CDP_PORT";
    public static final String ENV_MAX_CONNECTIONS = "AGENT_MAX_CONNECTIONS";
    public static final String ENV_MAX_MESSAGE_BYTES = "AGENT_MAX_MESSAGE_BYTES";
    public static final String ENV_CLIENT_TIMEOUT_MILLIS = "AGENT_CLIENT_TIMEOUT_MILLIS";
    /** "true": the agent blocks the hosts of {@link AdBlocklist} for every page. */
    public static final String ENV_BLOCK_ADS = "AGENT_BLOCK_ADS";
    /** The session's proxy (scheme://host:port): the agent checks it answers before the session is ready. */
    public static final String ENV_PROXY_SERVER = "AGENT_PROXY_SERVER";
    /** The proxy's credentials, from the session's Secret: the agent answers proxy authentication with them. */
    public static final String ENV_PROXY_USERNAME = "AGENT_PROXY_USERNAME";

    public static final String ENV_PROXY_PASSWORD = "AGENT_PROXY_PASSWORD";
    /**
     * The session context to restore (Steel's shape, JSON), from the session's context Secret: the agent puts it into
     * the browser before it reports ready.
     */
    public static final String ENV_SESSION_CONTEXT = "AGENT_SESSION_CONTEXT";

    /** CDP WebSockets one session's agent serves at once; one more is refused with HTTP 429. */
    public static final int DEFAULT_MAX_CONNECTIONS = 32;
    /** The largest CDP message either way, in MiB: a full-page screenshot of a long page fits. */
    public static final int DEFAULT_MAX_MESSAGE_MIB = 64;
    /** A client silent this long, not even answering the agent's pings, counts as gone. */
    public static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 15;

    /** Bounds of the limits above that either side accepts. */
    public static final int MAX_CONNECTIONS_LIMIT = 100_000;

    public static final long MIN_MESSAGE_BYTES = 1024;
    /** Local mode holds a message whole in a byte array; Chromium itself sends at most 256 MiB over its port. */
    public static final long MAX_MESSAGE_BYTES_LIMIT = 1024L * 1024 * 1024;

    public static final long MIN_CLIENT_TIMEOUT_MILLIS = 100;

    /** Clients present the session token as {@code Authorization: Bearer <token>} or this query parameter. */
    public static final String TOKEN_QUERY_PARAMETER = "token";

    /** The browser-level CDP WebSocket clients connect to; the agent maps it to the browser's own id. */
    public static final String BROWSER_SOCKET_PATH = "/devtools/browser";
    /** 200 while the browser answers CDP; the pod's readiness probe. */
    public static final String READY_PATH = "/ready";
    /** Client activity, for the operator's inactivity checks; needs the token. */
    public static final String ACTIVITY_PATH = "/activity";
    /** Field of the activity answer: milliseconds since the last client activity, null if there was none. */
    public static final String ACTIVITY_IDLE_MILLIS = "idleMillis";
    /** Field of the activity answer: what the last activity was, one of the two kinds below; null if none. */
    public static final String ACTIVITY_LAST_KIND = "lastActivityKind";
    /** A client's CDP message or DevTools HTTP request. */
    public static final String ACTIVITY_KIND_CDP = "cdp";
    /** A person's mouse, keyboard or paste through the live viewer. */
    public static final String ACTIVITY_KIND_INPUT = "input";

    /** The live viewer's page (token required, as everywhere on the agent); {@code ?interactive=false}: watch-only. */
    public static final String VIEWER_PATH = "/viewer";

    /**
     * The operator gives the agent the session's hard deadline here ({@code PUT}, token required, a JSON object with
     * {@link #DEADLINE_EXPIRES_AT}), and again when it moves: the agent closes the browser itself once the deadline is
     * long past and the operator has not ended the session.
     */
    public static final String DEADLINE_PATH = "/deadline";
    /** Field of the deadline request: the hard deadline, RFC 3339. */
    public static final String DEADLINE_EXPIRES_AT = "expiresAt";
    /** The largest deadline request body: an RFC 3339 timestamp in a small JSON object. */
    public static final int DEADLINE_MAX_BYTES = 256;

    /**
     * The operator hands a claimed warm pod's agent its session's token here ({@code PUT}, authorized by the pool's
     * token, a JSON object with {@link #TOKEN_FIELD}). The pool token stops working at once; the session token cannot
     * be replaced (409), only confirmed by presenting it (200), so a client holding it cannot lock the operator out.
     */
    public static final String TOKEN_PATH = "/token";
    /** Field of the token request: the session's token. */
    public static final String TOKEN_FIELD = "token";
    /** The largest token request body: a token of at most {@link #MAX_TOKEN_LENGTH} characters in a JSON object. */
    public static final int TOKEN_MAX_BYTES = 512;

    public static final int MAX_TOKEN_LENGTH = 256;

    /**
     * The session's current context, cookies and local storage in Steel's shape ({@code GET}, token required): the
     * operator saves it before it ends the session, the REST API answers {@code GET /v1/sessions/{id}/context} with it.
     */
    public static final String CONTEXT_PATH = "/context";
    /** Field of a context: the cookies, each as CDP's {@code Network.Cookie}. */
    public static final String CONTEXT_COOKIES = "cookies";
    /** Field of a context: local storage, an object of items per origin ({@code https://host[:port]}). */
    public static final String CONTEXT_LOCAL_STORAGE = "localStorage";
    /**
     * The largest context, as compact JSON, either way: it reaches the agent as an environment variable, which Linux
     * caps at 128 KiB, and a context read from a browser must fit to be restored.
     */
    public static final int CONTEXT_MAX_BYTES = 100 * 1024;
    /** The most cookies in a context; Chromium itself keeps at most 3000. */
    public static final int CONTEXT_MAX_COOKIES = 1000;
    /** The most origins with local storage in a context to restore. */
    public static final int CONTEXT_MAX_ORIGINS = 50;

    private AgentContract() {}

    /** The CDP endpoint clients connect to, given where the agent listens (host:port). */
    public static String websocketUrl(String agentEndpoint) {
        return "ws://" + agentEndpoint + BROWSER_SOCKET_PATH;
    }

    /** The live viewer's page, given where the agent listens (host:port). */
    public static String viewerUrl(String agentEndpoint) {
        return "http://" + agentEndpoint + VIEWER_PATH;
    }
}
