package io.forkcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The charts of one scripts/bench run, from its results file (RESULT and SAMPLE lines): latency p50 / p99 per
 * figure, deliveries/s, memory per client, and figure 6 over time; forkcast beside the C reference where it ran.
 * {@link #write} returns the files written. Stateless.
 */
final class Charts {
    private Charts() {}

    /** A bar group: the figure's label and the scenario it reads. */
    private record Group(String label, String scenario) {}

    private static final List<Group> LATENCY = List.of(
            new Group("1. connect to banner", "banner"),
            new Group("2. banner at saturation", "churn"),
            new Group("4. broadcast", "broadcast"),
            new Group("7. broadcast, rooms", "broadcast_rooms"),
            new Group("8. no history", "broadcast_nohistory"),
            new Group("9. /login", "login"));
    private static final List<Group> DELIVERIES =
            List.of(new Group("5. flood, one room", "flood"), new Group("7. flood, 10 rooms", "flood_rooms"));

    /** Writes PREFIX-latency.svg, -deliveries.svg, -memory.svg and -crowd.svg (those with data); their paths. */
    static List<Path> write(Path results, Path prefix) throws IOException {
        var lines = Files.readAllLines(results);
        var runs = new LinkedHashMap<String, List<Map<String, String>>>();
        for (String line : lines) {
            if (line.startsWith("RESULT ")) {
                var f = Curve.fields(line.substring(7));
                runs.computeIfAbsent(f.getOrDefault("scenario", "?"), k -> new ArrayList<>())
                        .add(f);
            }
        }
        var written = new ArrayList<Path>();
        String ref = Report.REFERENCE_SUFFIX;
        var latency = groups(LATENCY, runs);
        if (!latency.isEmpty()) {
            var values = new double[4][latency.size()];
            for (int g = 0; g < latency.size(); g++) {
                String s = latency.get(g).scenario();
                values[0][g] = median(runs.get(s), "p50_ms");
                values[1][g] = median(runs.get(s), "p99_ms");
                values[2][g] = median(runs.get(s + ref), "p50_ms");
                values[3][g] = median(runs.get(s + ref), "p99_ms");
            }
            written.add(save(
                    prefix,
                    "latency",
                    Chart.bars(
                            "Latency per figure, median of the runs",
                            "ms",
                            labels(latency),
                            List.of("forkcast p50", "forkcast p99", "C reference p50", "C reference p99"),
                            values)));
        }
        var deliveries = groups(DELIVERIES, runs);
        if (!deliveries.isEmpty()) {
            var values = new double[2][deliveries.size()];
            for (int g = 0; g < deliveries.size(); g++) {
                String s = deliveries.get(g).scenario();
                values[0][g] = median(runs.get(s), "deliveries_per_s");
                values[1][g] = median(runs.get(s + ref), "deliveries_per_s");
            }
            written.add(save(
                    prefix,
                    "deliveries",
                    Chart.bars(
                            "Deliveries per second (5 senders flooding)",
                            "deliveries/s",
                            labels(deliveries),
                            List.of("forkcast", "C reference"),
                            values)));
        }
        if (runs.containsKey("idle") || runs.containsKey("crowd") || runs.containsKey("crowd" + ref)) {
            written.add(save(prefix, "memory", memory(runs)));
        }
        var curves = Curve.parse(lines);
        if (!curves.isEmpty()) {
            written.add(save(prefix, "crowd", crowd(curves)));
        }
        return written;
    }

    /** PSS per worker (idle and crowd medians), the supervisor's, and the whole tree's per client connected. */
    private static String memory(Map<String, List<Map<String, String>>> runs) {
        String ref = Report.REFERENCE_SUFFIX;
        var groups = List.of(
                "3. per idle worker (median)",
                "6. per worker, crowd (median)",
                "3. supervisor (idle)",
                "6. total per client (crowd)");
        var values = new double[2][4];
        values[0][0] = median(runs.get("idle"), "worker_pss_median_mib");
        values[0][1] = median(runs.get("crowd"), "worker_pss_median_mib");
        values[0][2] = median(runs.get("idle"), "supervisor_pss_mib");
        values[0][3] = median(runs.get("crowd"), "total_pss_mib") / median(runs.get("crowd"), "connected");
        values[1][0] = Double.NaN;
        values[1][1] = Double.NaN;
        values[1][2] = Double.NaN;
        values[1][3] = median(runs.get("crowd" + ref), "total_pss_mib") / median(runs.get("crowd" + ref), "connected");
        return Chart.bars(
                "Memory (PSS), median of the runs",
                "MiB",
                groups,
                List.of("forkcast", "C reference (one process)"),
                values);
    }

    /** Figure 6 over time: connected and served, tree CPU, total PSS; one line per run, the reference dashed. */
    private static String crowd(List<Curve> curves) {
        var counts = new ArrayList<Chart.Series>();
        var cpu = new ArrayList<Chart.Series>();
        var pss = new ArrayList<Chart.Series>();
        for (var curve : curves) {
            var s = curve.samples();
            double[] t = s.stream().mapToDouble(Curve.Sample::seconds).toArray();
            boolean reference = curve.scenario().endsWith(Report.REFERENCE_SUFFIX);
            String name = (reference ? "C reference" : "forkcast") + " run " + curve.run();
            // One colour per run: its connected, CPU and PSS lines share the run's name; served has its own.
            counts.add(new Chart.Series(
                    name, t, s.stream().mapToDouble(Curve.Sample::connected).toArray(), reference));
            counts.add(new Chart.Series(
                    name + ": served (got the last probe)",
                    t,
                    s.stream().mapToDouble(Curve.Sample::served).toArray(),
                    reference));
            cpu.add(new Chart.Series(
                    name, t, s.stream().mapToDouble(Curve.Sample::cpuPct).toArray(), reference));
            pss.add(new Chart.Series(
                    name, t, s.stream().mapToDouble(Curve.Sample::pssMib).toArray(), reference));
        }
        return Chart.panels(
                "Figure 6: clients arriving, over time",
                "seconds since the first connection",
                List.of(
                        new Chart.Panel("clients connected / served", counts),
                        new Chart.Panel("tree CPU, % of one core", cpu),
                        new Chart.Panel("total PSS, MiB", pss)),
                null);
    }

    private static List<Group> groups(List<Group> all, Map<String, List<Map<String, String>>> runs) {
        return all.stream()
                .filter(g -> runs.containsKey(g.scenario()) || runs.containsKey(g.scenario() + Report.REFERENCE_SUFFIX))
                .toList();
    }

    private static List<String> labels(List<Group> groups) {
        return groups.stream().map(Group::label).toList();
    }

    static double median(List<Map<String, String>> runs, String key) {
        if (runs == null) {
            return Double.NaN;
        }
        var values = new ArrayList<Double>();
        for (var run : runs) {
            try {
                values.add(Double.parseDouble(run.getOrDefault(key, "NaN")));
            } catch (NumberFormatException e) {
                values.add(Double.NaN);
            }
        }
        return Stats.median(values);
    }

    static Path save(Path prefix, String what, String svg) throws IOException {
        Path file = prefix.resolveSibling(prefix.getFileName() + "-" + what + ".svg");
        Files.createDirectories(file.getParent());
        Files.writeString(file, svg);
        return file;
    }
}
