package dev.browsers.operator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Nearest-rank percentiles of a sample, for printing benchmark results. */
public final class Percentiles {
    private final List<Double> sorted;

    public Percentiles(List<Double> sample) {
        this.sorted = new ArrayList<>(sample);
        Collections.sort(this.sorted);
    }

    public double at(double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public String summary(String unit) {
        return String.format(
                Locale.ROOT,
                "n=%d p50=%.1f%s p99=%.1f%s max=%.1f%s",
                sorted.size(),
                at(50),
                unit,
                at(99),
                unit,
                sorted.get(sorted.size() - 1),
                unit);
    }
}
