package io.forkcast.supervisor.spawn;

/** What spawning and reaping count since start. Confined to the loop thread; read by the STATS report. */
public final class SpawnStats {
    long spawned;
    long spawnFailed;
    long refusedFull;
    long refusedPerAddress;
    long refusedBusy;
    long handoffs;
    long exitedClean;
    long exitedError;
    long exitedSignal;
    long bootFailed;

    /** Counts a child reaped, by how it ended. */
    public void exited(Reaper.Exit exit) {
        if (exit.signaled()) {
            exitedSignal++;
        } else if (exit.code() == 0) {
            exitedClean++;
        } else {
            exitedError++;
        }
    }

    /** Counts a worker that exited with an error before it connected to the hub. */
    public void countBootFailure() {
        bootFailed++;
    }

    public long bootFailed() {
        return bootFailed;
    }

    public long spawned() {
        return spawned;
    }

    public long spawnFailed() {
        return spawnFailed;
    }

    public long refusedFull() {
        return refusedFull;
    }

    public long refusedPerAddress() {
        return refusedPerAddress;
    }

    public long refusedBusy() {
        return refusedBusy;
    }

    public long handoffs() {
        return handoffs;
    }

    public long exitedClean() {
        return exitedClean;
    }

    public long exitedError() {
        return exitedError;
    }

    public long exitedSignal() {
        return exitedSignal;
    }
}
