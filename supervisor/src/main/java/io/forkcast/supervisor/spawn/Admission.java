package io.forkcast.supervisor.spawn;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.Peers;
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
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import jdk.net.ExtendedSocketOptions;

/**
 * The TCP front door and the limits on workers: accepts clients (a bounded number per turn), refuses them past
 * clients_per_address_max or workers_max, hands each to an idle spare or spawns a worker for it, keeps the pool topped up, and pauses the
 * listener while workers_starting_max JVMs are starting, so new clients wait in the kernel's backlog: on 2 cores,
 * fifty JVMs starting together all start slowly, while a few at a time start fast, one after the other. Confined to
 * the loop thread.
 */
public final class Admission implements KeyHandler {
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int ACCEPTS_PER_TURN = 16;
    private static final int SIGKILL = 9;
    private static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    private static final int KEEPALIVE_PROBES = 6;

    /** Gives a client to an idle spare; false when no spare took it. Implemented by the link layer. */
    @FunctionalInterface
    public interface Handoff {
        boolean handOff(SocketChannel client, long clientId, String peer);
    }

    private final ServerSocketChannel tcp;
    private final SelectionKey tcpKey;
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
    /** clients_per_address_max (0: no limit); changed by a reload. */
    private int clientsPerAddressMax;
    /** ipv6_prefix_length: how many leading bits of an IPv6 address make one address; changed by a reload. */
    private int ipv6PrefixBits;
    /** tcp_keepalive_idle in seconds (0: no keepalive); changed by a reload. */
    private int keepaliveIdleSeconds;
    /** Clients admitted per address, until their workers exit. */
    private final AddressCounts perAddress = new AddressCounts();
    /** Whether the listener is registered for accepts now. */
    private boolean acceptingNow = true;
    /** Set at shutdown: no more clients, no more spares. */
    private boolean closed;
    /** Set while a handover is under way: nothing is accepted and no spare starts, but the listener stays open. */
    private boolean held;

    public Admission(
            ServerSocketChannel tcp,
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
        this.tcp = tcp;
        this.selector = selector;
        this.spawner = spawner;
        this.children = children;
        this.pool = pool;
        this.clientIds = clientIds;
        this.handoff = handoff;
        this.adopted = adopted;
        limits(limits);
        this.log = log;
        tcp.configureBlocking(false);
        this.tcpKey = tcp.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    /** The settings admission applies, all live. */
    public record Limits(
            int workersMax,
            int workersStartingMax,
            int clientsPerAddressMax,
            int ipv6PrefixBits,
            Duration keepaliveIdle) {}

    /** Live settings of a reload (and of the start). */
    public void limits(Limits next) {
        this.workersMax = next.workersMax();
        this.workersStartingMax = next.workersStartingMax();
        this.clientsPerAddressMax = next.clientsPerAddressMax();
        this.ipv6PrefixBits = next.ipv6PrefixBits();
        this.keepaliveIdleSeconds =
                (int) Math.min(Integer.MAX_VALUE, next.keepaliveIdle().toSeconds());
    }

    /** A worker exited: its client, if it had one, no longer counts against its address. */
    public void left(long clientId) {
        perAddress.remove(clientId);
        clientIds.released(clientId);
    }

    public SpawnStats stats() {
        return stats;
    }

    @Override
    public void onReady(SelectionKey key) {
        SocketChannel accepted;
        // Bounded: a burst of clients must not keep the loop from the hub, where their workers wait for a Welcome.
        // The rest stay in the backlog, and the listener is still ready on the next turn.
        int budget = ACCEPTS_PER_TURN;
        while (budget-- > 0 && canStartAnother() && (accepted = acceptOrNull()) != null) {
            try (var client = accepted) {
                var remote = (InetSocketAddress) client.getRemoteAddress();
                admit(client, Peers.format(remote), AddressCounts.keyOf(remote.getAddress(), ipv6PrefixBits));
            } catch (IOException e) {
                log.warn("event=accept_error error=" + EventLog.quote(e.toString()));
            }
        }
    }

    /**
     * Refuses the client (one line, and its socket closed) past clients_per_address_max or workers_max, before any
     * worker or spare is spent on it; else hands it to a spare or spawns a worker. workers_max counts clients
     * only: idle spares never take a client's place.
     */
    private void admit(SocketChannel client, String peer, String addressKey) throws IOException {
        int fromAddress = perAddress.count(addressKey);
        if (clientsPerAddressMax > 0 && fromAddress >= clientsPerAddressMax) {
            stats.refusedPerAddress++;
            log.warn("event=refused peer=" + peer + " reason=per_address address=" + addressKey + " clients="
                    + fromAddress + " limit=" + clientsPerAddressMax);
            tell(client, spawner.kind().refusal("too many connections from your address"));
            return;
        }
        int clients = children.clients() + adopted.getAsInt();
        if (clients >= workersMax) {
            stats.refusedFull++;
            log.warn("event=refused peer=" + peer + " reason=full clients=" + clients + " limit=" + workersMax);
            tell(client, spawner.kind().refusal("server full, please try again later"));
            return;
        }
        keepAlive(client, peer);
        long clientId = clientIds.next();
        if (handoff.handOff(client, clientId, peer)) {
            stats.handoffs++;
            perAddress.add(clientId, addressKey);
            return;
        }
        try {
            var spawned = spawner.spawn(client);
            children.add(spawned, clientId, peer, false, System.nanoTime());
            perAddress.add(clientId, addressKey);
            stats.spawned++;
            watch(spawned);
            log.info("event=spawn worker=" + clientId + " pid=" + spawned.pid() + " peer=" + peer);
        } catch (WorkerSpawner.SpawnException e) {
            stats.spawnFailed++;
            clientIds.released(clientId);
            log.error("event=spawn_failed worker=" + clientId + " peer=" + peer + " reason="
                    + EventLog.quote(e.getMessage()));
            tell(client, spawner.kind().refusal("server cannot start a session now, please try again later"));
        }
    }

    /** True while a client can be served at once: a spare is idle, or fewer than the most JVMs are starting. */
    private boolean canStartAnother() {
        return pool.idle() > 0 || children.unlinked() < workersStartingMax;
    }

    /** At the end of each turn: pauses the listener, or resumes it, as {@link #canStartAnother} changed. */
    public void pauseOrResume() {
        if (closed || !tcpKey.isValid()) {
            return;
        }
        boolean accept = !held && canStartAnother();
        if (accept != acceptingNow) {
            acceptingNow = accept;
            tcpKey.interestOps(accept ? SelectionKey.OP_ACCEPT : 0);
            log.info("event=" + (accept ? "accept_resumed" : "accept_paused") + " starting=" + children.unlinked()
                    + " limit=" + workersStartingMax);
        }
    }

    /** At each tick: starts the spares the pool wants, and kills workers that never connected to the hub. */
    public void tick(long now) {
        startSpares(now);
        for (var child : children.all()) {
            if (!child.linked() && now - child.spawnedAtNanos() > CONNECT_TIMEOUT_NANOS) {
                log.warn("event=connect_timeout worker=" + child.clientId() + " pid=" + child.pid());
                child.signal(SIGKILL);
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
                var spawned = spawner.spawnSpare();
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
     * backlog for the successor, which serves the same socket) and no spare starts.
     */
    public void hold(boolean hold) {
        this.held = hold;
        pauseOrResume();
    }

    /** Shutdown: the listener closes, and no spare starts again. */
    public void close() {
        closed = true;
        tcpKey.cancel();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // The listener is going away either way.
        }
    }

    private SocketChannel acceptOrNull() {
        try {
            return tcp.accept();
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

    private static void tell(SocketChannel client, ByteBuffer refusal) {
        try {
            client.configureBlocking(false);
            client.write(refusal);
        } catch (IOException ignored) {
            // The client is being turned away; if it cannot even take one line there is nothing more to do.
        }
    }
}
