package dev.browsers.operator.agent;

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
        Clock clock) {

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
    }

    /**
     * An agent on a free loopback port in front of a browser on the loopback, with no deadline, the default grace,
     * no backstop action and the system clock.
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
                Clock.systemUTC());
    }

    public AgentOptions withBind(String bindHost, int port) {
        return new AgentOptions(
                bindHost, port, browserHost, browserPort, token, hardDeadline, backstopGrace, onBackstop, clock);
    }

    public AgentOptions withBackstop(
            Supplier<Optional<Instant>> hardDeadline, Duration backstopGrace, Runnable onBackstop) {
        return new AgentOptions(
                bindHost, port, browserHost, browserPort, token, hardDeadline, backstopGrace, onBackstop, clock);
    }
}
