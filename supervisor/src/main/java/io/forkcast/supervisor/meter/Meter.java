package io.forkcast.supervisor.meter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Samples every worker's {@link ProcessUsage} in rounds, scheduled on the housekeeping tick and read off the loop
 * thread: each tick that finds no batch in flight hands the meter thread the next {@link #SAMPLES_PER_TICK} pids of
 * the round, with {@link #PSS_PER_TICK} of them (workers never measured first) also read for PSS, and takes in the
 * results of the batch before. A round takes the pids alive when it starts, the supervisor's own included, and
 * starts no sooner than {@link #ROUND_MIN_NANOS} after the last. So the work per tick is bounded however many
 * workers there are (CPU, RSS, threads and descriptors of 1000 workers every 3 s, PSS every 50 s), and the loop
 * never waits on /proc: one PSS read of the supervisor takes about 8 ms, which would stall every delivery behind
 * it. Confined to the loop thread; the meter thread only reads /proc and queues immutable results.
 *
 * <pre>
 *   idle --round due--> round: pids queued --tick: batch to the meter thread--> in flight --tick: results in--> ...
 *        <--------------------------------- queue empty ---------------------------------------------------
 * </pre>
 */
public final class Meter implements AutoCloseable {
    static final int SAMPLES_PER_TICK = 32;
    static final int PSS_PER_TICK = 2;
    static final long ROUND_MIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One read to make: the pid, its last sample, and whether to read its PSS too. */
    private record Request(long pid, ProcessUsage previous, boolean withPss) {}

    /** What one batch found: a pid with its new sample, or null if the process is gone. */
    private record Result(long pid, ProcessUsage usage) {}

    private final ProcReader reader;
    private final Executor executor;
    /** The executor this meter started, closed with it; null when one was given. */
    private final ExecutorService owned;

    private final long selfPid = ProcessHandle.current().pid();
    /** The last sample of every worker seen alive; entries of processes gone are dropped when a round starts. */
    private final Map<Long, ProcessUsage> byPid = new HashMap<>();
    /** Pids still to sample in this round. */
    private final ArrayDeque<Long> due = new ArrayDeque<>();
    /** Pids whose PSS is to be read again, in turn; refilled with every pid alive when it runs out. */
    private final ArrayDeque<Long> pssDue = new ArrayDeque<>();
    /** Every pid alive at the start of the current round. */
    private Set<Long> alive = Set.of();
    /** Batches read by the meter thread, taken by the loop at the next tick. */
    private final Queue<List<Result>> results = new ConcurrentLinkedQueue<>();
    /** Set while a batch is with the meter thread: one at a time. */
    private boolean inFlight;

    private boolean started;
    private long roundStartedNanos;
    private boolean roundOpen;
    /** How long the last complete round took, for METRICS. */
    private long lastRoundNanos;
    /** The supervisor's own last sample, or null. */
    private ProcessUsage self;

    /** Reads /proc on a daemon thread of its own. */
    public Meter(ProcReader reader) {
        this.reader = reader;
        this.owned = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("meter").factory());
        this.executor = owned;
    }

    /** Reads /proc with {@code executor}: {@code Runnable::run} for tests. */
    Meter(ProcReader reader, Executor executor) {
        this.reader = reader;
        this.executor = executor;
        this.owned = null;
    }

    /**
     * At each tick: takes in what the last batch read, starts a round when one is due with the pids {@code pids}
     * gives (every worker alive), and hands the next batch of the round to the meter thread.
     */
    public void tick(long nowNanos, Consumer<LongConsumer> pids) {
        List<Result> batch;
        while ((batch = results.poll()) != null) {
            inFlight = false;
            take(batch, nowNanos);
        }
        if (inFlight) {
            return;
        }
        if (due.isEmpty() && (!started || nowNanos - roundStartedNanos >= ROUND_MIN_NANOS)) {
            startRound(nowNanos, pids);
        }
        if (due.isEmpty()) {
            return;
        }
        var requests = new ArrayList<Request>(SAMPLES_PER_TICK);
        int pssLeft = PSS_PER_TICK;
        while (!due.isEmpty() && requests.size() < SAMPLES_PER_TICK) {
            long pid = due.poll();
            var previous = pid == selfPid ? self : byPid.get(pid);
            // A worker never measured for PSS goes first: a newcomer shows its memory within a second.
            boolean withPss = pssLeft > 0 && (previous == null || previous.pssBytes() < 0);
            if (withPss) {
                pssLeft--;
                pssDue.remove(pid);
            }
            requests.add(new Request(pid, previous, withPss));
        }
        for (int i = 0; i < requests.size() && pssLeft > 0; i++) {
            var r = requests.get(i);
            if (!r.withPss() && !pssDue.isEmpty() && pssDue.peek() == r.pid()) {
                pssDue.poll();
                requests.set(i, new Request(r.pid(), r.previous(), true));
                pssLeft--;
            }
        }
        while (pssLeft-- > 0 && !pssDue.isEmpty()) {
            long pid = pssDue.poll();
            if (alive.contains(pid)) {
                requests.add(new Request(pid, pid == selfPid ? self : byPid.get(pid), true));
            }
        }
        submit(List.copyOf(requests));
    }

    private void submit(List<Request> requests) {
        inFlight = true;
        try {
            executor.execute(() -> {
                var out = new ArrayList<Result>(requests.size());
                for (var r : requests) {
                    out.add(new Result(r.pid(), reader.read(r.pid(), r.previous(), System.nanoTime(), r.withPss())));
                }
                results.add(out);
            });
        } catch (RejectedExecutionException e) {
            inFlight = false; // closed: the supervisor is stopping
        }
    }

    private void take(List<Result> batch, long nowNanos) {
        for (var result : batch) {
            if (result.pid() == selfPid) {
                self = result.usage() != null ? result.usage() : self;
            } else if (result.usage() == null || !alive.contains(result.pid())) {
                byPid.remove(result.pid());
            } else {
                byPid.put(result.pid(), result.usage());
            }
        }
        if (due.isEmpty() && roundOpen) {
            roundOpen = false;
            lastRoundNanos = nowNanos - roundStartedNanos;
        }
    }

    private void startRound(long nowNanos, Consumer<LongConsumer> pids) {
        started = true;
        roundOpen = true;
        roundStartedNanos = nowNanos;
        var next = new LinkedHashSet<Long>();
        next.add(selfPid);
        pids.accept(pid -> {
            if (pid > 0) {
                next.add(pid);
            }
        });
        alive = next;
        due.addAll(next);
        byPid.keySet().retainAll(next);
        pssDue.removeIf(pid -> !next.contains(pid));
        if (pssDue.isEmpty()) {
            pssDue.addAll(next);
        }
    }

    /** The last sample of process {@code pid}, or null if it has not been sampled yet. */
    public ProcessUsage usage(long pid) {
        return byPid.get(pid);
    }

    /** The last sample of every worker alive at the last round's start. */
    public List<ProcessUsage> all() {
        return new ArrayList<>(byPid.values());
    }

    /** The supervisor's own last sample, or null before the first. */
    public ProcessUsage self() {
        return self;
    }

    /** How long the last complete round took, in nanoseconds (0 before one completed). */
    public long lastRoundNanos() {
        return lastRoundNanos;
    }

    /** Stops the meter thread (a batch being read is abandoned). */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
