package io.forkcast.supervisor.spawn;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.Peers;
import io.forkcast.supervisor.front.FrontDoorKind;
import io.forkcast.supervisor.loop.KeyHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import jdk.net.ExtendedSocketOptions;

/**
 * The TCP front door and the limits on workers: accepts clients (a bounded number per turn), refuses them past
 * clients_per_address_max or workers_max, hands each to an idle spare or spawns a worker for it, and keeps the pool
 * topped up. While workers_starting_max JVMs are starting, new clients wait here, accepted, in arrival order (on 2
 * cores fifty JVMs starting together all start slowly, while a few at a time start fast, one after the other); past
 * accept_backlog_max waiting they are refused at once with a reason, never left silent in the kernel's backlog.
 * Confined to the loop thread.
 */
public final class Admission {
    private static final int ACCEPTS_PER_TURN = 16;
    private static final String CANNOT_START = "server cannot start a session now, please try again later";
    private static final int SIGKILL = 9;
    private static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    private static final int KEEPALIVE_PROBES = 6;

    /** Gives a client to an idle spare; false when no spare took it. Implemented by the link layer. */
    @FunctionalInterface
    public interface Handoff {
        boolean handOff(SocketChannel client, long clientId, String peer, FrontDoorKind kind);
    }

    /** The listening sockets, each with the kind of client it takes; fixed. */
    private final List<Listening> doors = new ArrayList<>();
    /** Where each worker's output pipe is read. */
    private final Selector selector;

    private final WorkerSpawner spawner;
    private final Children children;
    private final Pool<?> pool;
    private final ClientIds clientIds;
    private final Handoff handoff;
    /** Open links of adopted workers, which count against workers_max. */
    private final IntSupplier adopted;

    private final SpawnStats stats = new SpawnStats();
    private final EventLog log;
    /** workers_max; changed by a reload. */
    private int workersMax;
    /** workers_starting_max; changed by a reload. */
    private int workersStartingMax;
    /** accept_backlog_max: most clients in {@link #waiting}; changed by a reload. */
    private int acceptBacklogMax;
    /** worker_start_timeout in nanoseconds; changed by a reload. */
    private long startTimeoutNanos;
    /** Clients accepted while no worker could start for them, oldest first; admitted as JVMs connect. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** clients_per_address_max (0: no limit); changed by a reload. */
    private int clientsPerAddressMax;
    /** ipv6_prefix_length: how many leading bits of an IPv6 address make one address; changed by a reload. */
    private int ipv6PrefixBits;
    /** tcp_keepalive_idle in seconds (0: no keepalive); changed by a reload. */
    private int keepaliveIdleSeconds;
    /** Clients admitted per address, until their workers exit. */
    private final AddressCounts perAddress = new AddressCounts();
    /** The kinds clients arrived as lately: what new spares warm. */
    private final KindMix mix = new KindMix();
    /** Whether the listener is registered for accepts now. */
    private boolean acceptingNow = true;
    /** Set at shutdown: no more clients, no more spares. */
    private boolean closed;
    /** Set while a handover is under way: nothing is accepted and no spare starts, but the listener stays open. */
    private boolean held;

    /** A listening socket and the kind of client it takes: the chat port (telnet), the broker port. */
    public record Door(ServerSocketChannel channel, FrontDoorKind kind) {}

    /** A door as registered with the selector: accepts turn into arrivals of its kind. */
    private final class Listening implements KeyHandler {
        final Door door;
        final SelectionKey key;

        Listening(Door door) throws IOException {
            this.door = door;
            door.channel().configureBlocking(false);
            this.key = door.channel().register(selector, SelectionKey.OP_ACCEPT, this);
        }

        @Override
        public void onReady(SelectionKey ready) {
            accept(this);
        }
    }

    public Admission(
            List<Door> doors,
            Selector selector,
            WorkerSpawner spawner,
            Children children,
            Pool<?> pool,
            ClientIds clientIds,
            Handoff handoff,
            IntSupplier adopted,
            Limits limits,
            EventLog log)
            throws IOException {
        this.selector = selector;
        this.spawner = spawner;
        this.children = children;
        this.pool = pool;
        this.clientIds = clientIds;
        this.handoff = handoff;
        this.adopted = adopted;
        limits(limits);
        this.log = log;
        for (var door : doors) {
            this.doors.add(new Listening(door));
        }
    }

    /** A client accepted while workers_starting_max JVMs were starting, and its socket, held open here. */
    private record Waiting(SocketChannel client, String peer, String addressKey, FrontDoorKind kind) {}

    /** The settings admission applies, all live. */
    public record Limits(
            int workersMax,
            int workersStartingMax,
            int acceptBacklogMax,
            Duration workerStartTimeout,
            int clientsPerAddressMax,
            int ipv6PrefixBits,
            Duration keepaliveIdle) {}

    /** Live settings of a reload (and of the start). */
    public void limits(Limits next) {
        this.workersMax = next.workersMax();
        this.workersStartingMax = next.workersStartingMax();
        this.acceptBacklogMax = next.acceptBacklogMax();
        this.startTimeoutNanos = next.workerStartTimeout().toNanos();
        this.clientsPerAddressMax = next.clientsPerAddressMax();
        this.ipv6PrefixBits = next.ipv6PrefixBits();
        this.keepaliveIdleSeconds =
                (int) Math.min(Integer.MAX_VALUE, next.keepaliveIdle().toSeconds());
    }

    /**
     * A worker exited: its client, if it had one, no longer counts against its address; a client whose worker died
     * before it connected to the hub is told why, from the socket the supervisor kept for it.
     */
    public void left(Children.Child child) {
        child.releaseClient(CANNOT_START);
        perAddress.remove(child.clientId());
        clientIds.released(child.clientId());
    }

    public SpawnStats stats() {
        return stats;
    }

    private void accept(Listening listening) {
        SocketChannel accepted;
        // Bounded: a burst of clients must not keep the loop from the hub, where their workers wait for a Welcome.
        // The rest stay in the backlog, and the listener is still ready on the next turn.
        int budget = ACCEPTS_PER_TURN;
        while (budget-- > 0 && (accepted = acceptOrNull(listening.door.channel())) != null) {
            var client = accepted;
            boolean kept = false;
            try {
                // No Nagle on the client's socket, which its worker inherits: a line goes out when written, never
                // held for the ACK of the one before (workers already gather what one turn writes into one write).
                // The bench's broadcast did not move with it (13.7-15.5 / 32-35 ms either way): its latency is the
                // receivers' wake-ups, not Nagle; kept as interactive servers (and the C reference) do.
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                var remote = (InetSocketAddress) client.getRemoteAddress();
                var arrival = new Waiting(
                        client,
                        Peers.format(remote),
                        AddressCounts.keyOf(remote.getAddress(), ipv6PrefixBits),
                        listening.door.kind());
                kept = (waiting.isEmpty() && canStartAnother()) ? admit(arrival) : waitOrRefuse(arrival);
            } catch (IOException e) {
                log.warn("event=accept_error error=" + EventLog.quote(e.toString()));
            } finally {
                if (!kept) {
                    closeQuietly(client);
                }
            }
        }
    }

    /**
     * No JVM may start now: the client waits, accepted, unless accept_backlog_max wait already; then it is told the
     * server is busy. The limits of {@link #admit} are checked now too, counting the waiting, so that one address
     * cannot fill the queue. Returns whether the socket is kept.
     */
    private boolean waitOrRefuse(Waiting arrival) {
        long fromAddress = perAddress.count(arrival.addressKey())
                + waiting.stream()
                        .filter(w -> w.addressKey().equals(arrival.addressKey()))
                        .count();
        int clients = children.clients() + adopted.getAsInt() + waiting.size();
        if (refusedOverLimit(arrival, (int) fromAddress, clients)) {
            return false;
        }
        if (waiting.size() >= acceptBacklogMax) {
            refuseBusy(arrival);
            return false;
        }
        waiting.add(arrival);
        log.info("event=waiting peer=" + arrival.peer() + " waiting=" + waiting.size() + " limit=" + acceptBacklogMax
                + " starting=" + children.unlinked());
        return true;
    }

    private void refuseBusy(Waiting arrival) {
        stats.refusedBusy++;
        log.warn("event=refused peer=" + arrival.peer() + " reason=busy waiting=" + waiting.size() + " limit="
                + acceptBacklogMax + " starting=" + children.unlinked());
        tell(arrival.client(), arrival.kind().refusal("server busy, try again later"));
    }

    /**
     * Admits waiting clients, oldest first, while JVMs may start for them; a handover's hold lets them start too,
     * and waits for them as for any client still starting (see {@link #waiting()}).
     */
    private void admitWaiting() {
        Waiting next;
        while (!closed && canStartAnother() && (next = waiting.poll()) != null) {
            boolean kept = false;
            try {
                kept = admit(next);
            } catch (IOException e) {
                log.warn("event=accept_error peer=" + next.peer() + " error=" + EventLog.quote(e.toString()));
            } finally {
                if (!kept) {
                    closeQuietly(next.client());
                }
            }
        }
    }

    /**
     * Refuses the client (one line, and its socket closed) past clients_per_address_max or workers_max, before any
     * worker or spare is spent on it; else hands it to a spare or spawns a worker. workers_max counts clients
     * only: idle spares never take a client's place. Returns whether the socket is kept (until the worker spawned
     * for it connects).
     */
    private boolean admit(Waiting arrival) throws IOException {
        var client = arrival.client();
        var peer = arrival.peer();
        var addressKey = arrival.addressKey();
        if (refusedOverLimit(arrival, perAddress.count(addressKey), children.clients() + adopted.getAsInt())) {
            return false;
        }
        keepAlive(client, peer);
        mix.arrived(arrival.kind().name());
        long clientId = clientIds.next();
        // A spare serves a client of any kind: it is told which as it is handed the socket.
        if (handoff.handOff(client, clientId, peer, arrival.kind())) {
            stats.handoffs++;
            perAddress.add(clientId, addressKey);
            return false;
        }
        try {
            var spawned = spawner.spawn(client, arrival.kind());
            children.add(spawned, clientId, peer, false, System.nanoTime()).holdClient(client, arrival.kind());
            perAddress.add(clientId, addressKey);
            stats.spawned++;
            watch(spawned);
            log.info("event=spawn worker=" + clientId + " pid=" + spawned.pid() + " peer=" + peer
                    + (arrival.kind().equals(spawner.kind())
                            ? ""
                            : " kind=" + arrival.kind().name()));
            return true;
        } catch (WorkerSpawner.SpawnException e) {
            stats.spawnFailed++;
            clientIds.released(clientId);
            log.error("event=spawn_failed worker=" + clientId + " peer=" + peer + " reason="
                    + EventLog.quote(e.getMessage()));
            tell(client, arrival.kind().refusal(CANNOT_START));
            return false;
        }
    }

    /** Refuses the client, with its reason, when its address or the server is at its limit. */
    private boolean refusedOverLimit(Waiting arrival, int fromAddress, int clients) {
        if (clientsPerAddressMax > 0 && fromAddress >= clientsPerAddressMax) {
            stats.refusedPerAddress++;
            log.warn("event=refused peer=" + arrival.peer() + " reason=per_address address=" + arrival.addressKey()
                    + " clients=" + fromAddress + " limit=" + clientsPerAddressMax);
            tell(arrival.client(), arrival.kind().refusal("too many connections from your address"));
            return true;
        }
        if (clients >= workersMax) {
            stats.refusedFull++;
            log.warn("event=refused peer=" + arrival.peer() + " reason=full clients=" + clients + " limit="
                    + workersMax);
            tell(arrival.client(), arrival.kind().refusal("server full, please try again later"));
            return true;
        }
        return false;
    }

    /** True while a client can be served at once: a spare is idle, or fewer than the most JVMs are starting. */
    private boolean canStartAnother() {
        return pool.idle() > 0 || children.unlinked() < workersStartingMax;
    }

    /**
     * At the end of each turn: admits the waiting clients JVMs may start for now, then pauses the listener (only
     * while a handover holds it) or resumes it.
     */
    public void pauseOrResume() {
        if (closed) {
            return;
        }
        admitWaiting();
        boolean accept = !held;
        if (accept != acceptingNow) {
            acceptingNow = accept;
            for (var door : doors) {
                if (door.key.isValid()) {
                    door.key.interestOps(accept ? SelectionKey.OP_ACCEPT : 0);
                }
            }
            log.info("event=" + (accept ? "accept_resumed" : "accept_paused") + " starting=" + children.unlinked()
                    + " waiting=" + waiting.size());
        }
    }

    /**
     * At each tick: starts the spares the pool wants, and kills workers that never connected to the hub within
     * worker_start_timeout; the client of such a worker is told why before its socket closes.
     */
    public void tick(long now) {
        startSpares(now);
        for (var child : children.all()) {
            if (!child.linked() && now - child.spawnedAtNanos() > startTimeoutNanos) {
                log.warn("event=connect_timeout worker=" + child.clientId() + " pid=" + child.pid() + " peer="
                        + child.peer() + " timeout_ms=" + startTimeoutNanos / 1_000_000);
                child.signal(SIGKILL);
                child.releaseClient(CANNOT_START);
                children.linked(child);
            }
        }
    }

    /** Spares fill only the room left below workers_max by clients and the spares there are. */
    private void startSpares(long now) {
        int room =
                Math.min(workersMax - children.size() - adopted.getAsInt(), workersStartingMax - children.unlinked());
        if (closed || held || !children.sparesMayStart(now, pool.starting())) {
            return;
        }
        int wanted = pool.wanted(now, room);
        if (children.backingOff()) {
            // After boot failures one spare probes whether workers start again; the rest wait for its answer.
            wanted = Math.min(wanted, 1);
        }
        for (int i = 0; i < wanted; i++) {
            try {
                var spawned = spawner.spawnSpare(mix::seen);
                long pid = spawned.pid();
                children.add(spawned, 0, "spare", true, now);
                pool.started(pid);
                stats.spawned++;
                watch(spawned);
                log.info("event=spawn_spare pid=" + pid + " idle=" + pool.idle() + " starting=" + pool.starting());
            } catch (WorkerSpawner.SpawnException e) {
                stats.spawnFailed++;
                log.error("event=spawn_failed spare=yes reason=" + EventLog.quote(e.getMessage()));
                return;
            }
        }
    }

    /** Reads what the new worker prints on the loop; a pipe that cannot be registered is read at its exit. */
    private void watch(WorkerSpawner.Spawned spawned) {
        try {
            spawned.output().register(selector);
        } catch (IOException e) {
            log.warn("event=worker_output_error pid=" + spawned.pid() + " error=" + EventLog.quote(e.toString()));
        }
    }

    /**
     * A handover holds (true) or gives up (false): while held nothing is accepted (clients wait in the kernel's
     * backlog for the successor, which serves the same socket) and no spare starts; clients already waiting here
     * still get their workers.
     */
    public void hold(boolean hold) {
        this.held = hold;
        pauseOrResume();
    }

    /** Clients accepted and waiting for a worker. */
    public int waiting() {
        return waiting.size();
    }

    /** Every waiting client is told the server is busy, and let go. */
    public void refuseWaiting() {
        Waiting next;
        while ((next = waiting.poll()) != null) {
            refuseBusy(next);
            closeQuietly(next.client());
        }
    }

    /** Shutdown: the listener closes, the waiting clients are told the server is busy, and no spare starts again. */
    public void close() {
        closed = true;
        refuseWaiting();
        for (var door : doors) {
            door.key.cancel();
            try {
                door.door.channel().close();
            } catch (IOException ignored) {
                // The listener is going away either way.
            }
        }
    }

    private SocketChannel acceptOrNull(ServerSocketChannel listener) {
        try {
            return listener.accept();
        } catch (IOException e) {
            // EMFILE and friends: log, and let the next select try again.
            log.error("event=accept_failed error=" + EventLog.quote(e.toString()));
            return null;
        }
    }

    /**
     * TCP keepalive on the client's socket, which the worker inherits: a peer that vanished without a FIN or RST
     * (a dropped link, a sleeping laptop) ends its session with a reset after about idle + 6 x 10 s.
     */
    private void keepAlive(SocketChannel client, String peer) {
        if (keepaliveIdleSeconds <= 0) {
            return;
        }
        try {
            client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, Math.max(1, keepaliveIdleSeconds));
            client.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
            client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("event=keepalive_failed peer=" + peer + " error=" + EventLog.quote(e.toString()));
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // Closing a socket we are done with; nothing to do if it fails.
        }
    }

    private static void tell(SocketChannel client, ByteBuffer refusal) {
        try {
            client.configureBlocking(false);
            client.write(refusal);
            // A client that spoke first (a browser's HTTP request) would get a reset in place of the refusal if
            // the socket were closed with its bytes unread: what has arrived is read and dropped, a little at most.
            var unread = ByteBuffer.allocate(4096);
            for (int i = 0; i < 4 && client.read(unread) > 0; i++) {
                unread.clear();
            }
            client.shutdownOutput();
        } catch (IOException ignored) {
            // The client is being turned away; if it cannot even take one line there is nothing more to do.
        }
    }
}
