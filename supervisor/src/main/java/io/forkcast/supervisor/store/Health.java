package io.forkcast.supervisor.store;

import io.forkcast.protocol.log.EventLog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The store's state and the one log line per change of it: down (with the error), recovering (connected again
 * with a backlog), up (with how many queued writes it drained). Changed by the writer thread only; read by any
 * thread.
 *
 * <pre>
 *   DOWN ──connected, backlog──▶ RECOVERING ──backlog answered──▶ UP
 *     │  ◀──────────── connection lost ────────────┴──────────────────┘
 *     └──connected, nothing queued──▶ UP
 * </pre>
 */
final class Health {
    private final EventLog log;
    /** The dialect's word, on every line. */
    private final String database;
    /** Written by the writer, read by callers deciding whether a read can be tried. */
    private volatile StoreState state = StoreState.DOWN;
    /** The last error seen on a write or a connection, or null. */
    private volatile String lastError;
    /** Whether this outage has been logged (the first failed connection at start is an outage too). */
    private volatile boolean downLogged;
    /** Counted down by the writer's first connection attempt, whatever its outcome. */
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** Writes queued when the connection came back, and how many have been answered since. */
    private long backlog;

    private long drained;

    Health(EventLog log, String database) {
        this.log = log;
        this.database = database;
    }

    StoreState state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    /** True while the store is down after a failed attempt (before the first attempt it is only starting). */
    boolean outage() {
        return state == StoreState.DOWN && downLogged;
    }

    /** Waits until the writer's first connection attempt is over, so that a read does not race the schema. */
    boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
        return firstAttempt.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The writer has a connection and the schema is current; {@code queued} writes wait. */
    void connected(int queued) {
        if (queued > 0) {
            backlog = queued;
            drained = 0;
            state = StoreState.RECOVERING;
            log.info("event=store_recovering db=" + database + " queued=" + queued);
        } else {
            up(0);
        }
        // Last: a read waiting for the first attempt must find the state it led to.
        firstAttempt.countDown();
    }

    /** {@code writes} writes were answered (committed, or failed for a reason of their own). */
    void answered(int writes) {
        if (state == StoreState.RECOVERING) {
            drained += writes;
            if (drained >= backlog) {
                up(drained);
            }
        }
    }

    /** The connection failed or was lost with {@code error}; logged once per outage. */
    void lost(String error) {
        error = firstLine(error);
        lastError = error;
        if (state != StoreState.DOWN || !downLogged) {
            state = StoreState.DOWN;
            downLogged = true;
            log.warn("event=store_down db=" + database + " error=" + EventLog.quote(error));
        }
        firstAttempt.countDown();
    }

    /** A write failed for a reason of its own (the database refused that row). */
    void rejected(String error) {
        error = firstLine(error);
        lastError = error;
    }

    /** The store cannot be used at all (its schema is newer than the code): logged once, stays down. */
    void refused(String error) {
        error = firstLine(error);
        lastError = error;
        state = StoreState.DOWN;
        downLogged = true;
        log.error("event=store_refused db=" + database + " error=" + EventLog.quote(error));
        firstAttempt.countDown();
    }

    /** A driver's message up to its first line break (H2 appends the whole statement on the next lines). */
    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void up(long drainedWrites) {
        state = StoreState.UP;
        downLogged = false;
        log.info("event=store_up db=" + database + " drained=" + drainedWrites);
    }
}
