package io.forkcast.supervisor.spawn;

import io.forkcast.supervisor.front.FrontDoorKind;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The processes this supervisor started, from spawn until the loop reaps them: for whom each was started, whether
 * its JVM has connected to the hub yet, and a pidfd that every signal goes through. Confined to the loop thread.
 */
public final class Children {
    /** A process the supervisor started, until it is reaped. Confined to the loop thread. */
    public static final class Child extends HeldProcess {
        /** When it was spawned; fixed. */
        private final long spawnedAtNanos;
        /** Started ahead of demand, without a client; fixed. */
        private final boolean spare;
        /** The client it serves: set at spawn, or at a hand-off for a spare; 0 for a spare without one. */
        private long clientId;
        /** The client's address, or "spare". */
        private String peer;
        /** What the child prints on its fd 1 and 2, read by the loop; fixed. */
        private final WorkerOutput output;
        /** Set once its JVM connected to the hub (or was given up on); moves unlinked down by one. */
        private boolean linked;
        /** Set once its JVM connected to the hub: from then on its exit is no boot failure. */
        private boolean connected;
        /**
         * The supervisor's copy of its client's socket, kept until the JVM connects so that a worker that never
         * does can still be told why its client is closed; null for a spare, and once released.
         */
        private SocketChannel client;
        /** How {@link #client} is told why it is closed; set with it. */
        private FrontDoorKind clientKind;

        Child(
                long pid,
                long clientId,
                String peer,
                boolean spare,
                long spawnedAtNanos,
                int pidfd,
                WorkerOutput output) {
            // The pidfd is opened right after spawn and released once the loop has reaped the child. Without
            // pidfds (an old kernel) the pid is safe still: only the loop reaps, and it forgets the child first.
            super(pid, pidfd);
            this.clientId = clientId;
            this.peer = peer;
            this.spare = spare;
            this.spawnedAtNanos = spawnedAtNanos;
            this.output = output;
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

        public boolean connected() {
            return connected;
        }

        /** What it printed; null for a child started without a pipe. */
        public WorkerOutput output() {
            return output;
        }

        public long spawnedAtNanos() {
            return spawnedAtNanos;
        }

        /** Keeps the supervisor's copy of the client's socket until the JVM connects or is given up on. */
        void holdClient(SocketChannel socket, FrontDoorKind kind) {
            this.client = socket;
            this.clientKind = kind;
        }

        /** Tells the held client socket, if any, {@code reason} (null: nothing) in its own protocol; closes it. */
        void releaseClient(String reason) {
            if (client == null) {
                return;
            }
            try (var socket = client) {
                if (reason != null) {
                    socket.configureBlocking(false);
                    socket.write(clientKind.refusal(reason));
                }
            } catch (IOException ignored) {
                // The client is being let go either way; a line it cannot take changes nothing.
            }
            client = null;
        }
    }

    /** Every child not yet reaped, by pid; changed by add and remove. */
    private final Map<Long, Child> byPid = new HashMap<>();
    /** Children whose JVM has not connected to the hub yet: JVMs still starting. */
    private int unlinked;
    /** Children that serve a client (spawned for one, or a spare handed one): what workers_max counts. */
    private int clients;
    /** How long spare starts wait after boot failures; reset when a worker connects. */
    private final Backoff backoff = new Backoff();
    /** Set when a child first connects to the hub: workers can start. */
    private boolean everConnected;

    /** A child just spawned: held by a pidfd from now on. */
    public Child add(WorkerSpawner.Spawned spawned, long clientId, String peer, boolean spare, long nowNanos) {
        long pid = spawned.pid();
        var child = new Child(pid, clientId, peer, spare, nowNanos, Pidfd.open(pid), spawned.output());
        byPid.put(pid, child);
        unlinked++;
        if (clientId != 0) {
            clients++;
        }
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
        child.releaseClient(null);
    }

    /** The child's JVM connected to the hub: it booted, and so workers can boot again. */
    public void connected(Child child) {
        linked(child);
        child.connected = true;
        if (child.output != null) {
            child.output.connected();
        }
        everConnected = true;
        backoff.reset();
    }

    /** A child exited before it connected, with an error: spare starts wait longer. */
    public void bootFailed(long nowNanos) {
        backoff.failed(nowNanos);
    }

    /** True unless spare starts are waiting out boot failures; while they are, one spare at a time probes. */
    public boolean sparesMayStart(long nowNanos, int sparesStarting) {
        return backoff.allows(nowNanos) && !(backoff.active() && sparesStarting > 0);
    }

    /** True while boot failures are being waited out. */
    public boolean backingOff() {
        return backoff.active();
    }

    /** True once any child connected to the hub. */
    public boolean everConnected() {
        return everConnected;
    }

    /** A spare child was handed a client. */
    public void assign(long pid, long clientId, String peer) {
        var child = byPid.get(pid);
        if (child != null) {
            if (child.clientId == 0 && clientId != 0) {
                clients++;
            }
            child.clientId = clientId;
            child.peer = peer;
        }
    }

    /**
     * The child exited: forgotten before the loop reaps it. Returns it, or null if it was not ours; a client socket
     * it still holds is Admission's to let go ({@link Admission#left}).
     */
    public Child remove(long pid) {
        var child = byPid.remove(pid);
        if (child != null && !child.linked) {
            unlinked--;
        }
        if (child != null && child.clientId != 0) {
            clients--;
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

    /** Children serving a client: spares without one are not counted. */
    public int clients() {
        return clients;
    }

    /** Children still starting. */
    public int unlinked() {
        return unlinked;
    }
}
