package io.forkcast.supervisor.relay;

import io.forkcast.supervisor.spawn.Reaper;

/** The relay's counters since start. Confined to the relay thread. */
public final class RelayStats {
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

    void exited(Reaper.Exit exit) {
        if (exit.signaled()) {
            exitedSignal++;
        } else if (exit.code() == 0) {
            exitedClean++;
        } else {
            exitedError++;
        }
    }

    String summary() {
        return "spawned=" + spawned + " exited_clean=" + exitedClean + " exited_error=" + exitedError
                + " exited_signal=" + exitedSignal + " frames_relayed=" + framesRelayed + " bytes_relayed="
                + bytesRelayed + " frames_rejected=" + framesRejected + " dropped_slow=" + droppedSlow
                + " hub_refused=" + hubRefused + " adopted=" + adopted + " handoffs=" + handoffs;
    }
}
