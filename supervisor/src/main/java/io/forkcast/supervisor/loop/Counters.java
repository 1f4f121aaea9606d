package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.link.LeaveCause;
import io.forkcast.supervisor.link.LinkStats;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.SpawnStats;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.function.LongSupplier;

/**
 * The supervisor's counters since start, gathered from the layers that count them, in the order STATS has always
 * shown them (new counters go at the end). Confined to the loop thread.
 */
final class Counters {
    private final SpawnStats spawn;
    private final LinkStats links;
    private final LongSupplier bytesRelayed;
    private final LongSupplier deliveries;
    private final Router router;

    Counters(SpawnStats spawn, LinkStats links, LongSupplier bytesRelayed, LongSupplier deliveries, Router router) {
        this.spawn = spawn;
        this.links = links;
        this.bytesRelayed = bytesRelayed;
        this.deliveries = deliveries;
        this.router = router;
    }

    /** Every counter by its {@code snake_case} name, in a stable order. */
    SequencedMap<String, Long> snapshot() {
        var values = new LinkedHashMap<String, Long>();
        values.put("spawned", spawn.spawned());
        values.put("spawn_failed", spawn.spawnFailed());
        values.put("refused_full", spawn.refusedFull());
        values.put("refused_per_address", spawn.refusedPerAddress());
        values.put("refused_busy", spawn.refusedBusy());
        values.put("exited_clean", spawn.exitedClean());
        values.put("exited_error", spawn.exitedError());
        values.put("exited_signal", spawn.exitedSignal());
        for (var cause : LeaveCause.COUNTED) {
            values.put("left_" + cause.word(), links.leftBy(cause));
        }
        values.put("frames_relayed", router.framesRelayed());
        values.put("bytes_relayed", bytesRelayed.getAsLong());
        values.put("frames_rejected", links.framesRejected());
        values.put("dropped_slow", links.droppedSlow());
        values.put("duplicates_dropped", router.delivery().duplicatesDropped());
        values.put("hub_refused", links.hubRefused());
        values.put("kicked", links.kicked());
        values.put("handoffs", spawn.handoffs());
        values.put("adopted", links.adopted());
        values.put("boot_failed", spawn.bootFailed());
        values.put("private_lines", router.privateLines());
        values.put("deliveries", deliveries.getAsLong());
        return values;
    }

    /** The line logged when the supervisor stops. */
    String summary() {
        return "spawned=" + spawn.spawned() + " exited_clean=" + spawn.exitedClean() + " exited_error="
                + spawn.exitedError() + " exited_signal=" + spawn.exitedSignal() + " frames_relayed="
                + router.framesRelayed() + " bytes_relayed=" + bytesRelayed.getAsLong() + " frames_rejected="
                + links.framesRejected() + " dropped_slow=" + links.droppedSlow() + " hub_refused="
                + links.hubRefused() + " adopted=" + links.adopted() + " handoffs=" + spawn.handoffs()
                + " boot_failed=" + spawn.bootFailed();
    }
}
