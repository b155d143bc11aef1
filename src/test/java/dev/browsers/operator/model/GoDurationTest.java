package dev.browsers.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "90s, PT1M30S",
        "10m, PT10M",
        "1h30m, PT1H30M",
        "1.5h, PT1H30M",
        "2h45m30.5s, PT2H45M30.5S",
        "250ms, PT0.25S",
        "1500us, PT0.0015S",
        "1500µs, PT0.0015S",
        "7ns, PT0.000000007S",
        "24h, PT24H",
        "0s, PT0S",
    })
    void readsGoDurations(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"-5m", "+5m", "5", "1.5", "5 m", "5M", "1d", ".5h", "5.m", "", " 5m", "m", "9999999999999h"})
    void rejectsWhatGoWouldRejectOrWeNeverAccept(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"PT24H, 24h", "PT5M, 5m", "PT1H30M, 1h30m", "PT1M30.5S, 1m30.5s", "PT0.25S, 250ms", "PT1H0.5S, 1h0.5s"})
    void formatsCompactlyAndReadsBack(Duration d, String text) {
        assertThat(GoDuration.format(d)).isEqualTo(text);
        assertThat(GoDuration.parse(text)).isEqualTo(d);
    }
}
