package io.forkcast.supervisor.meter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Samples every worker's {@link ProcessUsage} in rounds, a few per housekeeping tick: a round takes the pids alive
 * when it starts and reads at most {@link #SAMPLES_PER_TICK} of them per tick, and for at most {@link
 * #BUDGET_NANOS} of the tick; a new round starts no sooner than {@link #ROUND_MIN_NANOS} after the last one. So
 * the loop spends a bounded time per tick however many workers there are, and with many workers each is simply
 * sampled less often. The supervisor samples itself once per round. Confined to the loop thread.
 *
 * <pre>
 *   idle --round due (1 s after the last)--> round: pids queued --tick: up to 32 read--> ... --queue empty--> idle
 * </pre>
 */
public final class Meter {
    static final int SAMPLES_PER_TICK = 32;
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    static final long ROUND_MIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProcReader reader;
    private final long selfPid;
    /** The last sample of every process seen alive; entries of processes gone are dropped when a round starts. */
    private final Map<Long, ProcessUsage> byPid = new HashMap<>();
    /** Pids still to sample in this round. */
    private final ArrayDeque<Long> due = new ArrayDeque<>();
    /** When the current (or last) round started. */
    private long roundStartedNanos;

    private boolean started;
    /** How long the last complete round took, for METRICS. */
    private long lastRoundNanos;
    /** The supervisor's own last sample, or null. */
    private ProcessUsage self;

    public Meter(ProcReader reader) {
        this.reader = reader;
        this.selfPid = ProcessHandle.current().pid();
    }

    /**
     * At each tick: starts a round when one is due, with the pids {@code pids} gives (every worker alive), then
     * samples the next few pids of the round.
     */
    public void tick(long nowNanos, Consumer<LongConsumer> pids) {
        if (due.isEmpty() && (!started || nowNanos - roundStartedNanos >= ROUND_MIN_NANOS)) {
            startRound(nowNanos, pids);
        }
        int read = 0;
        long deadline = nowNanos + BUDGET_NANOS;
        while (!due.isEmpty() && read < SAMPLES_PER_TICK && (read == 0 || System.nanoTime() - deadline < 0)) {
            long pid = due.poll();
            var usage = reader.read(pid, byPid.get(pid), System.nanoTime());
            if (usage == null) {
                byPid.remove(pid);
            } else {
                byPid.put(pid, usage);
            }
            read++;
            if (due.isEmpty()) {
                lastRoundNanos = System.nanoTime() - roundStartedNanos;
            }
        }
    }

    private void startRound(long nowNanos, Consumer<LongConsumer> pids) {
        started = true;
        roundStartedNanos = nowNanos;
        Set<Long> alive = new HashSet<>();
        pids.accept(pid -> {
            if (pid > 0 && alive.add(pid)) {
                due.add(pid);
            }
        });
        byPid.keySet().retainAll(alive);
        self = reader.read(selfPid, self, nowNanos);
    }

    /** The last sample of process {@code pid}, or null if it has not been sampled yet. */
    public ProcessUsage usage(long pid) {
        return byPid.get(pid);
    }

    /** The last sample of every worker sampled and alive at the last round's start. */
    public List<ProcessUsage> all() {
        return new ArrayList<>(byPid.values());
    }

    /** The supervisor's own last sample, or null before the first round. */
    public ProcessUsage self() {
        return self;
    }

    /** How long the last complete round took, in nanoseconds (0 before one completed). */
    public long lastRoundNanos() {
        return lastRoundNanos;
    }
}
