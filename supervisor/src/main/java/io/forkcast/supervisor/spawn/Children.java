package io.forkcast.supervisor.spawn;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The processes this supervisor started, from spawn until they are reaped: for whom each was started, and whether
 * its JVM has connected to the hub yet. Confined to the loop thread.
 */
public final class Children {
    /** A process the supervisor started, until it is reaped. Confined to the loop thread. */
    public static final class Child implements WorkerProcess {
        /** The child's pid; fixed. */
        private final long pid;
        /** When it was spawned; fixed. */
        private final long spawnedAtNanos;
        /** Started ahead of demand, without a client; fixed. */
        private final boolean spare;
        /** How the child is signalled; fixed. */
        private final Reaper reaper;
        /** The client it serves: set at spawn, or at a hand-off for a spare; 0 for a spare without one. */
        private long clientId;
        /** The client's address, or "spare". */
        private String peer;
        /** Set once its JVM connected to the hub (or was given up on); moves unlinked down by one. */
        private boolean linked;

        Child(long pid, long clientId, String peer, boolean spare, long spawnedAtNanos, Reaper reaper) {
            this.pid = pid;
            this.clientId = clientId;
            this.peer = peer;
            this.spare = spare;
            this.spawnedAtNanos = spawnedAtNanos;
            this.reaper = reaper;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean signal(int signal) {
            return reaper.signal(pid, signal);
        }

        public long clientId() {
            return clientId;
        }

        public String peer() {
            return peer;
        }

        public boolean spare() {
            return spare;
        }

        public boolean linked() {
            return linked;
        }

        public long spawnedAtNanos() {
            return spawnedAtNanos;
        }
    }

    private final Reaper reaper;
    /** Every child not yet reaped, by pid; changed by add and remove. */
    private final Map<Long, Child> byPid = new HashMap<>();
    /** Children whose JVM has not connected to the hub yet: JVMs still starting. */
    private int unlinked;

    public Children(Reaper reaper) {
        this.reaper = reaper;
    }

    /** A child just spawned. */
    public Child add(long pid, long clientId, String peer, boolean spare, long nowNanos) {
        var child = new Child(pid, clientId, peer, spare, nowNanos, reaper);
        byPid.put(pid, child);
        unlinked++;
        return child;
    }

    public Child get(long pid) {
        return byPid.get(pid);
    }

    /** The child's JVM connected to the hub, or is given up on (killed for never connecting). */
    public void linked(Child child) {
        if (!child.linked) {
            child.linked = true;
            unlinked--;
        }
    }

    /** A spare child was handed a client. */
    public void assign(long pid, long clientId, String peer) {
        var child = byPid.get(pid);
        if (child != null) {
            child.clientId = clientId;
            child.peer = peer;
        }
    }

    /** The child was reaped; returns it, or null if it was not ours. */
    public Child remove(long pid) {
        var child = byPid.remove(pid);
        if (child != null && !child.linked) {
            unlinked--;
        }
        return child;
    }

    /** Every child not yet reaped: a live, read-only view. */
    public Collection<Child> all() {
        return Collections.unmodifiableCollection(byPid.values());
    }

    public int size() {
        return byPid.size();
    }

    public boolean isEmpty() {
        return byPid.isEmpty();
    }

    /** Children still starting. */
    public int unlinked() {
        return unlinked;
    }
}
