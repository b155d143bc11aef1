package dev.browsers.operator.lifecycle;

import java.time.Duration;
import java.util.Optional;

/**
 * A spec checked against the policy, with defaults applied (see {@link SpecCheck}).
 *
 * @param inactivityTimeout present only when set and shorter than the timeout (otherwise it has no effect)
 * @param inactivityIgnoredBecause why a set inactivityTimeout has no effect, if so
 */
public record ValidatedSpec(
        Duration timeout,
        Optional<Duration> inactivityTimeout,
        Optional<String> inactivityIgnoredBecause,
        String browserClassName) {}
