package dev.browsers.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.browsers.operator.testing.MutableClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

    @Test
    void generatedIdsAreLowercaseUuidV7CarryingTheMillisecondsAndValidNames() {
        MutableClock clock = new MutableClock();
        long before = clock.millis();
        String id = SessionIds.newId(clock);

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, clock.millis());
        assertThat(SessionIds.VALID.matcher(id).matches()).isTrue();
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsStrings() {
        MutableClock clock = new MutableClock();
        String earlier = SessionIds.newId(clock);
        clock.advance(Duration.ofMillis(1));
        String later = SessionIds.newId(clock);
        clock.advance(Duration.ofDays(365 * 30));
        String muchLater = SessionIds.newId(clock);

        assertThat(later).isGreaterThan(earlier);
        assertThat(muchLater).isGreaterThan(later);
    }

    @Test
    void idsOfTheSameMillisecondDiffer() {
        Set<String> ids = new HashSet<>();
        MutableClock clock = new MutableClock();
        for (int i = 0; i < 1000; i++) {
            ids.add(SessionIds.newId(clock));
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void validIdsAreDns1123LabelsOfAtMost63Characters() {
        assertThat(SessionIds.VALID.matcher("a").matches()).isTrue();
        assertThat(SessionIds.VALID.matcher("checkout-1").matches()).isTrue();
        assertThat(SessionIds.VALID.matcher("a".repeat(63)).matches()).isTrue();
        assertThat(SessionIds.VALID.matcher("a".repeat(64)).matches()).isFalse();
        assertThat(SessionIds.VALID.matcher("-a").matches()).isFalse();
        assertThat(SessionIds.VALID.matcher("a-").matches()).isFalse();
        assertThat(SessionIds.VALID.matcher("A").matches()).isFalse();
        assertThat(SessionIds.VALID.matcher("a.b").matches()).isFalse();
        assertThat(SessionIds.VALID.matcher("").matches()).isFalse();
    }
}
