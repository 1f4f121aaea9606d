package io.forkcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's curve over time, from the {@code SAMPLE} lines a {@link Sampler} printed: the samples of a scenario
 * before its run's RESULT line belong to that run. Parsed from a results file by {@link #parse}; immutable.
 */
record Curve(String scenario, int run, List<Sample> samples) {
    /** One sample: seconds since sampling began, clients connected and served, tree CPU %, total PSS. */
    record Sample(double seconds, double connected, double served, double cpuPct, double pssMib) {}

    static List<Curve> parse(List<String> lines) {
        var open = new LinkedHashMap<String, List<Sample>>();
        var runs = new LinkedHashMap<String, Integer>();
        var out = new ArrayList<Curve>();
        for (String line : lines) {
            if (line.startsWith("SAMPLE ")) {
                var f = fields(line.substring(7));
                open.computeIfAbsent(f.getOrDefault("scenario", "?"), k -> new ArrayList<>())
                        .add(new Sample(
                                number(f, "t_s"),
                                number(f, "connected"),
                                number(f, "served"),
                                number(f, "cpu_pct"),
                                number(f, "pss_mib")));
            } else if (line.startsWith("RESULT ")) {
                String scenario = fields(line.substring(7)).getOrDefault("scenario", "?");
                int run = runs.merge(scenario, 1, Integer::sum);
                var samples = open.remove(scenario);
                if (samples != null && !samples.isEmpty()) {
                    out.add(new Curve(scenario, run, List.copyOf(samples)));
                }
            }
        }
        return out;
    }

    static Map<String, String> fields(String text) {
        var f = new LinkedHashMap<String, String>();
        for (String kv : text.trim().split(" ", -1)) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                f.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return f;
    }

    private static double number(Map<String, String> f, String key) {
        try {
            return Double.parseDouble(f.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The curve as a markdown table, one row per sample. */
    String markdown() {
        var sb = new StringBuilder("| t (s) | connected | served (got the last probe) | tree CPU, percent of a core"
                + " | total PSS (MiB) |\n|---|---|---|---|---|\n");
        for (var s : samples) {
            sb.append("| ")
                    .append(Stats.fmt(s.seconds()))
                    .append(" | ")
                    .append(Stats.fmt(s.connected()))
                    .append(" | ")
                    .append(Stats.fmt(s.served()))
                    .append(" | ")
                    .append(Stats.fmt(s.cpuPct()))
                    .append(" | ")
                    .append(Stats.fmt(s.pssMib()))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
