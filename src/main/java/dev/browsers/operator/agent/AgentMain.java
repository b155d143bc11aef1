package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Entry point of the agent container in a session pod. Configured by the environment: {@code SESSION_TOKEN}
 * (required), {@code AGENT_PORT} (default 9222), {@code BROWSER_CDP_PORT} (default 9223), and the limits
 * {@code AGENT_MAX_CONNECTIONS}, {@code AGENT_MAX_MESSAGE_BYTES} and {@code AGENT_CLIENT_TIMEOUT_MILLIS} (defaults in
 * {@link AgentContract}). The operator gives it the hard deadline once the session is Live
 * ({@link AgentContract#DEADLINE_PATH}), and the
 * session's browser rules ({@code AGENT_BLOCK_ADS}, {@code AGENT_PROXY_*}: see {@link BrowserRules}).
 */
public final class AgentMain {
    private static final int EXIT_USAGE = 2;

    private AgentMain() {}

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        configureRuntime();
        Logger log = Logger.getLogger(AgentMain.class.getName());
        AgentOptions options;
        BrowserRules rules;
        try {
            options = fromEnvironment();
            rules = BrowserRules.fromEnvironment(System.getenv(), List.of());
        } catch (IllegalArgumentException e) {
            System.err.println("agent: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // The root filesystem is read-only and the agent serves no files: no cache directory.
                .setFileSystemOptions(new FileSystemOptions()
                        .setClassPathResolvingEnabled(false)
                        .setFileCachingEnabled(false)));
        new SessionAgent(vertx, options, rules)
                .start()
                .compose(port -> rules.checkProxy(vertx).map(port))
                .onSuccess(port -> log.info(() -> "agent listening on port " + port + " for the browser on port "
                        + options.browserPort() + "; started in "
                        + Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms; at most "
                        + options.maxConnections() + " connections, messages up to " + options.maxMessageBytes()
                        + " bytes, clients silent for "
                        + options.clientTimeout().toMillis() + " ms disconnected"))
                .onFailure(e -> {
                    // One line without a stack trace: it becomes the pod's termination message, and the session's.
                    log.severe(() -> "agent failed to start: " + e.getMessage());
                    System.exit(1);
                });
    }

    /**
     * Runs before the first logger is made. The agent shares the operator's jars, whose logging backend waits for
     * Quarkus to start and so would swallow everything here: log through the JDK's own logging to stderr, one line per
     * record. The agent dials only the loopback, so the JDK's resolver replaces Netty's DNS resolver and its memory.
     * System properties given on the command line still win.
     */
    private static void configureRuntime() {
        setDefault("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n");
        setDefault("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        setDefault("vertx.disableDnsResolver", "true");
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static AgentOptions fromEnvironment() {
        String token = System.getenv(AgentContract.ENV_SESSION_TOKEN);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    AgentContract.ENV_SESSION_TOKEN + " is required: the token clients must present");
        }
        int port = portFromEnvironment(AgentContract.ENV_AGENT_PORT, AgentContract.DEFAULT_AGENT_PORT);
        int browserPort = portFromEnvironment(AgentContract.ENV_BROWSER_CDP_PORT, AgentContract.BROWSER_CDP_PORT);
        AgentOptions defaults = AgentOptions.defaults(browserPort, token);
        int maxConnections = (int) numberFromEnvironment(
                AgentContract.ENV_MAX_CONNECTIONS,
                defaults.maxConnections(),
                1,
                AgentContract.MAX_CONNECTIONS_LIMIT,
                "a number of connections");
        long maxMessageBytes = numberFromEnvironment(
                AgentContract.ENV_MAX_MESSAGE_BYTES,
                defaults.maxMessageBytes(),
                AgentContract.MIN_MESSAGE_BYTES,
                AgentContract.MAX_MESSAGE_BYTES_LIMIT,
                "a size in bytes");
        long clientTimeoutMillis = numberFromEnvironment(
                AgentContract.ENV_CLIENT_TIMEOUT_MILLIS,
                defaults.clientTimeout().toMillis(),
                AgentContract.MIN_CLIENT_TIMEOUT_MILLIS,
                Duration.ofDays(1).toMillis(),
                "a duration in milliseconds");
        return defaults.withBind("0.0.0.0", port)
                .withBackstop(Optional::empty, AgentOptions.DEFAULT_BACKSTOP_GRACE, AgentMain::exitAfterBackstop)
                .withLimits(maxConnections, maxMessageBytes, Duration.ofMillis(clientTimeoutMillis));
    }

    private static int portFromEnvironment(String name, int defaultPort) {
        return (int) numberFromEnvironment(name, defaultPort, 1, 65535, "a port number");
    }

    private static long numberFromEnvironment(String name, long defaultValue, long min, long max, String what) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the name of the variable
        }
        throw new IllegalArgumentException(
                name + " must be " + what + " (" + min + "-" + max + "), got '" + value + "'");
    }

    /** The browser is gone, so the pod has nothing left to serve; exit 0 since this is the planned end. */
    private static void exitAfterBackstop() {
        Logger.getLogger(AgentMain.class.getName()).warning("browser closed by the backstop; agent exiting");
        System.exit(0);
    }
}
