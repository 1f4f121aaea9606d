package io.forkcast.supervisor.loop;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.link.Links;
import io.forkcast.supervisor.spawn.Admission;
import io.forkcast.supervisor.spawn.Children;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A planned restart on SIGUSR2, the way nginx and unicorn upgrade their binaries: this supervisor starts its
 * successor on the same runtime directory and listener, and leaves it every worker. Confined to the loop thread.
 *
 * <pre>
 *   SERVING --USR2--> SETTLING: accepting paused, spares killed; clients whose workers are still starting
 *                     are waited for (at most 10 s)
 *           --settled--> STARTING: the successor is spawned with the listener; this one still relays
 *           --successor ready--> DRAINING: systemd told MAINPID=; no link is read any more (lines not yet
 *                     relayed stay unacknowledged in their workers, which resend them to the successor); every
 *                     outbox is written out (at most 2 s)
 *           --outboxes empty--> DONE: every link closed without a word; each worker reconnects to the successor
 *   STARTING --successor failed, or 180 s--> SERVING again (logged)
 * </pre>
 */
public final class Handover {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Long enough for a successor whose launcher retrains the AOT cache for new jars first. */
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(180);

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int SIGKILL = 9;

    /** Starts the successor and returns its pid; its readiness (its pid, or -1) comes back as an event. */
    @FunctionalInterface
    public interface Starter {
        long start() throws Exception;
    }

    enum State {
        SERVING,
        SETTLING,
        STARTING,
        DRAINING,
        DONE
    }

    private final EventLog log;
    private final Admission admission;
    private final Links links;
    private final Children children;
    /** Starts the successor; null when this supervisor cannot hand over (never attached). */
    private Starter starter;
    /** Tells systemd the successor's pid (MAINPID=); set with the starter. */
    private LongConsumer mainPid = pid -> {};

    private State state = State.SERVING;
    /** When the current state began, in {@link System#nanoTime} terms. */
    private long sinceNanos;
    /** The successor's pid while STARTING and after. */
    private long successorPid;

    Handover(EventLog log, Admission admission, Links links, Children children) {
        this.log = log;
        this.admission = admission;
        this.links = links;
        this.children = children;
    }

    void attach(Starter next, LongConsumer announceMainPid) {
        this.starter = next;
        this.mainPid = announceMainPid;
    }

    State state() {
        return state;
    }

    /** True once every link is handed over: the loop may end, leaving the workers running. */
    boolean done() {
        return state == State.DONE;
    }

    /** SIGUSR2. */
    void begin(long now) {
        if (state != State.SERVING) {
            log.warn("event=handover_ignored reason=already_" + state.name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        if (starter == null) {
            log.error("event=handover_failed reason=not_supported");
            return;
        }
        log.info("event=handover_begin clients=" + links.serving() + " workers=" + children.size());
        admission.hold(true);
        for (var child : children.all()) {
            // An idle spare has no client to keep (the successor starts its own); one still starting is left to
            // exit by itself when its link is refused or closed, so that it does not count as a failed boot.
            if (child.clientId() == 0 && child.connected()) {
                child.signal(SIGKILL);
            }
        }
        enter(State.SETTLING, now);
        tick(now);
    }

    /** The successor reported: serving as {@code pid}, or failed ({@code pid} -1). */
    void successorReady(long pid, long now) {
        if (state != State.STARTING) {
            return;
        }
        if (pid <= 0 || pid != successorPid) {
            fail("successor_failed pid=" + successorPid);
            return;
        }
        log.info("event=handover_ready successor=" + pid + " clients=" + links.serving());
        mainPid.accept(pid);
        links.freeze();
        enter(State.DRAINING, now);
        tick(now);
    }

    void tick(long now) {
        switch (state) {
            case SETTLING -> {
                if ((links.joining() == 0 && startingClients() == 0 && admission.waiting() == 0)
                        || now - sinceNanos > SETTLE_NANOS) {
                    // Clients still waiting for a worker after the settling time would go with this supervisor.
                    admission.refuseWaiting();
                    startSuccessor(now);
                }
            }
            case STARTING -> {
                if (now - sinceNanos > START_NANOS) {
                    fail("successor_timeout pid=" + successorPid);
                }
            }
            case DRAINING -> {
                if (links.drained() || now - sinceNanos > DRAIN_NANOS) {
                    int handed = links.abandonAll();
                    log.info("event=handover_done successor=" + successorPid + " workers=" + handed
                            + (links.drained() ? "" : " note=outboxes_not_empty"));
                    enter(State.DONE, now);
                }
            }
            case SERVING, DONE -> {
                // Nothing to move along.
            }
        }
    }

    private void startSuccessor(long now) {
        try {
            // Written at the end of the last turn; from now on the successor, which reads it, keeps the record.
            links.recordIds(false);
            successorPid = starter.start();
            log.info("event=handover_spawned successor=" + successorPid + " starting=" + startingClients());
            enter(State.STARTING, now);
        } catch (Exception e) {
            fail("spawn_failed error=" + EventLog.quote(e.toString()));
        }
    }

    private void fail(String why) {
        log.error("event=handover_failed reason=" + why + " note=still_serving");
        admission.hold(false);
        links.recordIds(true);
        state = State.SERVING;
    }

    private int startingClients() {
        int starting = 0;
        for (var child : children.all()) {
            if (child.clientId() != 0 && !child.linked()) {
                starting++;
            }
        }
        return starting;
    }

    private void enter(State next, long now) {
        state = next;
        sinceNanos = now;
    }
}
