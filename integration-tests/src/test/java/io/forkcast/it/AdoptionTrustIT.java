package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a restart the supervisor adopts workers it did not spawn only while its adoption window is open, and only
 * for an id the previous supervisor had out that nobody holds; a forged Resume costs its sender, nobody else.
 */
@Timeout(180)
class AdoptionTrustIT {
    @Test
    void forgedResumesAreRefusedAndCostOnlyTheirSender() throws Exception {
        var forged = new ArrayList<Process>();
        var first = ForkcastServer.start();
        try (first;
                var a = first.join();
                var b = first.join();
                var d = first.join()) {
            d.expectLine(l -> l.startsWith("*** you are in"));
            a.send("/nick alice");
            a.expect("*** you are now known as alice");
            long aId = RawAdmin.idOf(first, a);
            long bId = RawAdmin.idOf(first, b);
            long dId = RawAdmin.idOf(first, d);
            b.send("/quit");
            first.awaitLog("event=exit worker=" + bId + " ");
            // The clients file is written at the end of the turn that reaped b: wait for a turn after it.
            try (var admin = AdminClient.connect(RawAdmin.socketOf(first))) {
                admin.stats();
            }
            ForkcastServer.kill(first.pid(), "KILL");
            a.expect("*** reconnecting to server...");
            // d's worker dies while no supervisor runs: its id stays out, and nobody comes back for it.
            ForkcastServer.kill(d.pid(), "KILL");

            try (var second = ForkcastServer.startAfter(first)) {
                a.expect("*** reconnected");

                for (long id : List.of(Long.MAX_VALUE, bId)) {
                    var p = ForgedWorker.start(second, id, null, "never relayed");
                    forged.add(p);
                    second.awaitLog("event=worker_rejected worker=0 pid=" + p.pid()
                            + " .*reason=id_not_out head=client_id=" + id);
                    ForgedWorker.awaitEnd(p);
                }
                var holder = ForgedWorker.start(second, aId, null, "never relayed");
                forged.add(holder);
                second.awaitLog("event=worker_rejected worker=0 pid=" + holder.pid() + " .*reason=id_in_use");
                ForgedWorker.awaitEnd(holder);

                // d's id was out and nobody holds it: a worker resuming it is taken, and its text cleaned again.
                var late = ForgedWorker.start(second, dId, "\uff21\uff2c\uff29\uff23\uff25", "look \u202Eright\u200B");
                forged.add(late);
                second.awaitLog("event=adopt worker=" + dId + " pid=" + late.pid());
                a.expect("[" + ForgedWorker.PEER + "] (" + late.pid() + "): look right");
                // Everyone the old supervisor had out is back: the window closes, and no more strangers are taken.
                second.awaitLog("event=adoption_closed adopted=2 unclaimed=0");
                var afterWindow = ForgedWorker.start(second, dId + 1, null);
                forged.add(afterWindow);
                second.awaitLog("event=hub_refused pid=" + afterWindow.pid() + " .*reason=adoption_closed");
                ForgedWorker.awaitEnd(afterWindow);

                try (var c = second.join()) {
                    a.expectLine(l -> l.equals("*** " + c.address() + " (" + c.pid() + ") joined"));
                    long cId = RawAdmin.idOf(second, c);
                    assertTrue(cId > dId && cId < 10_000, "new id " + cId);
                    a.send("still here");
                    c.expect("[alice] (" + a.pid() + "): still here");
                }
                assertTrue(ForkcastServer.alive(a.pid()));
                assertFalse(
                        a.seen().stream().anyMatch(l -> l.contains("never relayed")),
                        a.seen().toString());
                assertEquals(0, second.countLog("event=adopt worker=" + Long.MAX_VALUE));
            }
        } finally {
            forged.forEach(Process::destroyForcibly);
        }
    }
}
