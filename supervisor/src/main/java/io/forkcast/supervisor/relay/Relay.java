package io.forkcast.supervisor.relay;

import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.text.Nicknames;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
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
import io.forkcast.protocol.message.WorkerMessage.Resume;
import io.forkcast.protocol.message.WorkerMessage.WhoRequested;
import io.forkcast.supervisor.admin.AdminAccess;
import io.forkcast.supervisor.admin.AdminOps;
import io.forkcast.supervisor.admin.AdminServer;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.listen.Listeners;
import io.forkcast.supervisor.spawn.AdoptedWorker;
import io.forkcast.supervisor.spawn.FdPasser;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.config.ConfigSource;
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
import java.util.SequencedMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's event loop and the owner of all its state: the TCP listener, the hub socket, every worker
 * link and outbox, and the routing of chat lines. Other threads reach it only through {@link #post}. Like a
 * prefork arbiter's run(): take an event, dispatch it, do housekeeping. Also serves the admin socket
 * ({@link AdminServer}) through the narrow {@link AdminOps} view.
 */
public final class Relay implements AdminOps {
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SLOW_WORKER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long SHUTDOWN_HARD_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(4500);
    private static final int SIGKILL = 9;
    private static final int FLUSH_EARLY_BYTES = 32 * 1024;
    private static final int OWN_UID = ownUid();
    private static final int ACCEPTS_PER_TURN = 16;

    /** A process the supervisor started, until it is reaped. */
    private static final class Child {
        final long pid;
        final long spawnedAtNanos;
        /** Started ahead of demand, without a client. */
        final boolean spare;
        long clientId;
        String peer;
        boolean linked;

        Child(long pid, long clientId, String peer, boolean spare, long spawnedAtNanos) {
            this.pid = pid;
            this.clientId = clientId;
            this.peer = peer;
            this.spare = spare;
            this.spawnedAtNanos = spawnedAtNanos;
        }
    }

    private static int ownUid() {
        try {
            return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Config config;
    private final EventLog log = EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid());
    private final Selector selector;
    private final ServerSocketChannel tcp;
    private final ServerSocketChannel hub;
    private final WorkerSpawner spawner;
    private final FdPasser fdPasser;
    private final SparePool pool;
    private final Reaper reaper;
    private final FrameEncoder encoder;
    private Limits limits;
    private final RelayStats stats = new RelayStats();
    private final Queue<RelayEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<Long, Child> children = new HashMap<>();
    private final Map<Long, WorkerLink> links = new LinkedHashMap<>();
    private final List<WorkerLink> dirty = new ArrayList<>();
    private final List<WorkerLink> broken = new ArrayList<>();
    /**
     * Lines relayed while workers of an earlier supervisor may still come back (the first hub_reconnect_timeout
     * after start), replayed to each worker that resumes: a line resent by a worker that came back early reaches
     * one that comes back late. Receivers drop lines they have already shown.
     */
    private final java.util.ArrayDeque<Recent> recent = new java.util.ArrayDeque<>();
    private final long adoptionWindowEndsNanos;
    private long recentBytes;

    private record Recent(long fromId, ByteBuffer frame) {}

    /** Reconnected workers whose Resume has not arrived yet; they join {@link #links} under their own id. */
    private final List<WorkerLink> pendingAdoptions = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final long startedAtNanos = System.nanoTime();
    private SelectionKey tcpKey;
    private final ClientIds clientIds;
    /** Children spawned whose JVM has not connected to the hub yet: JVMs still starting. */
    private int unlinked;
    private boolean acceptingNow = true;
    private final List<WorkerLink> toAck = new ArrayList<>();
    private AdminServer admin;
    private AdminAccessResolver adminAccessResolver;
    private boolean shuttingDown;
    private boolean killedAll;
    private long shutdownStartedNanos;
    private RelayObserver observer = RelayObserver.NONE;
    private ConfigSource reloadSource;
    private int joinedClients;

    public Relay(Config config, ServerSocketChannel tcp, ServerSocketChannel hub, WorkerSpawner spawner,
            FdPasser fdPasser, Reaper reaper) throws IOException {
        this.config = config;
        this.tcp = tcp;
        this.hub = hub;
        this.spawner = spawner;
        this.fdPasser = fdPasser;
        this.reaper = reaper;
        this.pool = new SparePool(config.poolMinSpare(), config.poolMaxSpare(), config.poolRampMax(),
                config.poolSpareMaxAge().toNanos(), System.nanoTime());
        this.encoder = new FrameEncoder(config.maxFrameBytes());
        this.limits = limitsOf(config);
        this.clientIds = new ClientIds(config.runtimeDir());
        this.adoptionWindowEndsNanos = System.nanoTime() + config.hubReconnectTimeout().toNanos();
        this.selector = Selector.open();
        tcp.configureBlocking(false);
        hub.configureBlocking(false);
        tcpKey = tcp.register(selector, SelectionKey.OP_ACCEPT);
        hub.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Resolves an admin group name (empty: none) into access rules; a reload that names a bad group fails. */
    @FunctionalInterface
    public interface AdminAccessResolver {
        AdminAccess resolve(String groupName) throws Listeners.StartupException;
    }

    /** Serves the admin socket on this loop; call before {@link #run}. */
    public void attachAdmin(AdminServer admin, AdminAccessResolver accessResolver) throws IOException {
        this.admin = admin;
        this.adminAccessResolver = accessResolver;
        admin.register(selector, this);
    }

    /** Reports the loop's turns, client count, reloads and shutdown to {@code observer}; call before run(). */
    public void observe(RelayObserver observer) {
        this.observer = observer;
    }

    /** On SIGHUP, takes a new configuration from {@code source}; call before run(). */
    public void reloadFrom(ConfigSource source) {
        this.reloadSource = source;
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
            long now = System.nanoTime();
            housekeeping(now);
            sendAcks();
            // Closing a link tells the others it left, which may queue more: repeat until all is written.
            do {
                flushDirty();
                closeBroken();
            } while (!dirty.isEmpty());
            observer.onLoopTurn(now);
        }
        if (admin != null) {
            admin.close();
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
        return Math.min(shuttingDown ? 50 : 500, observer.maxWaitMillis());
    }

    private void onEvent(RelayEvent event) {
        switch (event) {
            case RelayEvent.ChildExited e -> onChildExited(e.exit());
            case RelayEvent.SignalReceived s -> {
                if (s.name().equals("TERM") || s.name().equals("INT")) {
                    beginShutdown(s.name());
                } else if (s.name().equals("HUP")) {
                    reload();
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
        } else if (admin != null && admin.owns(key)) {
            admin.dispatch(key);
        }
    }

    // ---- Clients and workers arriving ----

    private void acceptClients() {
        SocketChannel accepted;
        // Bounded: a burst of clients must not keep the loop from the hub, where their workers wait for a Welcome.
        // The rest stay in the backlog, and the listener is still ready on the next turn.
        int budget = ACCEPTS_PER_TURN;
        while (budget-- > 0 && canStartAnother() && (accepted = acceptOrNull(tcp)) != null) {
            try (var client = accepted) {
                String peer = peerOf(client);
                int workers = children.size() + adopted();
                if (workers >= config.workersMax()) {
                    stats.refusedFull++;
                    log.warn("event=refused peer=" + peer + " reason=full workers=" + workers
                            + " limit=" + config.workersMax());
                    tell(client, "*** server full, please try again later");
                    continue;
                }
                long clientId = clientIds.next();
                if (handOff(client, clientId, peer)) {
                    continue;
                }
                try {
                    long pid = spawner.spawn(client);
                    children.put(pid, new Child(pid, clientId, peer, false, System.nanoTime()));
                    unlinked++;
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

    /**
     * Gives the client to an idle spare, if there is one: its socket goes over the spare's hub link with an
     * Assign frame, and the spare answers with Hello like a worker started for it. False: no spare took it.
     */
    private boolean handOff(SocketChannel client, long clientId, String peer) {
        WorkerLink spare;
        while ((spare = pool.take()) != null) {
            ByteBuffer frame = encode(new SupervisorMessage.Assign());
            try {
                fdPasser.pass(spare.channel, frame, client);
            } catch (IOException | RuntimeException e) {
                log.warn("event=handoff_failed pid=" + spare.pid + " error=" + EventLog.quote(e.toString()));
                spare.process.signal(SIGKILL);
                closeLink(spare, "handoff_failed");
                continue;
            }
            spare.spare = false;
            spare.assign(clientId, peer);
            links.put(clientId, spare);
            Child child = children.get(spare.pid);
            if (child != null) {
                child.clientId = clientId;
                child.peer = peer;
            }
            stats.handoffs++;
            log.info("event=handoff worker=" + clientId + " pid=" + spare.pid + " peer=" + peer);
            return true;
        }
        return false;
    }

    /**
     * True while a client can be served at once: a spare is idle, or fewer than workers_starting_max JVMs are
     * starting. Otherwise the listener pauses and new clients wait in the kernel's backlog: on 2 cores, fifty JVMs
     * starting together all start slowly, while a few at a time start fast, one after the other.
     */
    private boolean canStartAnother() {
        return pool.idle() > 0 || unlinked < config.workersStartingMax();
    }

    private void pauseOrResumeAccepting() {
        if (shuttingDown || !tcpKey.isValid()) {
            return;
        }
        boolean accept = canStartAnother();
        if (accept != acceptingNow) {
            acceptingNow = accept;
            tcpKey.interestOps(accept ? SelectionKey.OP_ACCEPT : 0);
            log.info("event=" + (accept ? "accept_resumed" : "accept_paused") + " starting=" + unlinked
                    + " limit=" + config.workersStartingMax());
        }
    }

    private void startSpares(long now) {
        int room = Math.min(config.workersMax() - children.size() - adopted(),
                config.workersStartingMax() - unlinked);
        int wanted = shuttingDown ? 0 : pool.wanted(now, room);
        for (int i = 0; i < wanted; i++) {
            try {
                long pid = spawner.spawnSpare();
                children.put(pid, new Child(pid, 0, "spare", true, now));
                unlinked++;
                pool.started(pid);
                stats.spawned++;
                log.info("event=spawn_spare pid=" + pid + " idle=" + pool.idle() + " starting=" + pool.starting());
            } catch (WorkerSpawner.SpawnException e) {
                stats.spawnFailed++;
                log.error("event=spawn_failed spare=yes reason=" + EventLog.quote(e.getMessage()));
                return;
            }
        }
        WorkerLink old;
        while ((old = pool.retire(now)) != null) {
            log.info("event=spare_retired pid=" + old.pid + " idle=" + pool.idle());
            old.closing = true;
            old.leaveCause = "retired";
            old.closeDeadlineNanos = now + SLOW_WORKER_GRACE_NANOS;
            send(old, new Disconnect("retired"));
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

    private int adopted() {
        int n = 0;
        for (var link : links.values()) {
            if (link.adopted) {
                n++;
            }
        }
        return n;
    }

    /**
     * Admits a hub connection from a worker this supervisor spawned, or from a worker of an earlier supervisor
     * that reconnects (it must then run the worker's main class and send Resume first). Anything else is refused.
     */
    private void acceptWorkers() {
        SocketChannel channel;
        while ((channel = acceptOrNull(hub)) != null) {
            try {
                var credentials = PeerCredentials.of(channel);
                Child child = children.get(credentials.pid());
                WorkerLink link;
                if (child != null && !child.linked) {
                    child.linked = true;
                    unlinked--;
                    link = new WorkerLink(child.clientId, child.pid, child.peer, channel, reaper.child(child.pid),
                            false, config, System.nanoTime());
                    link.spare = child.spare;
                } else {
                    var adoptee = child == null && credentials.uid() == OWN_UID
                            ? AdoptedWorker.open(credentials.pid(), config.workerMain())
                            : null;
                    if (adoptee == null) {
                        stats.hubRefused++;
                        log.warn("event=hub_refused pid=" + credentials.pid() + " uid=" + credentials.uid()
                                + " reason=" + (child == null ? "not_a_worker" : "already_linked"));
                        channel.close();
                        continue;
                    }
                    link = new WorkerLink(0, credentials.pid(), "?", channel, adoptee, true, config, System.nanoTime());
                }
                channel.configureBlocking(false);
                link.key = channel.register(selector, SelectionKey.OP_READ, link);
                if (link.adopted) {
                    pendingAdoptions.add(link);
                } else if (!link.spare) {
                    links.put(link.clientId, link);
                }
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
        if (link.closed || link.closing) {
            return;
        }
        if (!(message instanceof WorkerMessage fact)) {
            rejectWorker(link, "wrong_direction", message.getClass().getSimpleName());
            return;
        }
        boolean first = !link.joined;
        if (link.spare) {
            // A spare says Ready once, then nothing until it is handed a client.
            if (link.idle || !(fact instanceof WorkerMessage.Ready ready) || ready.pid() != link.pid) {
                rejectWorker(link, link.idle ? "idle_spare_spoke" : "no_ready", fact.getClass().getSimpleName());
                return;
            }
            link.idle = true;
            pool.ready(link);
            log.info("event=spare_ready pid=" + link.pid + " idle=" + pool.idle());
            return;
        }
        if (fact instanceof WorkerMessage.Hello2 h) {
            fact = new Hello(h.pid(), h.peer());
        } else if (fact instanceof WorkerMessage.Resume2 r) {
            fact = new Resume(r.pid(), r.peer(), r.clientId(), r.nick());
        }
        if (first && !(link.adopted ? fact instanceof Resume : fact instanceof Hello)) {
            rejectWorker(link, link.adopted ? "no_resume" : "no_hello", fact.getClass().getSimpleName());
            return;
        }
        link.lastInputNanos = System.nanoTime();
        switch (fact) {
            case Hello h -> onHello(link, h);
            case WorkerMessage.Ready r -> rejectWorker(link, "late_ready", "");
            case WorkerMessage.Hello2 h -> rejectWorker(link, "internal_error", "");
            case WorkerMessage.Resume2 r -> rejectWorker(link, "internal_error", "");
            case Resume r -> {
                if (!first) {
                    rejectWorker(link, "late_resume", "");
                } else {
                    onResume(link, r);
                }
            }
            case ClientSaid s -> {
                if (fresh(link, s.seq())) {
                    link.linesIn++;
                    route(link, new Say(link.clientId, link.name(), link.pid, s.seq(), s.text()));
                }
            }
            case ClientActed a -> {
                if (fresh(link, a.seq())) {
                    link.linesIn++;
                    route(link, new Act(link.clientId, link.name(), link.pid, a.seq(), a.action()));
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
        for (String line : config.motdLines()) {
            send(link, new Notice(line));
        }
        route(link, new Joined(link.clientId, link.name(), link.pid));
        observer.onClientCountChanged(++joinedClients);
        log.info("event=join " + link.describe());
    }

    /**
     * A worker that lost its supervisor comes back: it keeps its id, its nickname if still free, and its client,
     * who saw no one leave; so nobody is told it joined.
     */
    private void onResume(WorkerLink link, Resume resume) {
        pendingAdoptions.remove(link);
        if (resume.pid() != link.pid) {
            rejectWorker(link, "pid_mismatch", "resume_pid=" + resume.pid());
            return;
        }
        if (resume.clientId() <= 0 || links.containsKey(resume.clientId())) {
            rejectWorker(link, "id_in_use", "client_id=" + resume.clientId());
            return;
        }
        try {
            clientIds.seen(resume.clientId());
        } catch (IOException e) {
            log.error("event=client_ids_failed error=" + EventLog.quote(e.toString()));
        }
        link.assign(resume.clientId(), resume.peer());
        links.put(link.clientId, link);
        link.joined = true;
        String nick = resume.nick();
        if (nick != null && (Nicknames.problem(nick) != null || nickTaken(link, nick))) {
            send(link, new SupervisorMessage.Notice("your nickname " + nick + " is taken now; you are " + link.peer));
            nick = null;
        }
        link.nick = nick;
        send(link, new Welcome(link.clientId, limits));
        observer.onClientCountChanged(++joinedClients);
        if (System.nanoTime() < adoptionWindowEndsNanos) {
            for (var line : recent) {
                if (line.fromId() != link.clientId) {
                    enqueue(link, line.frame());
                }
            }
        } else {
            recent.clear();
            recentBytes = 0;
        }
        stats.adopted++;
        log.info("event=adopt " + link.describe() + " name=" + EventLog.quote(link.name()));
    }

    private boolean nickTaken(WorkerLink link, String nick) {
        String key = Nicknames.key(nick);
        for (var other : links.values()) {
            if (other != link && other.nick != null && Nicknames.key(other.nick).equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** True the first time a sequence number is seen on this link; a repeat is dropped, never relayed twice. */
    private boolean fresh(WorkerLink link, long seq) {
        if (seq <= link.lastSeq) {
            stats.duplicatesDropped++;
            return false;
        }
        link.lastSeq = seq;
        if (!toAck.contains(link)) {
            toAck.add(link);
        }
        return true;
    }

    /** Once per loop turn, each worker whose lines were relayed learns up to where, and may forget them. */
    private void sendAcks() {
        for (var link : toAck) {
            if (!link.closed && link.lastSeq > link.ackedSeq) {
                link.ackedSeq = link.lastSeq;
                send(link, new SupervisorMessage.Ack(link.lastSeq));
            }
        }
        toAck.clear();
    }

    private void onNick(WorkerLink link, NickRequested request) {
        String nick = request.nick();
        String problem = Nicknames.problem(nick);
        if (problem == null && nickTaken(link, nick)) {
            problem = "it is taken";
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
        if ((message instanceof Say || message instanceof Act) && System.nanoTime() < adoptionWindowEndsNanos) {
            remember(from.clientId, frame);
        }
    }

    private void remember(long fromId, ByteBuffer frame) {
        recent.add(new Recent(fromId, frame));
        recentBytes += frame.remaining();
        while (recentBytes > config.outboxMaxBytes() / 2) {
            recentBytes -= recent.poll().frame().remaining();
        }
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
        if (link.outbox.queuedBytes() >= FLUSH_EARLY_BYTES) {
            // Batching is for small frames; a large backlog built within one loop turn goes out now, so that
            // a healthy worker's outbox never fills merely because many frames arrived in one read.
            flush(link);
        } else {
            markDirty(link);
        }
    }

    private void markDirty(WorkerLink link) {
        // A flag, not dirty.contains(): a broadcast marks every link, and a list scan per link is quadratic.
        if (link.outbox.queuedBytes() > 0 && !link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            var link = dirty.get(i);
            link.dirty = false;
            if (!link.closed) {
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
            // Closing here could change the set of links while route() walks it: close after this turn.
            if (!broken.contains(link)) {
                broken.add(link);
            }
        }
    }

    private void closeBroken() {
        while (!broken.isEmpty()) {
            var link = broken.removeFirst();
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
        link.process.signal(SIGKILL);
        closeLink(link, "rejected");
    }

    private void closeLink(WorkerLink link, String cause) {
        if (link.closed) {
            return;
        }
        link.closed = true;
        pendingAdoptions.remove(link);
        pool.remove(link);
        if (links.get(link.clientId) == link) {
            links.remove(link.clientId);
        }
        if (link.joined) {
            stats.left(cause);
        }
        link.key.cancel();
        closeQuietly(link.channel);
        if (link.adopted) {
            link.process.release();
        }
        if (link.joined) {
            route(link, new Left(link.clientId, link.name(), link.pid));
            observer.onClientCountChanged(--joinedClients);
        }
        long ageSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - link.connectedAtNanos);
        log.info("event=left " + link.describe() + " name=" + EventLog.quote(link.name()) + " cause=" + cause
                + " in=" + link.linesIn + " out=" + link.linesOut + " age=" + ageSeconds);
    }

    private void onChildExited(Reaper.Exit exit) {
        Child child = children.remove(exit.pid());
        reaper.forget(exit.pid());
        pool.lost(exit.pid());
        if (child == null) {
            log.warn("event=exit pid=" + exit.pid() + " " + exit.describe() + " note=unknown_child");
            return;
        }
        if (!child.linked) {
            unlinked--;
        }
        stats.exited(exit);
        log.info("event=exit worker=" + child.clientId + " pid=" + exit.pid() + " " + exit.describe()
                + (child.linked ? "" : " note=never_connected"));
    }

    // ---- Housekeeping and shutdown ----

    private void housekeeping(long now) {
        startSpares(now);
        pauseOrResumeAccepting();
        for (var child : children.values()) {
            if (!child.linked && now - child.spawnedAtNanos > CONNECT_TIMEOUT_NANOS) {
                log.warn("event=connect_timeout worker=" + child.clientId + " pid=" + child.pid);
                reaper.signal(child.pid, SIGKILL);
                child.linked = true;
                unlinked--;
            }
        }
        for (var link : allLinks()) {
            if (link.closing && now > link.closeDeadlineNanos) {
                link.process.signal(SIGKILL);
                closeLink(link, link.leaveCause);
            }
        }
        for (var link : new ArrayList<>(pendingAdoptions)) {
            if (now - link.connectedAtNanos > CONNECT_TIMEOUT_NANOS) {
                closeLink(link, "no_resume");
            }
        }
        if (shuttingDown && !killedAll && now - shutdownStartedNanos > SHUTDOWN_GRACE_NANOS) {
            killedAll = true;
            for (var child : children.values()) {
                log.warn("event=shutdown_kill worker=" + child.clientId + " pid=" + child.pid);
                reaper.signal(child.pid, SIGKILL);
            }
            for (var link : links.values()) {
                if (link.adopted) {
                    log.warn("event=shutdown_kill " + link.describe());
                    link.process.signal(SIGKILL);
                }
            }
        }
    }

    /** Every hub link, with or without a client: a snapshot, safe to close links while walking it. */
    private List<WorkerLink> allLinks() {
        var all = new ArrayList<WorkerLink>();
        for (var key : selector.keys()) {
            if (key.attachment() instanceof WorkerLink link) {
                all.add(link);
            }
        }
        return all;
    }

    private void beginShutdown(String signal) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        shutdownStartedNanos = System.nanoTime();
        log.info("event=shutdown signal=" + signal + " clients=" + links.size() + " workers=" + children.size());
        observer.onStopping();
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
        // Links that serve no client yet (spares, workers that have not resumed) are closed: they exit on EOF.
        for (var link : allLinks()) {
            if (links.get(link.clientId) != link) {
                closeLink(link, "shutdown");
            }
        }
    }

    // ---- Reload (SIGHUP) ----

    /**
     * Re-reads the configuration and applies what can change live: limits go to every joined worker at once,
     * the motd greets the next clients. A bad configuration is refused whole and the old one kept.
     */
    private void reload() {
        if (shuttingDown) {
            return;
        }
        observer.onReloading(System.nanoTime());
        boolean applied = false;
        try {
            Config next = reloadSource != null ? reloadSource.load() : config;
            List<String> changed = config.differences(next);
            if (admin != null && changed.contains("admin_group")) {
                // Checked before anything is applied: a group that does not exist refuses the whole reload.
                admin.reconfigure(config.runtimeDir(), adminAccessResolver.resolve(next.adminGroup()));
            }
            config = config.withLiveSettingsOf(next);
            Limits nextLimits = limitsOf(config);
            if (!nextLimits.equals(limits)) {
                limits = nextLimits;
                ByteBuffer frame = encode(limits);
                for (var link : links.values()) {
                    if (frame != null && link.joined && !link.closing) {
                        enqueue(link, frame);
                    }
                }
            }
            applied = true;
            log.info("event=reload changed=" + keys(changed.stream().filter(Config::isLive).toList()) + " ignored="
                    + keys(changed.stream().filter(k -> !Config.isLive(k)).toList()) + " clients=" + joinedClients);
        } catch (ConfigException e) {
            log.error("event=reload_failed reason=" + EventLog.quote(String.join("; ", e.problems())));
        } catch (Listeners.StartupException e) {
            log.error("event=reload_failed reason=" + EventLog.quote(e.getMessage()));
        } finally {
            observer.onReloaded(applied);
        }
    }

    private static String keys(List<String> keys) {
        return keys.isEmpty() ? "-" : String.join(",", keys);
    }

    private static Limits limitsOf(Config config) {
        return new Limits(config.maxLineBytes(), config.floodLinesPerSecond(), config.floodBurst(),
                config.floodDropsBeforeDisconnect(), config.clientBufferBytes());
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

    // ---- The admin socket's view (AdminOps) ----

    @Override
    public List<ClientSnapshot> clientList() {
        long now = System.nanoTime();
        var clients = new ArrayList<ClientSnapshot>(links.size());
        for (var link : links.values()) {
            if (link.joined && !link.closing) {
                clients.add(new ClientSnapshot(link.clientId, link.peer, link.pid, link.nick,
                        TimeUnit.NANOSECONDS.toSeconds(now - link.connectedAtNanos),
                        TimeUnit.NANOSECONDS.toSeconds(now - link.lastInputNanos), link.linesIn, link.linesOut,
                        link.outbox.queuedBytes()));
            }
        }
        return List.copyOf(clients);
    }

    @Override
    public SequencedMap<String, Long> counters() {
        var counters = new LinkedHashMap<String, Long>();
        counters.put("uptime", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos));
        counters.put("clients", links.values().stream().filter(l -> l.joined && !l.closing).count());
        counters.put("workers", (long) children.size());
        counters.put("spares_idle", (long) pool.idle());
        counters.put("spares_starting", (long) pool.starting());
        counters.putAll(stats.snapshot());
        return counters;
    }

    @Override
    public boolean notice(long clientId, String text) {
        var link = links.get(clientId);
        if (link == null || !link.joined || link.closing) {
            return false;
        }
        send(link, new Notice("admin: " + text));
        return true;
    }

    @Override
    public int broadcast(String text) {
        ByteBuffer frame = encode(new Notice("admin: " + text));
        int reached = 0;
        for (var link : new ArrayList<>(links.values())) {
            if (frame != null && link.joined && !link.closing) {
                enqueue(link, frame);
                reached += link.closing ? 0 : 1;
            }
        }
        stats.framesRelayed++;
        return reached;
    }

    /** Like a slow worker: told why, given a moment to pass it on, then killed if it has not exited. */
    @Override
    public boolean kick(long clientId, String reason) {
        var link = links.get(clientId);
        if (link == null || !link.joined || link.closing) {
            return false;
        }
        stats.kicked++;
        log.info("event=kick " + link.describe() + " reason=" + EventLog.quote(reason));
        link.closing = true;
        link.leaveCause = "kicked";
        link.closeDeadlineNanos = System.nanoTime() + SLOW_WORKER_GRACE_NANOS;
        ByteBuffer bye = encode(new Disconnect(reason));
        if (bye != null) {
            link.outbox.force(bye);
        }
        markDirty(link);
        return true;
    }
}
