package io.forkcast.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsWriterTest {

    @Test
    void eachFamilyHasHelpAndTypeThenItsSamples() {
        var labels = new LinkedHashMap<String, Long>();
        labels.put("flood", 2L);
        labels.put("we\"ird\\", 1L);
        var out = new MetricsWriter()
                .counter("forkcast_deliveries_total", "Frames queued.", 12)
                .gauge("forkcast_workers", "Workers by state.", "state", labels)
                .gauge("forkcast_meter_round_seconds", "Round.", 0.0125);
        assertEquals(
                List.of(
                        "# HELP forkcast_deliveries_total Frames queued.",
                        "# TYPE forkcast_deliveries_total counter",
                        "forkcast_deliveries_total 12",
                        "# HELP forkcast_workers Workers by state.",
                        "# TYPE forkcast_workers gauge",
                        "forkcast_workers{state=\"flood\"} 2",
                        "forkcast_workers{state=\"we\\\"ird\\\\\"} 1",
                        "# HELP forkcast_meter_round_seconds Round.",
                        "# TYPE forkcast_meter_round_seconds gauge",
                        "forkcast_meter_round_seconds 0.0125000"),
                out.lines());
    }

    @Test
    void aHistogramsBucketsAreCumulativeWithInfSumAndCount() {
        var out = new MetricsWriter()
                .histogram("forkcast_worker_pss_bytes", "PSS.", new long[] {10, 20}, new long[] {5, 10, 15, 25});
        assertEquals(
                List.of(
                        "# HELP forkcast_worker_pss_bytes PSS.",
                        "# TYPE forkcast_worker_pss_bytes histogram",
                        "forkcast_worker_pss_bytes_bucket{le=\"10\"} 2",
                        "forkcast_worker_pss_bytes_bucket{le=\"20\"} 3",
                        "forkcast_worker_pss_bytes_bucket{le=\"+Inf\"} 4",
                        "forkcast_worker_pss_bytes_sum 55",
                        "forkcast_worker_pss_bytes_count 4"),
                out.lines());
    }

    @Test
    void badNamesAndRepeatedFamiliesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MetricsWriter().counter("forkcast_lines", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> new MetricsWriter().gauge("clients", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> new MetricsWriter().gauge("forkcast_Clients", "x", 1));
        var out = new MetricsWriter().gauge("forkcast_clients", "x", 1);
        assertThrows(IllegalArgumentException.class, () -> out.gauge("forkcast_clients", "x", 2));
    }
}
