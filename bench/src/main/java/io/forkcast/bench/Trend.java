package io.forkcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The trend across the runs recorded in docs/benchmarks.md: each {@code ### DATE: quick|full, ...} section with
 * a {@code | figure | median | runs |} table is one point, and a few figures' medians are drawn over the runs,
 * quick runs (smaller loads) apart from full ones. Stateless.
 */
final class Trend {
    private static final Pattern HEADING =
            Pattern.compile("^### (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) UTC: (quick|full), .*commit (\\w+).*");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    /** Prefix of the C reference's medians in {@link Run#medians}. */
    static final String REFERENCE = "C: ";

    private Trend() {}

    /** A figure drawn: the start of its row's label, which of the median's numbers, and the panel and line. */
    private record Metric(String rowPrefix, int index, String panel, String line) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("1. connect to banner p50 / p99", 0, "1. connect to banner, ms", "p50"),
            new Metric("1. connect to banner p50 / p99", 1, "1. connect to banner, ms", "p99"),
            new Metric("4. broadcast latency p50 / p99", 0, "4. broadcast, ms", "p50"),
            new Metric("4. broadcast latency p50 / p99", 1, "4. broadcast, ms", "p99"),
            new Metric("5. deliveries/s", 0, "5. deliveries/s", "deliveries/s"),
            new Metric("3. PSS per idle worker", 0, "3. PSS per idle worker, MiB", "median"),
            new Metric("6. connected / attempted", 0, "6. clients connected", "connected"));

    /** One recorded run: when, quick or full, its commit, and its table's median cell by row label. */
    record Run(String when, String mode, String commit, Map<String, String> medians) {}

    static List<Run> parse(List<String> lines) {
        var out = new ArrayList<Run>();
        Run current = null;
        boolean inTable = false;
        boolean reference = false; // the table of forkcast beside the C reference: its third cell is C's
        for (String line : lines) {
            var m = HEADING.matcher(line);
            if (m.matches()) {
                current = new Run(m.group(1), m.group(2), m.group(3), new LinkedHashMap<>());
                out.add(current);
                inTable = false;
            } else if (line.startsWith("## ") || line.startsWith("#### ")) {
                current = null; // a section of prose: its tables are not a run's
            } else if (current != null && line.startsWith("| figure | median | runs |")) {
                inTable = true;
                reference = false;
            } else if (current != null && line.startsWith("| figure | forkcast | C |")) {
                inTable = true;
                reference = true;
            } else if (inTable && line.startsWith("| ") && !line.startsWith("|---")) {
                String[] cells = line.split(" \\| ", -1);
                if (reference && cells.length >= 3) {
                    String c = cells[2].endsWith(" |") ? cells[2].substring(0, cells[2].length() - 2) : cells[2];
                    current.medians().put(REFERENCE + cells[0].substring(2), c.strip());
                } else if (!reference && cells.length >= 2) {
                    current.medians().put(cells[0].substring(2), cells[1]);
                }
            } else if (!line.startsWith("|")) {
                inTable = false;
            }
        }
        out.removeIf(run -> run.medians().isEmpty());
        out.sort(java.util.Comparator.comparing(Run::when));
        return out;
    }

    /** The trend chart's SVG, or null when fewer than two runs have a table. */
    static String svg(List<String> lines) {
        var runs = parse(lines);
        if (runs.size() < 2) {
            return null;
        }
        var panels = new LinkedHashMap<String, List<Chart.Series>>();
        for (var metric : METRICS) {
            for (String mode : List.of("full", "quick", "C full", "C quick")) {
                boolean c = mode.startsWith("C ");
                String rowPrefix = (c ? REFERENCE : "") + metric.rowPrefix();
                double[] x = new double[runs.size()];
                double[] y = new double[runs.size()];
                boolean any = false;
                for (int i = 0; i < runs.size(); i++) {
                    x[i] = i;
                    y[i] = Double.NaN;
                    var run = runs.get(i);
                    if (!mode.endsWith(run.mode())) {
                        continue;
                    }
                    for (var e : run.medians().entrySet()) {
                        if (e.getKey().startsWith(rowPrefix)) {
                            y[i] = nth(e.getValue(), metric.index());
                            any |= !Double.isNaN(y[i]);
                            break;
                        }
                    }
                }
                if (any) {
                    panels.computeIfAbsent(metric.panel(), k -> new ArrayList<>())
                            .add(new Chart.Series(metric.line() + " (" + mode + ")", x, y, mode.endsWith("quick")));
                }
            }
        }
        var ticks =
                runs.stream().map(r -> r.when().substring(5) + " " + r.commit()).toList();
        return Chart.panels(
                "Trend over the runs in docs/benchmarks.md (quick runs dashed: smaller loads)",
                "run (UTC date and commit)",
                panels.entrySet().stream()
                        .map(e -> new Chart.Panel(e.getKey(), e.getValue()))
                        .toList(),
                ticks);
    }

    /** The n-th number of a median cell such as "54.3 / 362 ms"; NaN when it has none. */
    static double nth(String cell, int n) {
        var m = NUMBER.matcher(cell);
        for (int i = 0; m.find(); i++) {
            if (i == n) {
                return Double.parseDouble(m.group());
            }
        }
        return Double.NaN;
    }
}
