package io.forkcast.supervisor.relay;

import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.Nicknames;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.ClientActed;
import io.forkcast.protocol.message.WorkerMessage.ClientLeft;
import io.forkcast.protocol.message.WorkerMessage.ClientSaid;
import io.forkcast.protocol.message.WorkerMessage.Hello;
import io.forkcast.protocol.message.WorkerMessage.NickRequested;
import io.forkcast.protocol.message.WorkerMessage.WhoRequested;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.spawn.PeerCredentials;
import io.forkcast.supervisor.spawn.Reaper;
import io.forkcast.supervisor.spawn.WorkerSpawner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's event loop and the owner of all its state: the TCP listener, the hub socket, every worker
 * link and outbox, and the routing of chat lines. Other threads reach it only through {@link #post}. Like a
 * prefork arbiter's run(): take an event, dispatch it, do housekeeping.
 */
public final class Relay {
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SLOW_WORKER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long SHUTDOWN_HARD_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(4500);
    private static final int SIGKILL = 9;
    private static final int ACCEPTS_PER_TURN = 16;

    /** A process the supervisor started, until it is reaped. */
    private static final class Child {
        final long pid;
        final long clientId;
        final String peer;
        final long spawnedAtNanos;
        boolean linked;

        Child(long pid, long clientId, String peer, long spawnedAtNanos) {
            this.pid = pid;
            this.clientId = clientId;
            this.peer = peer;
            this.spawnedAtNanos = spawnedAtNanos;
        }
    }

    private final Config config;
    private final EventLog log = EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid());
    private final Selector selector;
    private final ServerSocketChannel tcp;
    private final ServerSocketChannel hub;
    private final WorkerSpawner spawner;
    private final Reaper reaper;
    private final FrameEncoder encoder;
    private final Limits limits;
    private final RelayStats stats = new RelayStats();
    private final Queue<RelayEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<Long, Child> children = new HashMap<>();
    private final Map<Long, WorkerLink> links = new LinkedHashMap<>();
    private final List<WorkerLink> dirty = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private SelectionKey tcpKey;
    private long nextClientId = 1;
    private boolean shuttingDown;
    private boolean killedAll;
    private long shutdownStartedNanos;

    public Relay(Config config, ServerSocketChannel tcp, ServerSocketChannel hub, WorkerSpawner spawner,
            Reaper reaper) throws IOException {
        this.config = config;
        this.tcp = tcp;
        this.hub = hub;
        this.spawner = spawner;
        this.reaper = reaper;
        this.encoder = new FrameEncoder(config.maxFrameBytes());
        this.limits = new Limits(config.maxLineBytes(), config.floodLinesPerSecond(), config.floodBurst(),
                config.floodDropsBeforeDisconnect(), config.clientBufferBytes());
        this.selector = Selector.open();
        tcp.configureBlocking(false);
        hub.configureBlocking(false);
        tcpKey = tcp.register(selector, SelectionKey.OP_ACCEPT);
        hub.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Hands an event to the loop; safe from any thread. */
    public void post(RelayEvent event) {
        events.add(event);
        selector.wakeup();
    }

    /** Runs until a shutdown completes; returns the exit code. */
    public int run() throws IOException {
        while (!shuttingDown || !finished()) {
            selector.select(selectTimeoutMillis());
            RelayEvent event;
            while ((event = events.poll()) != null) {
                try {
                    onEvent(event);
                } catch (RuntimeException e) {
                    log.error("event=relay_error on=" + event + " error=" + EventLog.quote(e.toString()));
                }
            }
            for (var key : selector.selectedKeys()) {
                try {
                    dispatch(key);
                } catch (RuntimeException e) {
                    log.error("event=relay_error on=" + key.attachment() + " error=" + EventLog.quote(e.toString()));
                    if (key.attachment() instanceof WorkerLink link) {
                        rejectWorker(link, "internal_error", "");
                    }
                }
            }
            selector.selectedKeys().clear();
            flushDirty();
            housekeeping(System.nanoTime());
        }
        selector.close();
        log.info("event=stopped " + stats.summary());
        return 0;
    }

    private boolean finished() {
        return (children.isEmpty() && links.isEmpty())
                || System.nanoTime() - shutdownStartedNanos > SHUTDOWN_HARD_STOP_NANOS;
    }

    private long selectTimeoutMillis() {
        return shuttingDown ? 50 : 500;
    }

    private void onEvent(RelayEvent event) {
        switch (event) {
            case RelayEvent.ChildExited e -> onChildExited(e.exit());
            case RelayEvent.SignalReceived s -> {
                if (s.name().equals("TERM") || s.name().equals("INT")) {
                    beginShutdown(s.name());
                } else {
                    log.info("event=signal signal=" + s.name() + " action=ignored");
                }
            }
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key == tcpKey) {
            acceptClients();
        } else if (key.channel() == hub) {
            acceptWorkers();
        } else if (key.attachment() instanceof WorkerLink link) {
            if (key.isReadable()) {
                readFrom(link);
            }
            if (key.isValid() && key.isWritable()) {
                flush(link);
            }
        }
    }

    // ---- Clients and workers arriving ----

    private void acceptClients() {
        SocketChannel accepted;
        // Bounded: a burst of clients must not keep the loop from the hub, where their workers wait for a Welcome.
        // The rest stay in the backlog, and the listener is still ready on the next turn.
        int budget = ACCEPTS_PER_TURN;
        while (budget-- > 0 && (accepted = acceptOrNull(tcp)) != null) {
            try (var client = accepted) {
                String peer = peerOf(client);
                if (children.size() >= config.workersMax()) {
                    stats.refusedFull++;
                    log.warn("event=refused peer=" + peer + " reason=full workers=" + children.size()
                            + " limit=" + config.workersMax());
                    tell(client, "*** server full, please try again later");
                    continue;
                }
                long clientId = nextClientId++;
                try {
                    long pid = spawner.spawn(client);
                    children.put(pid, new Child(pid, clientId, peer, System.nanoTime()));
                    stats.spawned++;
                    log.info("event=spawn worker=" + clientId + " pid=" + pid + " peer=" + peer);
                } catch (WorkerSpawner.SpawnException e) {
                    stats.spawnFailed++;
                    log.error("event=spawn_failed worker=" + clientId + " peer=" + peer + " reason="
                            + EventLog.quote(e.getMessage()));
                    tell(client, "*** server cannot start a session now, please try again later");
                }
            } catch (IOException e) {
                log.warn("event=accept_error error=" + EventLog.quote(e.toString()));
            }
        }
    }

    private SocketChannel acceptOrNull(ServerSocketChannel server) {
        try {
            return server.accept();
        } catch (IOException e) {
            // EMFILE and friends: log, and let the next select try again.
            log.error("event=accept_failed error=" + EventLog.quote(e.toString()));
            return null;
        }
    }

    private static String peerOf(SocketChannel client) throws IOException {
        var address = (java.net.InetSocketAddress) client.getRemoteAddress();
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void tell(SocketChannel client, String line) {
        try {
            client.configureBlocking(false);
            client.write(ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ignored) {
            // The client is being turned away; if it cannot even take one line there is nothing more to do.
        }
    }

    private void acceptWorkers() {
        SocketChannel channel;
        while ((channel = acceptOrNull(hub)) != null) {
            try {
                var credentials = PeerCredentials.of(channel);
                Child child = children.get(credentials.pid());
                if (child == null || child.linked) {
                    stats.hubRefused++;
                    log.warn("event=hub_refused pid=" + credentials.pid() + " uid=" + credentials.uid()
                            + " reason=" + (child == null ? "not_a_worker" : "already_linked"));
                    channel.close();
                    continue;
                }
                child.linked = true;
                channel.configureBlocking(false);
                var link = new WorkerLink(child.clientId, child.pid, child.peer, channel, config.maxFrameBytes(),
                        config.outboxMaxBytes(), System.nanoTime());
                link.key = channel.register(selector, SelectionKey.OP_READ, link);
                links.put(link.clientId, link);
            } catch (IOException e) {
                log.warn("event=hub_accept_error error=" + EventLog.quote(e.toString()));
                closeQuietly(channel);
            }
        }
    }

    // ---- Frames from workers ----

    private void readFrom(WorkerLink link) {
        int n;
        try {
            readBuffer.clear();
            n = link.channel.read(readBuffer);
        } catch (IOException e) {
            closeLink(link, link.leaveCause != null ? link.leaveCause : "hub_error");
            return;
        }
        if (n < 0) {
            closeLink(link, link.leaveCause != null ? link.leaveCause : "eof");
            return;
        }
        readBuffer.flip();
        try {
            link.decoder.feed(readBuffer, message -> onMessage(link, message));
        } catch (ProtocolException e) {
            rejectWorker(link, e.reason(), e.headHex());
        }
    }

    private void onMessage(WorkerLink link, Message message) {
        if (!links.containsKey(link.clientId) || link.closing) {
            return;
        }
        if (!(message instanceof WorkerMessage fact)) {
            rejectWorker(link, "wrong_direction", message.getClass().getSimpleName());
            return;
        }
        if (!link.joined && !(fact instanceof Hello)) {
            rejectWorker(link, "no_hello", fact.getClass().getSimpleName());
            return;
        }
        link.lastInputNanos = System.nanoTime();
        switch (fact) {
            case Hello h -> onHello(link, h);
            case ClientSaid s -> {
                if (fresh(link, s.seq())) {
                    link.linesIn++;
                    route(link, new Say(link.clientId, link.name(), link.pid, s.text()));
                }
            }
            case ClientActed a -> {
                if (fresh(link, a.seq())) {
                    link.linesIn++;
                    route(link, new Act(link.clientId, link.name(), link.pid, a.action()));
                }
            }
            case NickRequested n -> {
                if (fresh(link, n.seq())) {
                    onNick(link, n);
                }
            }
            case WhoRequested w -> send(link, who());
            case ClientLeft l -> link.leaveCause = l.cause();
        }
    }

    private void onHello(WorkerLink link, Hello hello) {
        if (link.joined) {
            rejectWorker(link, "second_hello", "");
            return;
        }
        if (hello.pid() != link.pid) {
            rejectWorker(link, "pid_mismatch", "hello_pid=" + hello.pid());
            return;
        }
        link.joined = true;
        send(link, new Welcome(link.clientId, limits));
        route(link, new Joined(link.clientId, link.name(), link.pid));
        log.info("event=join " + link.describe());
    }

    /** True the first time a sequence number is seen on this link; a repeat is dropped, never relayed twice. */
    private boolean fresh(WorkerLink link, long seq) {
        if (seq <= link.lastSeq) {
            stats.duplicatesDropped++;
            return false;
        }
        link.lastSeq = seq;
        return true;
    }

    private void onNick(WorkerLink link, NickRequested request) {
        String nick = request.nick();
        String problem = Nicknames.problem(nick);
        if (problem == null) {
            String key = Nicknames.key(nick);
            for (var other : links.values()) {
                if (other != link && other.nick != null && Nicknames.key(other.nick).equals(key)) {
                    problem = "it is taken";
                    break;
                }
            }
        }
        if (problem != null) {
            send(link, new NickRefused(request.seq(), nick, problem));
            return;
        }
        String old = link.name();
        link.nick = nick;
        send(link, new NickAccepted(request.seq(), nick));
        if (!old.equals(nick)) {
            route(link, new Renamed(link.clientId, old, nick, link.pid));
            log.info("event=nick " + link.describe() + " nick=" + EventLog.quote(nick));
        }
    }

    private WhoList who() {
        var entries = new ArrayList<WhoEntry>();
        for (var link : links.values()) {
            if (link.joined && !link.closing) {
                entries.add(new WhoEntry(link.clientId, link.name(), link.peer, link.pid));
            }
        }
        return new WhoList(entries.toArray(WhoEntry[]::new));
    }

    // ---- Frames to workers ----

    /**
     * Delivers {@code message} from {@code from} to every recipient, encoded once. Today every other joined
     * client receives it; channels, tags and remote supervisors will narrow or widen the recipients here.
     */
    private void route(WorkerLink from, SupervisorMessage message) {
        ByteBuffer frame = encode(message);
        if (frame == null) {
            return;
        }
        for (var link : links.values()) {
            if (link != from && link.joined && !link.closing) {
                enqueue(link, frame);
            }
        }
        stats.framesRelayed++;
    }

    private void send(WorkerLink link, SupervisorMessage message) {
        ByteBuffer frame = encode(message);
        if (frame != null) {
            enqueue(link, frame);
        }
    }

    private ByteBuffer encode(SupervisorMessage message) {
        try {
            return encoder.encode(message);
        } catch (ProtocolException e) {
            log.error("event=encode_failed message=" + message.getClass().getSimpleName() + " reason=" + e.reason()
                    + " error=" + EventLog.quote(e.getMessage()));
            return null;
        }
    }

    private void enqueue(WorkerLink link, ByteBuffer frame) {
        if (!link.outbox.offer(frame)) {
            dropSlowWorker(link);
            return;
        }
        link.linesOut++;
        stats.bytesRelayed += frame.remaining();
        markDirty(link);
    }

    private void markDirty(WorkerLink link) {
        // A flag, not dirty.contains(): a broadcast marks every link, and a list scan per link is quadratic.
        if (link.outbox.queuedBytes() > 0 && !link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    private void flushDirty() {
        // By index: a failed flush closes its link and routes a Left, which marks more links while we iterate.
        for (int i = 0; i < dirty.size(); i++) {
            var link = dirty.get(i);
            link.dirty = false;
            if (links.get(link.clientId) == link) {
                flush(link);
            }
        }
        dirty.clear();
    }

    private void flush(WorkerLink link) {
        try {
            link.outbox.writeTo(link.channel);
            int ops = link.outbox.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            if (link.key.isValid()) {
                link.key.interestOps(ops);
            }
        } catch (IOException e) {
            closeLink(link, link.leaveCause != null ? link.leaveCause : "hub_error");
        }
    }

    /** A worker that does not keep up is told why, given a moment, then killed; it never slows the others. */
    private void dropSlowWorker(WorkerLink link) {
        stats.droppedSlow++;
        log.warn("event=outbox_full " + link.describe() + " queued=" + link.outbox.queuedBytes() + " limit="
                + link.outbox.limitBytes());
        link.closing = true;
        link.leaveCause = "slow_worker";
        link.closeDeadlineNanos = System.nanoTime() + SLOW_WORKER_GRACE_NANOS;
        link.outbox.discardUnstarted();
        ByteBuffer bye = encode(new Disconnect("disconnected: the server could not deliver to you fast enough"));
        if (bye != null) {
            link.outbox.force(bye);
        }
        markDirty(link);
    }

    // ---- Workers leaving ----

    /** Bad input from a worker costs that worker only: one log line, its link closed, the process killed. */
    private void rejectWorker(WorkerLink link, String reason, String head) {
        stats.framesRejected++;
        log.error("event=worker_rejected " + link.describe() + " reason=" + reason + " head=" + head);
        reaper.signal(link.pid, SIGKILL);
        closeLink(link, "rejected");
    }

    private void closeLink(WorkerLink link, String cause) {
        if (links.get(link.clientId) != link) {
            return;
        }
        links.remove(link.clientId);
        link.key.cancel();
        closeQuietly(link.channel);
        if (link.joined) {
            route(link, new Left(link.clientId, link.name(), link.pid));
        }
        long ageSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - link.connectedAtNanos);
        log.info("event=left " + link.describe() + " name=" + EventLog.quote(link.name()) + " cause=" + cause
                + " in=" + link.linesIn + " out=" + link.linesOut + " age=" + ageSeconds);
    }

    private void onChildExited(Reaper.Exit exit) {
        Child child = children.remove(exit.pid());
        reaper.forget(exit.pid());
        if (child == null) {
            log.warn("event=exit pid=" + exit.pid() + " " + exit.describe() + " note=unknown_child");
            return;
        }
        stats.exited(exit);
        log.info("event=exit worker=" + child.clientId + " pid=" + exit.pid() + " " + exit.describe()
                + (child.linked ? "" : " note=never_connected"));
    }

    // ---- Housekeeping and shutdown ----

    private void housekeeping(long now) {
        for (var child : children.values()) {
            if (!child.linked && now - child.spawnedAtNanos > CONNECT_TIMEOUT_NANOS) {
                log.warn("event=connect_timeout worker=" + child.clientId + " pid=" + child.pid);
                reaper.signal(child.pid, SIGKILL);
                child.linked = true;
            }
        }
        for (var link : new ArrayList<>(links.values())) {
            if (link.closing && now > link.closeDeadlineNanos) {
                reaper.signal(link.pid, SIGKILL);
                closeLink(link, link.leaveCause);
            }
        }
        if (shuttingDown && !killedAll && now - shutdownStartedNanos > SHUTDOWN_GRACE_NANOS) {
            killedAll = true;
            for (var child : children.values()) {
                log.warn("event=shutdown_kill worker=" + child.clientId + " pid=" + child.pid);
                reaper.signal(child.pid, SIGKILL);
            }
        }
    }

    private void beginShutdown(String signal) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        shutdownStartedNanos = System.nanoTime();
        log.info("event=shutdown signal=" + signal + " clients=" + links.size() + " workers=" + children.size());
        tcpKey.cancel();
        closeQuietly(tcp);
        ByteBuffer bye = encode(new Disconnect("server shutting down"));
        for (var link : links.values()) {
            link.closing = true;
            link.closeDeadlineNanos = Long.MAX_VALUE;
            if (bye != null) {
                link.outbox.force(bye);
                markDirty(link);
            }
        }
        for (var child : children.values()) {
            if (!child.linked) {
                reaper.signal(child.pid, SIGKILL);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are done with; the peer learns of it either way.
        }
    }

    /** The relay's counters; read on the relay thread. */
    public RelayStats stats() {
        return stats;
    }
}
