package dev.browsers.operator.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go/Kubernetes duration strings ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 1.5h}).
 *
 * <p>Not Fabric8's {@code Duration.parse}: it drops a leading '-' and misreads fractions.
 */
public final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "µs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);
    /** Longer than any Go duration (about 292 years): keeps arithmetic far from overflow. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /** @throws IllegalArgumentException when the text is not a non-negative Go duration. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(
                    new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("duration too large");
            }
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Compact Go-style text: 24h, 5m, 1h30m, 1m30.5s, 250ms. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        if (hours > 0) out.append(hours).append('h');
        if (minutes > 0) out.append(minutes).append('m');
        long nanos = d.toSecondsPart() * 1_000_000_000L + d.toNanosPart();
        if (nanos > 0) {
            if (out.isEmpty() && nanos < 1_000_000_000L) {
                BigDecimal millis = BigDecimal.valueOf(nanos, 6).stripTrailingZeros();
                out.append(millis.toPlainString()).append("ms");
            } else {
                out.append(BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString())
                        .append('s');
            }
        }
        return out.toString();
    }
}
