package dev.browsers.operator.agent;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Ends the browser itself when the hard deadline is well past, in case the operator that should have released the
 * session is gone. Fires at most once.
 */
final class Backstop {
    private static final Logger LOG = Logger.getLogger(Backstop.class.getName());
    private static final long TICK_MILLIS = 1_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final BrowserConnection browser;
    private final AgentOptions options;
    private final Supplier<Optional<Instant>> deadline;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile long timerId = -1;

    /** @param deadline asked on every tick, since the deadline may move while the session lives */
    Backstop(Vertx vertx, BrowserConnection browser, AgentOptions options, Supplier<Optional<Instant>> deadline) {
        this.vertx = vertx;
        this.browser = browser;
        this.options = options;
        this.deadline = deadline;
    }

    void start() {
        timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timerId);
    }

    private void tick() {
        // The deadline supplier may read a file, so it stays off the event loop.
        vertx.executeBlocking(deadline::get, false)
                .onSuccess(this::fireIfLate)
                .onFailure(e -> LOG.warning(() -> "cannot read the session's hard deadline: " + e));
    }

    private void fireIfLate(Optional<Instant> deadline) {
        if (deadline.isEmpty()
                || !options.clock().instant().isAfter(deadline.get().plus(options.backstopGrace()))) {
            return;
        }
        // A tick still reading the deadline when the agent stopped must not fire afterwards.
        if (stopped || !fired.compareAndSet(false, true)) {
            return;
        }
        stop();
        LOG.warning(() -> "hard deadline " + deadline.get() + " passed more than " + options.backstopGrace()
                + " ago and the session is still running; closing the browser");
        browser.closeBrowser(CLOSE_TIMEOUT)
                .onFailure(e -> LOG.warning(() -> "could not close the browser: " + e))
                .onComplete(ar -> vertx.executeBlocking(
                        () -> {
                            options.onBackstop().run();
                            return null;
                        },
                        false));
    }
}
