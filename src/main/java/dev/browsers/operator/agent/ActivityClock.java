package dev.browsers.operator.agent;

import dev.browsers.operator.model.AgentContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts client and browser messages and remembers when a client was last active, and how: a CDP message or DevTools
 * request ({@link AgentContract#ACTIVITY_KIND_CDP}) or a person's input through the viewer
 * ({@link AgentContract#ACTIVITY_KIND_INPUT}). Safe to read from any thread.
 */
final class ActivityClock {
    private static final long NEVER = Long.MIN_VALUE;

    private final Clock clock;
    private final AtomicLong lastActivityMillis = new AtomicLong(NEVER);
    private volatile String lastKind;
    private final AtomicLong clientMessages = new AtomicLong();
    private final AtomicLong browserMessages = new AtomicLong();

    ActivityClock(Clock clock) {
        this.clock = clock;
    }

    /** A client sent a CDP message: the session is in use. */
    void clientMessage() {
        active(AgentContract.ACTIVITY_KIND_CDP);
        clientMessages.incrementAndGet();
    }

    /** A client asked the DevTools HTTP endpoints: in use, though not a CDP message. */
    void clientRequest() {
        active(AgentContract.ACTIVITY_KIND_CDP);
    }

    /** A person gave input through the viewer: in use, exactly as a client's CDP command. Watching is not. */
    void input() {
        active(AgentContract.ACTIVITY_KIND_INPUT);
    }

    private void active(String kind) {
        lastKind = kind;
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
        return new ActivitySnapshot(
                lastActivity,
                last == NEVER ? null : lastKind,
                idle,
                openConnections,
                clientMessages.get(),
                browserMessages.get());
    }
}
