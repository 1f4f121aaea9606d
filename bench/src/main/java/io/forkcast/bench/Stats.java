package io.forkcast.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Order statistics (nearest rank) and number formatting for results. Stateless. */
final class Stats {
    private Stats() {}

    /** The {@code p}-th percentile (0 < p <= 100) by nearest rank; NaN for no values. */
    static double percentile(long[] values, int size, double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }

    static double median(List<Double> values) {
        var finite = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (finite.isEmpty()) {
            return Double.NaN;
        }
        int n = finite.size();
        return n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
    }

    static double millis(double nanos) {
        return nanos / 1e6;
    }

    /** Three significant digits, no exponent: 0.123, 12.3, 1234. */
    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        if (abs >= 100 || (value == Math.rint(value) && abs < 1e15)) {
            return Long.toString(Math.round(value));
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
