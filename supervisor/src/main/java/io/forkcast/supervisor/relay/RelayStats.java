package io.forkcast.supervisor.relay;

import io.forkcast.supervisor.spawn.Reaper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/** The relay's counters since start. Confined to the relay thread. */
public final class RelayStats {
    /** Why clients leave, as counted: the words workers and the relay use; any other word counts as "other". */
    static final List<String> LEAVE_CAUSES =
            List.of("quit", "eof", "reset", "flood", "slow", "slow_worker", "kicked", "rejected", "hub_error",
                    "disconnected", "other");

    long spawned;
    long spawnFailed;
    long refusedFull;
    long exitedClean;
    long exitedError;
    long exitedSignal;
    long hubRefused;
    long framesRelayed;
    long bytesRelayed;
    long framesRejected;
    long droppedSlow;
    long duplicatesDropped;
    long adopted;
    long handoffs;
    long kicked;
    private final long[] left = new long[LEAVE_CAUSES.size()];

    void exited(Reaper.Exit exit) {
        if (exit.signaled()) {
            exitedSignal++;
        } else if (exit.code() == 0) {
            exitedClean++;
        } else {
            exitedError++;
        }
    }

    /** Counts a client gone; {@code cause} may come from a worker, so only known words get a counter of their own. */
    void left(String cause) {
        int i = LEAVE_CAUSES.indexOf(cause);
        left[i >= 0 ? i : LEAVE_CAUSES.size() - 1]++;
    }

    /** Every counter by its {@code snake_case} name, in a stable order. */
    SequencedMap<String, Long> snapshot() {
        var values = new LinkedHashMap<String, Long>();
        values.put("spawned", spawned);
        values.put("spawn_failed", spawnFailed);
        values.put("refused_full", refusedFull);
        values.put("exited_clean", exitedClean);
        values.put("exited_error", exitedError);
        values.put("exited_signal", exitedSignal);
        for (int i = 0; i < left.length; i++) {
            values.put("left_" + LEAVE_CAUSES.get(i), left[i]);
        }
        values.put("frames_relayed", framesRelayed);
        values.put("bytes_relayed", bytesRelayed);
        values.put("frames_rejected", framesRejected);
        values.put("dropped_slow", droppedSlow);
        values.put("duplicates_dropped", duplicatesDropped);
        values.put("hub_refused", hubRefused);
        values.put("kicked", kicked);
        values.put("handoffs", handoffs);
        values.put("adopted", adopted);
        return values;
    }

    String summary() {
        return "spawned=" + spawned + " exited_clean=" + exitedClean + " exited_error=" + exitedError
                + " exited_signal=" + exitedSignal + " frames_relayed=" + framesRelayed + " bytes_relayed="
                + bytesRelayed + " frames_rejected=" + framesRejected + " dropped_slow=" + droppedSlow
                + " hub_refused=" + hubRefused + " adopted=" + adopted + " handoffs=" + handoffs;
    }
}
