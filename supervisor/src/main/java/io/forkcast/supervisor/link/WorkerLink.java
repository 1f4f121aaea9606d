package io.forkcast.supervisor.link;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.supervisor.admin.AdminOps.ClientSnapshot;
import io.forkcast.supervisor.loop.KeyHandler;
import io.forkcast.supervisor.route.Mailbox;
import io.forkcast.supervisor.route.Member;
import io.forkcast.supervisor.route.Receipt;
import io.forkcast.supervisor.spawn.Pool;
import io.forkcast.supervisor.spawn.WorkerProcess;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One worker as the supervisor sees it: its hub connection, decoder and outbox, its process, and the client it
 * serves. It is that client's {@link Mailbox} in the routing domain. Its life is drawn in {@link LinkState}.
 * Confined to the loop thread.
 */
public final class WorkerLink implements Mailbox, KeyHandler, Pool.Spare {
    /** The worker's pid, from SO_PEERCRED at accept; fixed. */
    final long pid;
    /** The hub connection; fixed, closed by {@link Links#close}. */
    final SocketChannel channel;
    /** Frames read from the worker, half-read ones kept; fixed. */
    final FrameDecoder decoder;
    /** Frames waiting for the worker, bounded; fixed. */
    final Outbox outbox;
    /** The process, for signals: our child or an adopted worker; fixed. */
    final WorkerProcess process;
    /** Started by an earlier supervisor and reconnected to this one: not our child; fixed. */
    final boolean adopted;
    /** When the worker connected to the hub; fixed. A spare's age in the pool counts from here. */
    final long connectedAtNanos;
    /** When its client arrived: at connect for a worker spawned for one, at the hand-off for a spare. */
    long arrivedAtNanos;
    /** The table that reads, writes and closes links; fixed. */
    private final Links links;
    /** Where the link is in its life; moved forward by Links and HubProtocol. */
    LinkState state;
    /** The link's key on the loop's selector; set once by HubServer. */
    SelectionKey key;
    /** The client's id: set at spawn, at a hand-off or at a resume; 0 for a spare or an adoptee not yet resumed. */
    long clientId;
    /** The client's address, "spare" or "?" until it has a client. */
    String peer;
    /** The client in the routing domain, from its Hello or Resume on; null before. */
    Member member;
    /** Why the link is closing, as counted; set by the worker's ClientLeft or by the supervisor dropping it. */
    LeaveCause leaveCause;
    /** The same as logged: the worker's own word, which may be one the supervisor has no counter for. */
    String leaveWord;
    /** When a CLOSING link's worker is killed if it has not gone by itself. */
    long closeDeadlineNanos;
    /** Set while the link is on the writer's list of links to flush at the end of this turn. */
    boolean dirty;
    /** Frames queued for the worker since it connected; counted by LinkWriter. */
    long linesOut;
    /** The outbox's bytes written as of the tick that last saw it move; Links.tick. */
    long writtenAtTick;
    /** When a tick first saw the outbox holding frames and not moving (0: it moves, or is empty); Links.tick. */
    long stalledSinceNanos;
    /** When the worker last sent a fact; set by HubProtocol. */
    long lastInputNanos;

    WorkerLink(
            Links links,
            long clientId,
            long pid,
            String peer,
            SocketChannel channel,
            WorkerProcess process,
            boolean adopted,
            LinkState state,
            int maxFrameBytes,
            long outboxMaxBytes,
            long nowNanos) {
        this.links = links;
        this.clientId = clientId;
        this.pid = pid;
        this.peer = peer;
        this.channel = channel;
        this.process = process;
        this.adopted = adopted;
        this.state = state;
        this.decoder = new FrameDecoder(maxFrameBytes);
        this.outbox = new Outbox(outboxMaxBytes);
        this.connectedAtNanos = nowNanos;
        this.arrivedAtNanos = nowNanos;
        this.lastInputNanos = nowNanos;
    }

    @Override
    public boolean post(ByteBuffer frame) {
        return links.writer().enqueue(this, frame, Receipt.NONE);
    }

    @Override
    public boolean post(ByteBuffer frame, Receipt receipt) {
        return links.writer().enqueue(this, frame, receipt);
    }

    @Override
    public void onReady(SelectionKey ready) {
        links.ready(this, ready);
    }

    @Override
    public void onFailure(RuntimeException e) {
        links.reject(this, "internal_error", "");
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long connectedAtNanos() {
        return connectedAtNanos;
    }

    /** The client this link serves: named when a spare is handed one, or when an adopted worker resumes. */
    void assign(long id, String clientPeer) {
        this.clientId = id;
        this.peer = clientPeer;
        // LIST's age and idle are the client's, not the spare's that waited for it.
        this.arrivedAtNanos = System.nanoTime();
        this.lastInputNanos = arrivedAtNanos;
    }

    /** True when the outbox has held frames and written none for {@code limitNanos}; asked at each tick. */
    boolean stalled(long now, long limitNanos) {
        long written = outbox.writtenBytes();
        if (outbox.isEmpty() || written != writtenAtTick) {
            writtenAtTick = written;
            stalledSinceNanos = 0;
            return false;
        }
        if (stalledSinceNanos == 0) {
            stalledSinceNanos = now;
            return false;
        }
        return now - stalledSinceNanos > limitNanos;
    }

    /** Records why the link closes; the worker's word is logged as it came. */
    void leaving(LeaveCause cause, String word) {
        this.leaveCause = cause;
        this.leaveWord = word;
    }

    /** How others see this client: its nickname, or its address until it has one. */
    String name() {
        return member != null ? member.name() : peer;
    }

    String describe() {
        return "worker=" + clientId + " pid=" + pid + " peer=" + peer + (adopted ? " adopted=yes" : "");
    }

    @Override
    public String toString() {
        return "link " + describe() + " state=" + state;
    }

    /** Its client as the admin socket lists it, {@code member} being the client in the routing domain. */
    ClientSnapshot snapshot(Member member, long now) {
        return new ClientSnapshot(
                clientId,
                peer,
                pid,
                member.nick(),
                TimeUnit.NANOSECONDS.toSeconds(now - arrivedAtNanos),
                TimeUnit.NANOSECONDS.toSeconds(now - lastInputNanos),
                member.linesIn(),
                linesOut,
                outbox.queuedBytes(),
                member.room() == null ? null : member.room().name(),
                member.user(),
                member.kind(),
                null,
                member.brokerRole(),
                member.brokerChannel(),
                member.mqttClientId(),
                member.mqttSubscriptions());
    }
}
