package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final List<String> RESULTS = List.of(
            "RESULT scenario=flood clients=100 senders=5 seconds=10 deliveries_per_s=389206 writes_per_delivery=0.033"
                    + " sup_writes_per_delivery=0.004 recv_worker_writes_per_line=0.004"
                    + " send_worker_writes_per_line=0.025",
            "RESULT scenario=flood_ref clients=100 senders=5 seconds=10 deliveries_per_s=595130"
                    + " writes_per_delivery=0.005 sup_writes_per_delivery=0.005",
            "SAMPLE scenario=crowd_ref t_s=2.00 connected=95 served=- cpu_pct=0.5 pss_mib=0.571",
            "SAMPLE scenario=crowd_ref t_s=4.00 connected=100 served=94 cpu_pct=0.5 pss_mib=0.587",
            "RESULT scenario=crowd_ref clients=100 rate=50 connected=100 attempted=100 total_pss_mib=0.587");

    @Test
    void writesPerDeliveryHaveARowOfTheirOwn() {
        String md = Report.markdown(RESULTS);
        assertTrue(
                md.contains("| 5. write syscalls per delivery: whole server / supervisor / receiving worker per line"
                        + " it got / sending worker per line sent | 0.033 / 0.004 / 0.004 / 0.025 |"),
                md);
    }

    @Test
    void theReferenceStandsBesideForkcast() {
        String md = Report.markdown(RESULTS);
        assertTrue(
                md.contains("| 5. deliveries/s (100 clients, 5 senders flooding for 10 s) | 389206 /s | 595130 /s |"),
                md);
        assertTrue(md.contains("| 6. total PSS, supervisor + workers | - | 0.587 MiB |"), md);
        // The reference's rows stay out of the main table, whose format the trend parser reads.
        assertFalse(md.contains("| 6. total PSS, supervisor + workers | 0.587"), md);
    }

    @Test
    void samplesBeforeAResultAreThatRunsCurve() {
        var curves = Curve.parse(RESULTS);
        assertEquals(1, curves.size());
        assertEquals("crowd_ref", curves.get(0).scenario());
        assertEquals(2, curves.get(0).samples().size());
        assertTrue(Double.isNaN(curves.get(0).samples().get(0).served()));
        assertTrue(Report.markdown(RESULTS).contains("| 4 | 100 | 94 | 0.500 | 0.587 |"));
    }
}
