package io.forkcast.supervisor.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition (format 0.0.4) for {@code METRICS}: each family once, with its {@code # HELP} and
 * {@code # TYPE} lines, then its samples. A name that breaks the naming rules, or a family written twice, is a
 * programming error and throws. Confined to the thread that writes one answer.
 *
 * <pre>
 *   # HELP forkcast_deliveries_total Frames queued for workers since start.
 *   # TYPE forkcast_deliveries_total counter
 *   forkcast_deliveries_total 123
 * </pre>
 */
public final class MetricsWriter {
    private static final Pattern NAME = Pattern.compile("forkcast_[a-z][a-z0-9_]*");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");

    private final List<String> lines = new ArrayList<>();
    private final Set<String> families = new HashSet<>();

    /** A counter: {@code name} ends in {@code _total}; {@code value} only grows while the supervisor runs. */
    public MetricsWriter counter(String name, String help, long value) {
        family(counterName(name), help, "counter");
        lines.add(name + " " + value);
        return this;
    }

    /** A counter of a quantity with a fractional part (CPU seconds). */
    public MetricsWriter counter(String name, String help, double value) {
        family(counterName(name), help, "counter");
        lines.add(name + " " + number(value));
        return this;
    }

    /** A counter with one label: one sample per entry of {@code values}, label value to count, in its order. */
    public MetricsWriter counter(String name, String help, String label, Map<String, Long> values) {
        family(counterName(name), help, "counter");
        values.forEach((value, count) -> lines.add(name + labels(label, value) + " " + count));
        return this;
    }

    /** A gauge of a whole number (clients, bytes). */
    public MetricsWriter gauge(String name, String help, long value) {
        family(name, help, "gauge");
        lines.add(name + " " + value);
        return this;
    }

    /** A gauge: a value that goes up and down. */
    public MetricsWriter gauge(String name, String help, double value) {
        family(name, help, "gauge");
        lines.add(name + " " + number(value));
        return this;
    }

    /** A gauge with one label: one sample per entry of {@code values}. */
    public MetricsWriter gauge(String name, String help, String label, Map<String, Long> values) {
        family(name, help, "gauge");
        values.forEach((value, count) -> lines.add(name + labels(label, value) + " " + count));
        return this;
    }

    /**
     * A histogram of {@code observations} over the upper bounds {@code bounds} (ascending; {@code +Inf} is added):
     * cumulative {@code _bucket} samples, then {@code _sum} and {@code _count}.
     */
    public MetricsWriter histogram(String name, String help, long[] bounds, long[] observations) {
        family(name, help, "histogram");
        long[] counts = new long[bounds.length];
        long sum = 0;
        for (long observed : observations) {
            sum += observed;
            for (int i = 0; i < bounds.length; i++) {
                if (observed <= bounds[i]) {
                    counts[i]++;
                }
            }
        }
        for (int i = 0; i < bounds.length; i++) {
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("histogram " + name + ": bounds must ascend");
            }
            lines.add(name + "_bucket" + labels("le", Long.toString(bounds[i])) + " " + counts[i]);
        }
        lines.add(name + "_bucket" + labels("le", "+Inf") + " " + observations.length);
        lines.add(name + "_sum " + sum);
        lines.add(name + "_count " + observations.length);
        return this;
    }

    /** Every line written, in order, without line breaks. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The exposition as one text, each line ended by LF, as {@code /metrics} serves it. */
    public String text() {
        var out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String counterName(String name) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " must end in _total");
        }
        return name;
    }

    private void family(String name, String help, String type) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name + ": forkcast_ then [a-z0-9_]");
        }
        if (!families.add(name)) {
            throw new IllegalArgumentException("metric family " + name + " written twice");
        }
        lines.add("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
        lines.add("# TYPE " + name + " " + type);
    }

    private static String labels(String label, String value) {
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("bad label name " + label);
        }
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{" + label + "=\"" + escaped + "\"}";
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
