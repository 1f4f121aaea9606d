package io.forkcast.supervisor.link;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.supervisor.admin.AdminOps.ClientSnapshot;
import io.forkcast.supervisor.front.FrontDoorKind;
import io.forkcast.supervisor.front.TelnetDoor;
import io.forkcast.supervisor.route.Frames;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.Children;
import io.forkcast.supervisor.spawn.ClientIds;
import io.forkcast.supervisor.spawn.FdPasser;
import io.forkcast.supervisor.spawn.Pool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Every hub link, and the few ways one ends: closed on eof or error, rejected for a bad frame, dropped when it does
 * not keep up, kicked, retired, shut down. Hands spares their clients. Closing a joined link is where the routing
 * domain learns that a client left. Confined to the loop thread.
 */
public final class Links {
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SLOW_WORKER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A worker with frames waiting that takes none for this long is dropped as slow: they hold senders' acks. */
    static final long STALLED_WORKER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final int SIGKILL = 9;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final EventLog log;
    private final Router router;
    private final Frames frames;
    private final Pool<WorkerLink> pool;
    private final Children children;
    private final FdPasser fdPasser;
    /** Which client ids are out: released here when an adopted worker's link closes, written at each turn's end. */
    private final ClientIds ids;
    /** Told the number of clients present each time it changes (systemd's status line). */
    private final IntConsumer clientCount;

    private final LinkWriter writer = new LinkWriter(this::dropSlow);
    private final LinkStats stats = new LinkStats();
    private final HubProtocol protocol;
    /** Shared by every read: frames are decoded out of it before the next link is read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    /** Every open link, in order of connection; changed by register and close. */
    private final Set<WorkerLink> all = new LinkedHashSet<>();
    /** Links that serve a client, by its id (joining, joined or closing); changed by register, handOff, close. */
    private final Map<Long, WorkerLink> byClient = new LinkedHashMap<>();
    /** Open links of adopted workers; changed by register and close. */
    private int adopted;
    /** Writes {@code <runtime-dir>/clients} at each turn's end; made with the ids. */
    private final ClientRecord record;

    public Links(
            EventLog log,
            Router router,
            Frames frames,
            Pool<WorkerLink> pool,
            Children children,
            FdPasser fdPasser,
            ClientIds ids,
            IntConsumer clientCount) {
        this.log = log;
        this.router = router;
        this.frames = frames;
        this.pool = pool;
        this.children = children;
        this.fdPasser = fdPasser;
        this.ids = ids;
        this.record = new ClientRecord(ids, router, log);
        this.clientCount = clientCount;
        this.protocol = new HubProtocol(this, router, pool, ids, log);
    }

    LinkWriter writer() {
        return writer;
    }

    LinkStats mutableStats() {
        return stats;
    }

    public LinkStats stats() {
        return stats;
    }

    // ---- Links arriving ----

    /** A link HubServer admitted and registered. */
    void register(WorkerLink link) {
        all.add(link);
        if (link.adopted) {
            adopted++;
        } else if (link.state == LinkState.JOINING) {
            byClient.put(link.clientId, link);
        }
    }

    /** True if a link serves client {@code clientId} now. */
    boolean serving(long clientId) {
        return byClient.containsKey(clientId);
    }

    /** A resumed worker takes up its client id. */
    void resumed(WorkerLink link) {
        byClient.put(link.clientId, link);
    }

    /** True while workers of an earlier supervisor may be adopted (see {@link ClientIds#adoptionOpen}). */
    boolean adoptionOpen(long now) {
        return ids.adoptionOpen(now);
    }

    void clientCountChanged() {
        clientCount.accept(router.directory().size());
    }

    /**
     * Gives the client to an idle spare, if there is one: its socket goes over the spare's hub link with an Assign
     * frame, and the spare answers with Hello like a worker started for it. False: no spare took it.
     */
    public boolean handOff(SocketChannel client, long clientId, String peer, FrontDoorKind kind) {
        WorkerLink spare;
        while ((spare = pool.take()) != null) {
            // A spare starts as a telnet worker; a client of another kind is named in the frame that hands it over.
            ByteBuffer frame = frames.encode(
                    TelnetDoor.INSTANCE.name().equals(kind.name())
                            ? new SupervisorMessage.Assign()
                            : new SupervisorMessage.Assign2(kind.name()));
            try {
                fdPasser.pass(spare.channel, frame, client);
            } catch (IOException | RuntimeException e) {
                log.warn("event=handoff_failed pid=" + spare.pid + " error=" + EventLog.quote(e.toString()));
                spare.process.signal(SIGKILL);
                close(spare, LeaveCause.HANDOFF_FAILED);
                continue;
            }
            spare.state = LinkState.JOINING;
            spare.assign(clientId, peer);
            byClient.put(clientId, spare);
            children.assign(spare.pid, clientId, peer);
            log.info("event=handoff worker=" + clientId + " pid=" + spare.pid + " peer=" + peer + " kind="
                    + kind.name());
            return true;
        }
        return false;
    }

    // ---- I/O ----

    void ready(WorkerLink link, SelectionKey key) {
        if (key.isReadable()) {
            read(link);
        }
        if (key.isValid() && key.isWritable()) {
            writer.flush(link);
        }
    }

    private void read(WorkerLink link) {
        int n;
        try {
            readBuffer.clear();
            n = link.channel.read(readBuffer);
        } catch (IOException e) {
            closeAsRecorded(link, LeaveCause.HUB_ERROR);
            return;
        }
        if (n < 0) {
            closeAsRecorded(link, LeaveCause.EOF);
            return;
        }
        readBuffer.flip();
        protocol.feed(link, readBuffer);
    }

    /** At the end of each turn: links flushed (broken ones closed), then acks for what was written, flushed. */
    public void endOfTurn() {
        writer.endOfTurn(this::closeBroken);
        router.endOfTurn();
        writer.endOfTurn(this::closeBroken);
        record.flush();
    }

    // ---- Links leaving ----

    /**
     * A write to the link failed: most often its worker has just exited (EPIPE), having said why in a ClientLeft
     * that waits unread in the socket because this turn wrote to the link before reading it. What the worker sent
     * is read first, so that its leave carries its own cause; only a link that recorded none is a hub error.
     */
    private void closeBroken(WorkerLink link) {
        while (writer.reading() && link.state != LinkState.CLOSED) {
            int n;
            try {
                readBuffer.clear();
                n = link.channel.read(readBuffer);
            } catch (IOException e) {
                break;
            }
            if (n <= 0) {
                break;
            }
            readBuffer.flip();
            protocol.feed(link, readBuffer);
        }
        closeAsRecorded(link, LeaveCause.HUB_ERROR);
    }

    /** Bad input from a worker costs that worker only: one log line, its link closed, the process killed. */
    void reject(WorkerLink link, String reason, String head) {
        stats.framesRejected++;
        log.error("event=worker_rejected " + link.describe() + " reason=" + reason + " head=" + head);
        link.process.signal(SIGKILL);
        close(link, LeaveCause.REJECTED);
    }

    /** Closes {@code link} for {@code cause}, whatever the link recorded before. */
    void close(WorkerLink link, LeaveCause cause) {
        close(link, cause, cause.word());
    }

    /** Closes {@code link} for the cause it recorded (the worker's ClientLeft, or why it was being dropped), if any. */
    void closeAsRecorded(WorkerLink link, LeaveCause otherwise) {
        if (link.leaveCause != null) {
            close(link, link.leaveCause, link.leaveWord);
        } else {
            close(link, otherwise);
        }
    }

    private void close(WorkerLink link, LeaveCause cause, String word) {
        if (link.state == LinkState.CLOSED) {
            return;
        }
        link.state = LinkState.CLOSED;
        all.remove(link);
        pool.remove(link);
        if (byClient.get(link.clientId) == link) {
            byClient.remove(link.clientId);
        }
        if (link.adopted) {
            adopted--;
        }
        boolean joined = link.member != null;
        if (joined) {
            stats.count(cause);
        }
        link.key.cancel();
        closeQuietly(link.channel);
        link.outbox.releaseAll(); // what it held for senders is not waited for any more
        if (link.adopted) {
            link.process.release();
            // Our own children give up their ids when they exit (the reaper); an adoptee when its link closes.
            ids.released(link.clientId);
        }
        if (joined) {
            router.left(link.member);
            clientCountChanged();
        }
        long ageSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - link.arrivedAtNanos);
        log.info("event=left " + link.describe() + " name=" + EventLog.quote(link.name()) + " cause=" + word + " in="
                + (joined ? link.member.linesIn() : 0) + " out=" + link.linesOut + " age=" + ageSeconds);
    }

    /** A worker that does not keep up is told why, given a moment, then killed; it never slows the others. */
    private void dropSlow(WorkerLink link) {
        log.warn("event=outbox_full " + link.describe() + " queued=" + link.outbox.queuedBytes() + " limit="
                + link.outbox.limitBytes());
        dropSlowNow(link);
    }

    private void dropSlowNow(WorkerLink link) {
        stats.droppedSlow++;
        link.outbox.discardUnstarted();
        closing(
                link,
                LeaveCause.SLOW_WORKER,
                System.nanoTime() + SLOW_WORKER_GRACE_NANOS,
                new Disconnect("disconnected: the server could not deliver to you fast enough"));
    }

    /** Like a slow worker: told why, given a moment to pass it on, then killed if it has not exited. */
    public boolean kick(long clientId, String reason) {
        var link = byClient.get(clientId);
        if (link == null || link.state != LinkState.JOINED || !link.member.receiving()) {
            return false;
        }
        stats.kicked++;
        log.info("event=kick " + link.describe() + " reason=" + EventLog.quote(reason));
        closing(link, LeaveCause.KICKED, System.nanoTime() + SLOW_WORKER_GRACE_NANOS, new Disconnect(reason));
        return true;
    }

    private void closing(WorkerLink link, LeaveCause cause, long deadlineNanos, Disconnect bye) {
        link.state = LinkState.CLOSING;
        if (cause != null) {
            link.leaving(cause, cause.word());
        }
        link.closeDeadlineNanos = deadlineNanos;
        if (link.member != null) {
            router.stopDelivering(link.member);
        }
        writer.force(link, frames.encode(bye));
    }

    // ---- Housekeeping and shutdown ----

    /** At each tick: kills closing workers past their deadline, drops adoptees that never resumed, retires spares. */
    public void tick(long now) {
        for (var link : new ArrayList<>(all)) {
            if (link.state == LinkState.CLOSING && now > link.closeDeadlineNanos) {
                link.process.signal(SIGKILL);
                closeAsRecorded(link, LeaveCause.OTHER);
            } else if (link.state == LinkState.ADOPTING && now - link.connectedAtNanos > CONNECT_TIMEOUT_NANOS) {
                close(link, LeaveCause.NO_RESUME);
            } else if (link.state == LinkState.JOINED && link.stalled(now, STALLED_WORKER_NANOS)) {
                log.warn("event=outbox_stalled " + link.describe() + " queued=" + link.outbox.queuedBytes()
                        + " seconds=" + TimeUnit.NANOSECONDS.toSeconds(now - link.stalledSinceNanos));
                dropSlowNow(link);
            }
        }
        // Those who never came back are told to their rooms as gone, as they would have been had they left here.
        int unclaimed = ids.closeWindowIfOver(
                now, gone -> router.desk().departed(gone.id(), gone.pid(), gone.name(), gone.room()));
        if (unclaimed > 0 || (unclaimed == 0 && stats.adopted > 0)) {
            log.info("event=adoption_closed adopted=" + stats.adopted + " unclaimed=" + unclaimed);
        }
        WorkerLink old;
        while ((old = pool.retire(now)) != null) {
            log.info("event=spare_retired pid=" + old.pid + " idle=" + pool.idle());
            closing(old, LeaveCause.RETIRED, now + SLOW_WORKER_GRACE_NANOS, new Disconnect("retired"));
        }
    }

    /**
     * Tells every client the server is going down (each worker closes its link once it has said so), and closes
     * the links that serve no client yet (spares, workers that have not resumed): they exit on eof.
     */
    public void beginShutdown() {
        for (var link : byClient.values()) {
            closing(link, null, Long.MAX_VALUE, new Disconnect("server shutting down"));
        }
        for (var link : new ArrayList<>(all)) {
            if (byClient.get(link.clientId) != link) {
                close(link, LeaveCause.SHUTDOWN);
            }
        }
    }

    /** The grace period is over: adopted workers still connected are killed (our children are killed by pid). */
    public void killAdopted() {
        for (var link : byClient.values()) {
            if (link.adopted) {
                log.warn("event=shutdown_kill " + link.describe());
                link.process.signal(SIGKILL);
            }
        }
    }

    // ---- Handing over to a successor ----

    /**
     * Whether this supervisor writes {@code <runtime-dir>/clients}: not while a successor is starting (it has
     * read the file, and records its own clients there; writing ours would erase them), again if it failed.
     */
    public void recordIds(boolean record) {
        this.record.recording = record;
    }

    /** Links of clients whose worker has not said Hello yet. */
    public int joining() {
        int joining = 0;
        for (var link : byClient.values()) {
            if (link.state == LinkState.JOINING) {
                joining++;
            }
        }
        return joining;
    }

    /**
     * No link is read from now on: what workers send stays unacknowledged with them, and they resend it to the
     * successor. What is queued for them is still written.
     */
    public void freeze() {
        writer.stopReading();
        for (var link : all) {
            if (link.key.isValid()) {
                link.key.interestOps(link.outbox.isEmpty() ? 0 : SelectionKey.OP_WRITE);
            }
        }
    }

    /** True when nothing waits in any outbox. */
    public boolean drained() {
        for (var link : all) {
            if (!link.outbox.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Closes every link without a word and without telling anyone a client left: each worker sees its link end,
     * keeps its client and reconnects to the successor (a spare just exits). Adopted workers are let go. Returns
     * how many served a client.
     */
    public int abandonAll() {
        int closed = byClient.size();
        for (var link : new ArrayList<>(all)) {
            link.state = LinkState.CLOSED;
            link.key.cancel();
            closeQuietly(link.channel);
            if (link.adopted) {
                link.process.release();
            }
        }
        all.clear();
        byClient.clear();
        adopted = 0;
        return closed;
    }

    // ---- Reading ----

    /** Links that serve a client now. */
    public int serving() {
        return byClient.size();
    }

    /** Open links of adopted workers. */
    public int adopted() {
        return adopted;
    }

    /** Every client present and receiving, in order of arrival, as the admin socket lists them. */
    public List<ClientSnapshot> clientList(long now) {
        var clients = new ArrayList<ClientSnapshot>(byClient.size());
        for (var member : router.directory().all()) {
            var link = byClient.get(member.clientId());
            if (link != null && member.receiving()) {
                clients.add(link.snapshot(member, now));
            }
        }
        return List.copyOf(clients);
    }

    public long bytesRelayed() {
        return writer.bytesRelayed();
    }

    /** Frames queued for workers since start: one per recipient of each line, notice or event. */
    public long deliveries() {
        return writer.deliveries();
    }

    /** Gives {@code each} the pid of every open link's worker (spares, clients, adopted workers). */
    public void forEachPid(LongConsumer each) {
        for (var link : all) {
            each.accept(link.pid);
        }
    }

    static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are done with; the peer learns of it either way.
        }
    }
}
