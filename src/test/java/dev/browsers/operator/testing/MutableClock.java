package dev.browsers.operator.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A clock a test can move: the system clock shifted by an offset ("an hour later" without waiting an hour), or
 * a clock that stands still until moved, so times can be asserted exactly.
 */
public final class MutableClock extends Clock {
    private final Supplier<Instant> base;
    private volatile Duration offset = Duration.ZERO;

    /** Runs with the system clock. */
    public MutableClock() {
        this(Instant::now);
    }

    private MutableClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** Stands still at {@code start} until {@link #advance} moves it. */
    public static MutableClock fixedAt(Instant start) {
        return new MutableClock(() -> start);
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return base.get().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
