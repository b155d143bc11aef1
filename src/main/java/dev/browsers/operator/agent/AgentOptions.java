package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link SessionAgent} listens, where its browser is, and when it must end the browser itself.
 *
 * @param bindHost address the agent listens on
 * @param port the agent's port; 0 picks a free one (see {@link SessionAgent#start()})
 * @param browserHost where Chromium's CDP listens, normally the loopback
 * @param browserPort Chromium's CDP port; {@link #NO_BROWSER_PORT} when the agent reaches the browser over its
 *        DevTools pipe instead
 * @param token the session's secret; clients present it as a Bearer header or a {@code token} query parameter
 * @param hardDeadline a deadline the agent knows without being told, asked on every backstop tick since it may move
 *        (local mode reads the pod's annotation); one the operator gives ({@code PUT /deadline}) counts first
 * @param backstopGrace how long past the deadline the operator gets before the agent closes the browser itself
 * @param onBackstop run once, after the agent closed the browser because the operator did not
 * @param clock the time source for activity and the backstop
 * @param maxConnections client CDP WebSockets served at once; one more is refused with HTTP 429
 * @param maxMessageBytes the largest CDP message passed either way; a larger one closes its connection with 1009
 * @param clientTimeout a client silent this long, not even answering pings, is disconnected
 */
public record AgentOptions(
        String bindHost,
        int port,
        String browserHost,
        int browserPort,
        String token,
        Supplier<Optional<Instant>> hardDeadline,
        Duration backstopGrace,
        Runnable onBackstop,
        Clock clock,
        int maxConnections,
        long maxMessageBytes,
        Duration clientTimeout) {

    public static final Duration DEFAULT_BACKSTOP_GRACE = Duration.ofSeconds(30);
    /** The browser has no DevTools port; the agent is given its DevTools pipe instead. */
    public static final int NO_BROWSER_PORT = 0;

    public AgentOptions {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(browserHost, "browserHost");
        Objects.requireNonNull(hardDeadline, "hardDeadline");
        Objects.requireNonNull(backstopGrace, "backstopGrace");
        Objects.requireNonNull(onBackstop, "onBackstop");
        Objects.requireNonNull(clock, "clock");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (browserPort < NO_BROWSER_PORT || browserPort > 65535) {
            throw new IllegalArgumentException("browserPort out of range: " + browserPort);
        }
        if (backstopGrace.isNegative()) {
            throw new IllegalArgumentException("backstopGrace must not be negative: " + backstopGrace);
        }
        Objects.requireNonNull(clientTimeout, "clientTimeout");
        if (maxConnections < 1 || maxConnections > AgentContract.MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException("maxConnections must be from 1 to " + AgentContract.MAX_CONNECTIONS_LIMIT
                    + ", got " + maxConnections);
        }
        if (maxMessageBytes < AgentContract.MIN_MESSAGE_BYTES
                || maxMessageBytes > AgentContract.MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxMessageBytes must be from " + AgentContract.MIN_MESSAGE_BYTES
                    + " to " + AgentContract.MAX_MESSAGE_BYTES_LIMIT + " bytes, got " + maxMessageBytes);
        }
        if (clientTimeout.toMillis() < AgentContract.MIN_CLIENT_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("clientTimeout must be at least "
                    + AgentContract.MIN_CLIENT_TIMEOUT_MILLIS + " ms, got " + clientTimeout);
        }
    }

    /**
     * An agent on a free loopback port in front of a browser on the loopback, with no deadline, the default grace,
     * no backstop action, the system clock and the default limits.
     */
    public static AgentOptions defaults(int browserPort, String token) {
        return new AgentOptions(
                "127.0.0.1",
                0,
                "127.0.0.1",
                browserPort,
                token,
                Optional::empty,
                DEFAULT_BACKSTOP_GRACE,
                () -> {},
                Clock.systemUTC(),
                AgentContract.DEFAULT_MAX_CONNECTIONS,
                AgentContract.DEFAULT_MAX_MESSAGE_MIB * 1024L * 1024,
                Duration.ofSeconds(AgentContract.DEFAULT_CLIENT_TIMEOUT_SECONDS));
    }

    public AgentOptions withBind(String bindHost, int port) {
        return new AgentOptions(
                bindHost,
                port,
                browserHost,
                browserPort,
                token,
                hardDeadline,
                backstopGrace,
                onBackstop,
                clock,
                maxConnections,
                maxMessageBytes,
                clientTimeout);
    }

    public AgentOptions withBackstop(
            Supplier<Optional<Instant>> hardDeadline, Duration backstopGrace, Runnable onBackstop) {
        return new AgentOptions(
                bindHost,
                port,
                browserHost,
                browserPort,
                token,
                hardDeadline,
                backstopGrace,
                onBackstop,
                clock,
                maxConnections,
                maxMessageBytes,
                clientTimeout);
    }

    public AgentOptions withLimits(int maxConnections, long maxMessageBytes, Duration clientTimeout) {
        return new AgentOptions(
                bindHost,
                port,
                browserHost,
                browserPort,
                token,
                hardDeadline,
                backstopGrace,
                onBackstop,
                clock,
                maxConnections,
                maxMessageBytes,
                clientTimeout);
    }
}
