package io.forkcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns RESULT lines (one per run) into the markdown table of docs/benchmarks.md: for each figure, the median
 * over the runs and every run's value; then, per scenario, the medians of all its keys. Stateless.
 */
final class Report {
    private Report() {}

    /** One row: the scenario it reads, its label (with {key} taken from the first run), keys, and unit. */
    private record Row(String scenario, String label, String unit, List<String> keys) {
        Row(String scenario, String label, String unit, String... keys) {
            this(scenario, label, unit, List.of(keys));
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row(
                    "banner",
                    "1. connect to banner p50 / p99 ({count} connections at {rate}/s, each closed after its banner)",
                    "ms",
                    "p50_ms",
                    "p99_ms"),
            new Row("banner", "1. connections without a banner", "", "failed"),
            new Row(
                    "banner_slow",
                    "1. connect to banner p50 / p99 at {rate}/s ({count} connections: the machine idle between them)",
                    "ms",
                    "p50_ms",
                    "p99_ms"),
            new Row(
                    "churn",
                    "2. sustained connections/s (open, banner, close; target {rate}/s for {seconds} s, "
                            + "at most {in_flight} waiting)",
                    "/s",
                    "achieved_per_s"),
            new Row(
                    "churn",
                    "2. CPU per connection, whole server tree / per worker spawned",
                    "ms",
                    "cpu_ms_per_conn",
                    "cpu_ms_per_spawn"),
            new Row("churn", "2. connect to banner p50 / p99 at saturation", "ms", "p50_ms", "p99_ms"),
            new Row(
                    "idle",
                    "3. PSS per idle worker, median / total ({clients} clients)",
                    "MiB",
                    "worker_pss_median_mib",
                    "workers_pss_total_mib"),
            new Row("idle", "3. supervisor PSS ({clients} clients)", "MiB", "supervisor_pss_mib"),
            new Row(
                    "broadcast",
                    "4. broadcast latency p50 / p99 ({clients} clients, 1 sender at {lines_per_s} lines/s, "
                            + "{line_bytes}-byte lines, {seconds} s)",
                    "ms",
                    "p50_ms",
                    "p99_ms"),
            new Row("broadcast", "4. lines lost / expected", "", "lost", "expected"),
            new Row(
                    "flood",
                    "5. deliveries/s ({clients} clients, {senders} senders flooding for {seconds} s)",
                    "/s",
                    "deliveries_per_s"),
            new Row(
                    "flood",
                    "5. lost / duplicated / reordered (of expected)",
                    "",
                    "lost",
                    "duplicates",
                    "reordered",
                    "expected"),
            new Row("flood", "5. clients dropped as slow", "", "clients_dropped"),
            new Row(
                    "flood",
                    "5. unpaced senders ({unpaced} of the {senders}, no window): lines written / received by the"
                            + " others of expected / senders dropped",
                    "",
                    "unpaced_written",
                    "unpaced_received",
                    "unpaced_expected",
                    "unpaced_dropped"),
            new Row(
                    "flood",
                    "5. write syscalls per delivery: whole server / supervisor / receiving worker per line it got /"
                            + " sending worker per line sent",
                    "",
                    "writes_per_delivery",
                    "sup_writes_per_delivery",
                    "recv_worker_writes_per_line",
                    "send_worker_writes_per_line"),
            new Row(
                    "broadcast_rooms",
                    "7. broadcast latency p50 / p99 in rooms ({clients} clients in {rooms} rooms, 1 sender at "
                            + "{lines_per_s} lines/s)",
                    "ms",
                    "p50_ms",
                    "p99_ms"),
            new Row("broadcast_rooms", "7. lines lost / expected", "", "lost", "expected"),
            new Row(
                    "flood_rooms",
                    "7. deliveries/s in rooms ({clients} clients in {rooms} rooms, {senders} senders flooding for "
                            + "{seconds} s)",
                    "/s",
                    "deliveries_per_s"),
            new Row(
                    "flood_rooms",
                    "7. lost / duplicated / reordered (of expected)",
                    "",
                    "lost",
                    "duplicates",
                    "reordered",
                    "expected"),
            new Row("crowd", "6. connected / attempted ({clients} at {rate}/s)", "", "connected", "attempted"),
            new Row("crowd", "6. test line received / expected", "", "line_received", "line_expected"),
            new Row("crowd", "6. total PSS, supervisor + workers", "MiB", "total_pss_mib"),
            new Row(
                    "broadcast_nohistory",
                    "8. broadcast latency p50 / p99 with history off (history_lines 0; figure 4 keeps history in"
                            + " the embedded store)",
                    "ms",
                    "p50_ms",
                    "p99_ms"),
            new Row("broadcast_nohistory", "8. lines lost / expected", "", "lost", "expected"),
            new Row(
                    "login",
                    "9. /login to logged in, p50 / p99 (bcrypt cost 10, {count} logins one after another)",
                    "ms",
                    "p50_ms",
                    "p99_ms"));

    /** Figure 10 (issue 17): the broker beside mosquitto. */
    private static final List<Row> BROKER_ROWS = java.util.stream.Stream.of(
                    brokerRows("broker", "forkcast broker, store on (H2, committed before sent)"),
                    brokerRows("broker_nostore", "forkcast broker, store off (--store-url none)"),
                    brokerRows("mosquitto", "mosquitto QoS 1 (persistence false)"))
            .flatMap(List::stream)
            .toList();

    /** Figure 12 (issue 12): forkcast's MQTT port beside mosquitto, 1 publisher to many subscribers. */
    private static final List<Row> MQTT_ROWS = java.util.stream.Stream.of(
                    mqttRows("mqtt", "forkcast mqtt_port"), mqttRows("mqtt_mosquitto", "mosquitto"))
            .flatMap(List::stream)
            .toList();

    /** Figure 12's rows for one of its two scenarios. */
    private static List<Row> mqttRows(String scenario, String label) {
        var rows = new ArrayList<Row>();
        for (String qos : new String[] {"0", "1"}) {
            String q = "qos" + qos + "_";
            rows.add(new Row(
                    scenario,
                    "12. " + label + ": QoS " + qos + " publish-to-deliver p50 / p99 (1 publisher at {lines_per_s}"
                            + "/s for {seconds} s, {subscribers} subscribers, {payload_bytes}-byte payloads)",
                    "ms",
                    q + "p50_ms",
                    q + "p99_ms"));
            rows.add(new Row(
                    scenario,
                    "12. " + label + ": QoS " + qos + " messages delivered/s ({count} PUBLISHes, at most {window}"
                            + " not yet at every subscriber)",
                    "/s",
                    q + "delivered_per_s"));
            rows.add(new Row(
                    scenario,
                    "12. " + label + ": QoS " + qos + " lost (latency, of expected / throughput, of expected)",
                    "",
                    q + "lat_lost",
                    q + "lat_expected",
                    q + "tput_lost",
                    q + "tput_expected"));
        }
        rows.add(new Row(
                scenario,
                "12. " + label + ": connections/s, one after another (TCP connect to CONNACK), and its p50 / p99",
                "",
                "connects_per_s",
                "connect_p50_ms",
                "connect_p99_ms"));
        rows.add(new Row(
                scenario,
                "12. " + label + ": PSS per MQTT worker, median (forkcast) / of the one mosquitto process with"
                        + " every client connected",
                "MiB",
                scenario.equals("mqtt") ? "worker_pss_median_mib" : "mosquitto_pss_mib"));
        return List.copyOf(rows);
    }

    /** Figure 10's rows for one of its three scenarios, {@code label} saying which broker and how. */
    private static List<Row> brokerRows(String scenario, String label) {
        return List.of(
                new Row(
                        scenario,
                        "10. " + label + ": latency p50 / p99, one at a time (each send waits for the previous"
                                + " message's arrival; {count_latency} messages of {data_bytes} bytes, 1 sender,"
                                + " 1 receiver)",
                        "ms",
                        "one_p50_ms",
                        "one_p99_ms"),
                new Row(
                        scenario,
                        "10. " + label + ": messages/s, one at a time / window {window_latency} / window {window}"
                                + " unanswered sends ({count_latency}, {count_latency}, {count} messages)",
                        "/s",
                        "one_per_s",
                        "lat_per_s",
                        "tput_per_s"),
                new Row(
                        scenario,
                        "10. " + label + ": latency p50 / p99, window {window_latency}",
                        "ms",
                        "lat_p50_ms",
                        "lat_p99_ms"),
                new Row(
                        scenario,
                        "10. " + label + ": latency p50 / p99, window {window}",
                        "ms",
                        "tput_p50_ms",
                        "tput_p99_ms"),
                new Row(
                        scenario,
                        "10. " + label + ": lost / duplicated / reordered / refused by the broker (of expected)",
                        "",
                        "lost",
                        "duplicates",
                        "reordered",
                        "refused",
                        "expected"));
    }

    /** The reference's scenarios are those of forkcast with this suffix (scripts/bench --reference). */
    static final String REFERENCE_SUFFIX = "_ref";

    private static final String TABLE_HEAD = "| figure | median | runs |\n|---|---|---|\n";

    static String markdown(List<String> lines) {
        var byScenario = new LinkedHashMap<String, List<Map<String, String>>>();
        for (String line : lines) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            var fields = new LinkedHashMap<String, String>();
            for (String kv : line.substring(7).trim().split(" ", -1)) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            byScenario
                    .computeIfAbsent(fields.getOrDefault("scenario", "?"), k -> new ArrayList<>())
                    .add(fields);
        }
        var sb = new StringBuilder();
        sb.append(TABLE_HEAD);
        for (var row : java.util.stream.Stream.of(ROWS, BROKER_ROWS, MQTT_ROWS)
                .flatMap(List::stream)
                .toList()) {
            var runs = byScenario.get(row.scenario());
            if (runs == null) {
                continue;
            }
            var each = new ArrayList<String>();
            for (var run : runs) {
                var values = new ArrayList<String>();
                for (String key : row.keys()) {
                    values.add(run.getOrDefault(key, "-"));
                }
                each.add(String.join(" / ", values));
            }
            sb.append("| ")
                    .append(label(row.label(), runs.get(0)))
                    .append(" | ")
                    .append(medians(row, runs))
                    .append(" | ")
                    .append(String.join("; ", each))
                    .append(" |\n");
        }
        if (sb.length() == TABLE_HEAD.length()) {
            sb.setLength(0); // only the C reference ran: its table below is the whole story
        }
        reference(sb, byScenario);
        curves(sb, Curve.parse(lines));
        sb.append("\n<details><summary>every figure (median over runs)</summary>\n\n");
        for (var entry : byScenario.entrySet()) {
            sb.append("- ")
                    .append(entry.getKey())
                    .append(" (")
                    .append(entry.getValue().size())
                    .append(" runs):");
            for (String key : entry.getValue().get(0).keySet()) {
                if (key.equals("scenario")) {
                    continue;
                }
                double m = median(entry.getValue(), key);
                sb.append(' ')
                        .append(key)
                        .append('=')
                        .append(Double.isNaN(m) ? entry.getValue().get(0).get(key) : Stats.fmt(m));
            }
            sb.append('\n');
        }
        sb.append("\n</details>\n");
        return sb.toString();
    }

    /** Forkcast's figures beside the C reference's, for every row the reference ran (figures 1, 2, 4, 5, 6). */
    private static void reference(StringBuilder sb, Map<String, List<Map<String, String>>> byScenario) {
        var rows = ROWS.stream()
                .filter(row -> byScenario.containsKey(row.scenario() + REFERENCE_SUFFIX))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        sb.append("\nThe same loads against the C reference (bench/reference/epoll-chat.c: one process, one epoll"
                + " loop), medians:\n\n| figure | forkcast | C |\n|---|---|---|\n");
        for (var row : rows) {
            var refRuns = byScenario.get(row.scenario() + REFERENCE_SUFFIX);
            var own = byScenario.get(row.scenario());
            sb.append("| ")
                    .append(label(row.label(), refRuns.get(0)))
                    .append(" | ")
                    .append(own == null ? "-" : medians(row, own))
                    .append(" | ")
                    .append(medians(row, refRuns))
                    .append(" |\n");
        }
    }

    private static String medians(Row row, List<Map<String, String>> runs) {
        var medians = new ArrayList<String>();
        for (String key : row.keys()) {
            medians.add(Stats.fmt(median(runs, key)));
        }
        return String.join(" / ", medians) + (row.unit().isEmpty() ? "" : " " + row.unit());
    }

    /** Figure 6 over time, one table per run that sampled (scripts/bench passes sample_s to the crowd). */
    private static void curves(StringBuilder sb, List<Curve> curves) {
        for (var curve : curves) {
            sb.append("\n<details><summary>")
                    .append(curve.scenario())
                    .append(" run ")
                    .append(curve.run())
                    .append(" over time</summary>\n\n")
                    .append(curve.markdown())
                    .append("\n</details>\n");
        }
    }

    private static double median(List<Map<String, String>> runs, String key) {
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

    private static String label(String template, Map<String, String> run) {
        var sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                sb.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            sb.append(template, i, open).append(run.getOrDefault(template.substring(open + 1, close), "?"));
            i = close + 1;
        }
        return sb.toString();
    }
}
