package io.forkcast.worker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.worker.loop.FloodGate.Verdict;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class FloodGateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenLinesAreDroppedWithOneNotice() {
        var gate = new FloodGate(20, 50, 100, 0);
        for (int i = 0; i < 50; i++) {
            assertEquals(Verdict.PASS, gate.admit(0));
        }
        assertEquals(Verdict.DROP_FIRST, gate.admit(0));
        assertEquals(Verdict.DROP, gate.admit(0));
        assertEquals(Verdict.DROP, gate.admit(0));
    }

    @Test
    void theRateRefillsTheBucket() {
        var gate = new FloodGate(20, 50, 100, 0);
        for (int i = 0; i < 50; i++) {
            gate.admit(0);
        }
        assertEquals(Verdict.DROP_FIRST, gate.admit(0));
        // A second later, 20 more lines may pass; the next drop is announced again.
        for (int i = 0; i < 20; i++) {
            assertEquals(Verdict.PASS, gate.admit(SECOND));
        }
        assertEquals(Verdict.DROP_FIRST, gate.admit(SECOND));
    }

    @Test
    void aClientSendingAtTheRateIsNeverDropped() {
        var gate = new FloodGate(20, 50, 100, 0);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Verdict.PASS, gate.admit(i * SECOND / 20));
        }
    }

    @Test
    void aPersistentFlooderIsDisconnectedAfterTheDropBudget() {
        var gate = new FloodGate(20, 50, 100, 0);
        var verdicts = new ArrayList<Verdict>();
        for (int i = 0; i < 151; i++) {
            verdicts.add(gate.admit(0));
        }
        assertEquals(Verdict.PASS, verdicts.get(49));
        assertEquals(Verdict.DROP, verdicts.get(149));
        assertEquals(Verdict.DISCONNECT, verdicts.get(150));
    }

    @Test
    void dropsAreForgivenOverTime() {
        var gate = new FloodGate(20, 50, 100, 0);
        for (int i = 0; i < 140; i++) {
            gate.admit(0);
        }
        // 90 drops so far; ten seconds forgive 100 of them.
        for (int i = 0; i < 100; i++) {
            gate.admit(10 * SECOND);
        }
        assertEquals(Verdict.DROP, gate.admit(10 * SECOND));
    }
}
