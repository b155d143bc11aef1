package dev.browsers.operator.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Counts client and browser messages and remembers when a client was last active. Safe to read from any thread. */
final class ActivityClock {
    private static final long NEVER = Long.MIN_VALUE;

    private final Clock clock;
    private final AtomicLong lastActivityMillis = new AtomicLong(NEVER);
    private final AtomicLong clientMessages = new AtomicLong();
    private final AtomicLong browserMessages = new AtomicLong();

    ActivityClock(Clock clock) {
        this.clock = clock;
    }

    /** A client sent a CDP message: the session is in use. */
    void clientMessage() {
        lastActivityMillis.set(clock.millis());
        clientMessages.incrementAndGet();
    }

    /** A client asked the DevTools HTTP endpoints: in use, though not a CDP message. */
    void clientRequest() {
        lastActivityMillis.set(clock.millis());
    }

    /** Responses and events from the browser happen on their own, so they never count as activity. */
    void browserMessage() {
        browserMessages.incrementAndGet();
    }

    ActivitySnapshot snapshot(int openConnections) {
        long last = lastActivityMillis.get();
        Instant lastActivity = last == NEVER ? null : Instant.ofEpochMilli(last);
        Duration idle = last == NEVER ? null : Duration.ofMillis(Math.max(0, clock.millis() - last));
        return new ActivitySnapshot(lastActivity, idle, openConnections, clientMessages.get(), browserMessages.get());
    }
}
