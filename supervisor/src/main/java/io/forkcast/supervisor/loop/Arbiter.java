package io.forkcast.supervisor.loop;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.supervisor.admin.AdminAccess;
import io.forkcast.supervisor.admin.AdminServer;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.config.ConfigSource;
import io.forkcast.supervisor.link.HubServer;
import io.forkcast.supervisor.link.Links;
import io.forkcast.supervisor.link.WorkerLink;
import io.forkcast.supervisor.listen.Listeners;
import io.forkcast.supervisor.meter.History;
import io.forkcast.supervisor.meter.Meter;
import io.forkcast.supervisor.meter.ProcReader;
import io.forkcast.supervisor.route.BrokerDesk;
import io.forkcast.supervisor.route.Delivery;
import io.forkcast.supervisor.route.Frames;
import io.forkcast.supervisor.route.MqttDesk;
import io.forkcast.supervisor.route.RoomBook;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.route.TagDesk;
import io.forkcast.supervisor.spawn.Admission;
import io.forkcast.supervisor.spawn.Children;
import io.forkcast.supervisor.spawn.ClientIds;
import io.forkcast.supervisor.spawn.FdPasser;
import io.forkcast.supervisor.spawn.Pool;
import io.forkcast.supervisor.spawn.Reaper;
import io.forkcast.supervisor.spawn.WorkerBudget;
import io.forkcast.supervisor.spawn.WorkerSpawner;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the loop runs: wires the spawn, link and route layers onto one {@link EventLoop}, and handles what concerns
 * them all: signals (TERM and INT stop, HUP reloads), child exits, housekeeping, shutdown. Confined to the loop
 * thread, except {@link #post}.
 *
 * <pre>
 *   RUNNING --TERM/INT, or every worker failed to boot before any connected--> STOPPING: listener closed,
 *                                                                              clients told, spares closed
 *           --3 s-------> workers still running are killed
 *           --every worker gone, or 4.5 s--> run() returns
 * </pre>
 */
public final class Arbiter implements EventLoop.Owner {
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long SHUTDOWN_HARD_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(4500);
    private static final int SIGKILL = 9;

    /** Resolves an admin group name (empty: none) into access rules; a reload that names a bad group fails. */
    @FunctionalInterface
    public interface AdminAccessResolver {
        AdminAccess resolve(String groupName) throws Listeners.StartupException;
    }

    private final EventLog log =
            EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid());
    private final EventLoop loop;
    private final Reaper reaper;
    private final Children children;
    private final Pool<WorkerLink> pool;
    private final Router router;
    /** The accounts and the store; their results come back as Event.Later. */
    private final Services services;

    private final Links links;
    private final Admission admission;
    private final Counters counters;
    /** What each worker costs, sampled from /proc a few workers per tick, read on the meter thread. */
    private final Meter meter = new Meter(new ProcReader());
    /** Ten minutes of clients, deliveries/s and memory, for the admin page's charts. */
    private final History history = new History();
    /** A planned restart (SIGUSR2) under way, or not. */
    private final Handover handover;

    private final long startedAtNanos = System.nanoTime();
    /** The configuration in force; replaced (live settings only) by a reload. */
    private Config config;
    /** The admin socket, served on this loop; null until attached. */
    private AdminServer admin;

    private AdminAccessResolver adminAccessResolver;
    /** Told of turns, client counts, reloads and the shutdown (systemd's status); set before run. */
    private LoopObserver observer = LoopObserver.NONE;
    /** Where a reload reads the configuration from; set before run. */
    private ConfigSource reloadSource;
    /** Set by TERM or INT. */
    private boolean shuttingDown;
    /** Set when the shutdown grace period ran out and the remaining workers were killed. */
    private boolean killedAll;

    private long shutdownStartedNanos;
    /** What workers_max = auto means here: sized from the memory available at start; fixed. */
    private final WorkerBudget.Sized memoryWorkersMax;
    /** Why the supervisor gives up at start (every worker failed to boot), or null; set once. */
    private String haltMessage;

    public Arbiter(
            Config config,
            String node,
            List<Admission.Door> doors,
            ServerSocketChannel hub,
            WorkerSpawner spawner,
            FdPasser fdPasser,
            Reaper reaper,
            Services.Factory servicesFactory)
            throws IOException {
        this.config = config;
        this.reaper = reaper;
        this.memoryWorkersMax = WorkerBudget.workersMax(0);
        logWorkersMax(config);
        this.loop = new EventLoop(log);
        this.children = new Children();
        this.pool = Pool.of(config.pool(), System.nanoTime());
        var frames = new Frames(config.maxFrameBytes(), log);
        var delivery =
                new Delivery(System.nanoTime() + config.hubReconnectTimeout().toNanos(), config.outboxMaxBytes() / 2);
        this.services = servicesFactory.make(task -> loop.post(new Event.Later(task)));
        this.router = new Router(
                node,
                frames,
                delivery,
                new RoomBook(config.defaultRoom(), config.rooms(), config.roomsMax()),
                limitsOf(config),
                config.motdLines(),
                services.accounts(),
                services.archive(),
                historyOf(config),
                services.brokerQueue(),
                brokerOf(config),
                log::info);
        router.rooms().federate(services.federation(), frames, router.directory()); // inert for a supervisor alone
        services.federate(router); // the directory, broker channels and MQTT topics, likewise
        var ws = config.webSocket();
        router.tags().limits(new TagDesk.Limits(ws.tagsMax(), ws.tagBytesMax()));
        router.tags().applications(services.applications());
        router.mqtt().settings(mqttOf(config));
        router.mqtt().store(services.mqttStore()); // kept sessions and retained messages read back now
        var clientIds = new ClientIds(config.runtimeDir(), config.hubReconnectTimeout());
        this.links = new Links(
                log,
                router,
                frames,
                pool,
                children,
                fdPasser,
                clientIds,
                clients -> observer.onClientCountChanged(clients));
        this.admission = new Admission(
                doors,
                loop.selector(),
                spawner,
                children,
                pool,
                clientIds,
                links::handOff,
                links::adopted,
                admissionLimits(config),
                log);
        new HubServer(
                hub,
                loop.selector(),
                links,
                children,
                config.workerMain(),
                config.maxFrameBytes(),
                config.outboxMaxBytes(),
                log);
        this.counters = new Counters(admission.stats(), links.stats(), links::bytesRelayed, links::deliveries, router);
        this.handover = new Handover(log, admission, links, children);
    }

    /** On SIGUSR2, hands over to a successor {@code starter} starts; {@code mainPid} tells systemd its pid. */
    public void handOverWith(Handover.Starter starter, java.util.function.LongConsumer mainPid) {
        handover.attach(starter, mainPid);
    }

    /** True when run() returned because a successor took every worker: the sockets are its now. */
    public boolean handedOver() {
        return handover.done();
    }

    /** Serves the admin socket on this loop; call before {@link #run}. */
    public void attachAdmin(AdminServer server, AdminAccessResolver accessResolver) throws IOException {
        this.admin = server;
        this.adminAccessResolver = accessResolver;
        var metrics =
                new MetricFamilies(router, links, children, pool, admission.stats(), meter, services, startedAtNanos);
        var port = new AdminPort(
                router, links, children, pool, counters, services, meter, history, metrics, startedAtNanos);
        router.mqtt().sysFigures(port::counters); // $SYS/forkcast/... carries the STATS figures
        server.register(loop.selector(), port);
    }

    /** Reports the loop's turns, client count, reloads and shutdown to {@code observer}; call before run(). */
    public void observe(LoopObserver next) {
        this.observer = next;
    }

    /** On SIGHUP, takes a new configuration from {@code source}; call before run(). */
    public void reloadFrom(ConfigSource source) {
        this.reloadSource = source;
    }

    /** Hands an event to the loop; safe from any thread. */
    public void post(Event event) {
        loop.post(event);
    }

    /** Runs until a shutdown completes. */
    public void run() throws IOException {
        loop.run(this);
        meter.close();
        if (admin != null) {
            admin.close();
        }
        services.close();
        log.info("event=stopped " + counters.summary());
    }

    /**
     * Why the supervisor stopped by itself: every worker it started failed to boot before any connected (a bad
     * worker_jvm_options, say); the first line a worker printed. Null after an ordinary shutdown.
     */
    public String haltMessage() {
        return haltMessage;
    }

    // ---- The loop's owner ----

    @Override
    public void onEvent(Event event) {
        switch (event) {
            case Event.ChildExited e -> onChildExited(e.pid());
            case Event.Later l -> l.task().run();
            case Event.SuccessorReady r -> handover.successorReady(r.pid(), System.nanoTime());
            case Event.SignalReceived s -> {
                switch (s.signal()) {
                    case TERM, INT -> beginShutdown("signal=" + s.signal().name());
                    case HUP -> reload();
                    case USR2 -> handover.begin(System.nanoTime());
                }
            }
        }
    }

    @Override
    public void onOtherKey(SelectionKey key) {
        if (admin != null && admin.owns(key)) {
            admin.dispatch(key);
        }
    }

    @Override
    public void onTick(long now) {
        admission.tick(now);
        links.tick(now);
        router.login().tick(now);
        router.mqtt().tick(now);
        meter.tick(now, this::forEachWorkerPid);
        if (history.due(now)) {
            history.record(now, System.currentTimeMillis() / 1000, router.receiving(), links.deliveries(), memoryPss());
        }
        handover.tick(now);
        if (admin != null) {
            admin.tick(now);
        }
        if (shuttingDown && !killedAll && now - shutdownStartedNanos > SHUTDOWN_GRACE_NANOS) {
            killedAll = true;
            for (var child : children.all()) {
                log.warn("event=shutdown_kill worker=" + child.clientId() + " pid=" + child.pid());
                child.signal(SIGKILL);
            }
            links.killAdopted();
        }
    }

    @Override
    public void endOfTurn(long now) {
        links.endOfTurn();
        admission.pauseOrResume();
        observer.onLoopTurn(now);
    }

    @Override
    public long maxWaitMillis() {
        return Math.min(shuttingDown ? 50 : 500, observer.maxWaitMillis());
    }

    @Override
    public boolean finished() {
        return handover.done()
                || (shuttingDown
                        && ((children.isEmpty() && links.serving() == 0)
                                || System.nanoTime() - shutdownStartedNanos > SHUTDOWN_HARD_STOP_NANOS));
    }

    /** Every worker to sample: the children this supervisor started (starting ones too) and every linked one. */
    private void forEachWorkerPid(java.util.function.LongConsumer each) {
        for (var child : children.all()) {
            each.accept(child.pid());
        }
        links.forEachPid(each);
    }

    /** PSS of the supervisor and every worker as last sampled: memory in all. */
    private long memoryPss() {
        long total = meter.self() == null ? 0 : Math.max(0, meter.self().pssBytes());
        for (var usage : meter.all()) {
            total += Math.max(0, usage.pssBytes());
        }
        return total;
    }

    // ---- Children, shutdown, reload ----

    /** Forgets the child, then reaps it (which lets the reaper go on): no one can signal a pid that was reused. */
    private void onChildExited(long pid) {
        var child = children.remove(pid);
        pool.lost(pid);
        if (child != null) {
            admission.left(child);
        }
        var exit = reaper.reap(pid);
        if (child == null) {
            log.warn("event=exit pid=" + exit.pid() + " " + exit.describe() + " note=unknown_child");
            return;
        }
        child.release();
        if (child.output() != null) {
            // It has exited: all it printed is in the pipe now.
            child.output().drain();
        }
        admission.stats().exited(exit);
        log.info("event=exit worker=" + child.clientId() + " pid=" + exit.pid() + " " + exit.describe()
                + (child.linked() ? "" : " note=never_connected"));
        if (!child.connected() && !shuttingDown && (exit.signaled() || exit.code() != 0)) {
            onBootFailed(child, exit);
        }
    }

    /**
     * A worker died before it connected to the hub: spare starts back off. If no worker ever connected and every
     * one started so far failed, workers cannot start here at all (gunicorn's HaltServer): the supervisor stops.
     */
    private void onBootFailed(Children.Child child, Reaper.Exit exit) {
        var stats = admission.stats();
        stats.countBootFailure();
        children.bootFailed(System.nanoTime());
        String firstLine = child.output() != null ? child.output().firstLine() : "";
        log.error("event=worker_boot_failed pid=" + exit.pid() + " " + exit.describe() + " first_line="
                + EventLog.quote(firstLine));
        boolean neverServed = !children.everConnected()
                && links.adopted() == 0
                && links.stats().adopted() == 0;
        if (neverServed && pool.minSpare() > 0 && children.isEmpty() && stats.bootFailed() == stats.spawned()) {
            haltMessage = !firstLine.isEmpty() ? firstLine : "a worker exited with " + exit.describe();
            log.error("event=halt reason=workers_cannot_start failed=" + stats.bootFailed() + " first_line="
                    + EventLog.quote(firstLine));
            beginShutdown("reason=workers_cannot_start");
        }
    }

    private void beginShutdown(String why) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        shutdownStartedNanos = System.nanoTime();
        log.info("event=shutdown " + why + " clients=" + links.serving() + " workers=" + children.size());
        observer.onStopping();
        admission.close();
        links.beginShutdown();
        for (var child : children.all()) {
            if (!child.linked()) {
                child.signal(SIGKILL);
            }
        }
    }

    /**
     * Re-reads the configuration and applies what can change live: limits go to every joined worker at once, the
     * motd greets the next clients, the worker limits apply to the next ones. A bad configuration is refused whole
     * and the old one kept.
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
            var accounts = services.reload(next);
            config = config.withLiveSettingsOf(next);
            router.login().accounts(accounts);
            router.tags().applications(services.applications());
            router.limits(limitsOf(config));
            router.motd(config.motdLines());
            router.rooms().max(config.roomsMax());
            router.history(historyOf(config));
            router.broker().settings(brokerOf(config));
            router.mqtt().accounts(accounts);
            router.mqtt().settings(mqttOf(config));
            if (changed.contains("workers_max")) {
                logWorkersMax(config);
            }
            admission.limits(admissionLimits(config));
            applied = true;
            log.info("event=reload changed="
                    + keys(changed.stream().filter(Config::isLive).toList()) + " ignored="
                    + keys(changed.stream().filter(k -> !Config.isLive(k)).toList()) + " clients="
                    + router.directory().size());
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

    /** workers_max as applied: the configured number, or what memory allowed at start. */
    private WorkerBudget.Sized workersMaxOf(Config config) {
        return config.workersMax() > 0 ? WorkerBudget.workersMax(config.workersMax()) : memoryWorkersMax;
    }

    private void logWorkersMax(Config config) {
        var sized = workersMaxOf(config);
        log.info("event=workers_max value=" + sized.value() + " source=" + sized.source()
                + (sized.availableBytes() >= 0 ? " available_mib=" + sized.availableBytes() / (1024 * 1024) : "")
                + " worker_mib=" + WorkerBudget.WORKER_BYTES / (1024 * 1024));
    }

    private Admission.Limits admissionLimits(Config config) {
        return new Admission.Limits(
                workersMaxOf(config).value(),
                config.workersStartingMax(),
                config.acceptBacklogMax(),
                config.workerStartTimeout(),
                config.clientsPerAddressMax(),
                config.ipv6PrefixLength(),
                config.tcpKeepaliveIdle());
    }

    private static BrokerDesk.Settings brokerOf(Config config) {
        return new BrokerDesk.Settings(
                config.channelReceiversMax(),
                config.keepData(),
                config.channels(),
                config.recordLimit(),
                config.brokerMaxMessageBytes(),
                config.brokerPendingMax());
    }

    private static MqttDesk.Settings mqttOf(Config config) {
        return new MqttDesk.Settings(
                config.mqttAllowAnonymous(),
                config.mqttRoomPrefix(),
                config.mqttJsonRooms(),
                config.mqttInflightMax(),
                config.mqttSysInterval());
    }

    private static Router.History historyOf(Config config) {
        return new Router.History(
                config.historyLines(),
                config.historyMax(),
                config.offlineMax(),
                config.loginTimeout().toNanos());
    }

    private static Limits limitsOf(Config config) {
        return new Limits(
                config.maxLineBytes(),
                config.floodLinesPerSecond(),
                config.floodBurst(),
                config.floodDropsBeforeDisconnect(),
                config.clientBufferBytes());
    }
}
