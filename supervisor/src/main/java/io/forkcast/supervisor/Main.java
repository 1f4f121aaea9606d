package io.forkcast.supervisor;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.Peers;
import io.forkcast.supervisor.admin.AdminAccess;
import io.forkcast.supervisor.admin.AdminServer;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.front.BrokerDoor;
import io.forkcast.supervisor.front.MqttDoor;
import io.forkcast.supervisor.front.TelnetDoor;
import io.forkcast.supervisor.front.WebSocketDoor;
import io.forkcast.supervisor.listen.Listeners;
import io.forkcast.supervisor.loop.Arbiter;
import io.forkcast.supervisor.loop.Event;
import io.forkcast.supervisor.loop.Services;
import io.forkcast.supervisor.services.SupervisorServices;
import io.forkcast.supervisor.signal.Signal;
import io.forkcast.supervisor.signal.Signals;
import io.forkcast.supervisor.spawn.Admission;
import io.forkcast.supervisor.spawn.FdPasser;
import io.forkcast.supervisor.spawn.Reaper;
import io.forkcast.supervisor.spawn.Successor;
import io.forkcast.supervisor.spawn.WorkerSpawner;
import io.forkcast.supervisor.systemd.Journal;
import io.forkcast.supervisor.systemd.ListenFds;
import io.forkcast.supervisor.systemd.SdNotify;
import io.forkcast.supervisor.systemd.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.posix.POSIXFactory;

/**
 * Entry point of the supervisor: read and validate the configuration, open the sockets (or take the one systemd
 * passed), wire the parts, print {@code READY host:port} and tell systemd, run the loop. No logic of its own.
 *
 * <p>Exit codes: 0 stopped by SIGTERM/SIGINT (or config checked), 1 internal error, 2 bad configuration or
 * cannot start (a socket cannot be opened, or every worker started failed before any connected to the hub).
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_CONFIG = 2;
    /** In the runtime directory: the pid of the supervisor serving it, for {@code scripts/forkcast restart}. */
    public static final String PID_FILE = "supervisor.pid";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    private static int run(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println("usage: scripts/forkcast run [--config FILE] [--SETTING VALUE ...]\n\n"
                    + "Settings (each is also a config file key: --max-line-bytes is max_line_bytes):");
            System.out.print(Config.describe());
            return EXIT_OK;
        }
        if (args.length > 0 && args[0].equals("--check-config")) {
            return checkConfig(args.length > 1 ? Path.of(args[1]) : Config.DEFAULT_FILE);
        }
        var argList = List.of(args);
        Config config;
        try {
            config = Config.load(argList);
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println(Journal.error("forkcast: " + p)));
            return EXIT_CONFIG;
        }
        if (config.workerClasspath().isBlank()) {
            System.err.println(
                    Journal.error("forkcast: --worker-classpath is empty; start the server with scripts/forkcast run"));
            return EXIT_CONFIG;
        }
        long pid = ProcessHandle.current().pid();
        var log = EventLog.of("role=supervisor pid=" + pid);

        try {
            var inherited = ListenFds.fromEnvironment(System.getenv(), pid);
            var posix = POSIXFactory.getNativePOSIX();
            var runtimeDir = Listeners.runtimeDir(
                    config.runtimeDir(), posix.geteuid(), !config.adminGroup().isBlank());
            var tcp = inherited.chat() != null ? inherited.chat() : Listeners.tcp(config.bind(), config.port());
            // The broker port: systemd's socket named broker, or bound here when broker_port is not off.
            var broker = inherited.broker() != null
                    ? inherited.broker()
                    : config.brokerPort() >= 0 ? Listeners.tcp(config.bind(), config.brokerPort()) : null;
            // The WebSocket port: systemd's socket named websocket, or bound here when ws_port is not off.
            var ws = config.webSocket();
            var webSocket = inherited.webSocket() != null
                    ? inherited.webSocket()
                    : ws.port() >= 0 ? Listeners.tcp(config.bind(), ws.port()) : null;
            // The MQTT port: systemd's socket named mqtt, or bound here when mqtt_port is not off.
            var mqtt = inherited.mqtt() != null
                    ? inherited.mqtt()
                    : config.mqttPort() >= 0 ? Listeners.tcp(config.bind(), config.mqttPort()) : null;
            var doors = new ArrayList<Admission.Door>();
            doors.add(new Admission.Door(tcp, TelnetDoor.INSTANCE));
            var named = new ArrayList<Successor.Named>();
            named.add(new Successor.Named(tcp, "chat"));
            if (broker != null) {
                doors.add(new Admission.Door(broker, new BrokerDoor(config.brokerMaxMessageBytes())));
                named.add(new Successor.Named(broker, ListenFds.BROKER_NAME));
                if (config.usersFile() == null) {
                    log.warn("event=broker_without_users reason=\"no users_file: every broker login is refused\"");
                }
            }
            if (webSocket != null) {
                doors.add(new Admission.Door(webSocket, new WebSocketDoor(ws)));
                named.add(new Successor.Named(webSocket, ListenFds.WEBSOCKET_NAME));
            }
            if (mqtt != null) {
                doors.add(new Admission.Door(mqtt, new MqttDoor(config.mqttMaxPacketBytes())));
                named.add(new Successor.Named(mqtt, ListenFds.MQTT_NAME));
            }
            var hubPath = runtimeDir.resolve("hub.sock");
            // A successor in a planned restart takes the sockets over from its predecessor, which is still alive.
            boolean takingOver = System.getenv(Successor.HANDOVER_FD_VARIABLE) != null;
            var hub = Listeners.unix(hubPath, "rw-------", takingOver);
            // Checked before the arbiter opens the store and starts its threads: a bad group is one line and exit 2.
            var adminAccess = AdminAccess.resolve(posix, config.adminGroup());
            // node_name, or the host name: in every Sender, unique among the nodes of a federation.
            String node = config.federation().nodeName().isEmpty()
                    ? nodeName()
                    : config.federation().nodeName();
            // The users file, the state directory and the store's url: read and checked once the rest has been.
            Services.Factory services;
            try {
                services = SupervisorServices.prepare(config, node, takingOver, log);
            } catch (ConfigException e) {
                e.problems().forEach(p -> System.err.println(Journal.error("forkcast: " + p)));
                return EXIT_CONFIG;
            }
            var arbiterHolder = new Arbiter[1];
            var reaper = new Reaper(posix, child -> arbiterHolder[0].post(new Event.ChildExited(child)));
            var spawner = new WorkerSpawner(
                    posix,
                    reaper,
                    config,
                    hubPath,
                    TelnetDoor.INSTANCE,
                    doors.stream().map(Admission.Door::kind).toList());
            var arbiter = new Arbiter(config, node, doors, hub, spawner, new FdPasser(posix), reaper, services);
            arbiterHolder[0] = arbiter;
            var adminPath = runtimeDir.resolve(AdminServer.SOCKET_NAME);
            arbiter.attachAdmin(
                    new AdminServer(
                            AdminServer.bind(runtimeDir, adminAccess, takingOver),
                            adminAccess,
                            config.maxLineBytes(),
                            new AdminServer.Quotas(config.adminConnectionsPerUidMax(), config.adminIdleTimeout())),
                    group -> AdminAccess.resolve(posix, group));
            var notify = SdNotify.fromEnvironment(System.getenv(), log);
            var watchdog = ServiceStatus.watchdogInterval(System.getenv(), pid);
            var status = new ServiceStatus(notify, watchdog);
            arbiter.observe(status);
            arbiter.reloadFrom(() -> Config.load(argList));
            reaper.start();
            arbiter.handOverWith(
                    () -> Successor.start(
                            named,
                            Successor.commandLine(System.getenv(), argList),
                            System.getenv(),
                            reaper,
                            successor -> arbiter.post(new Event.SuccessorReady(successor))),
                    successor -> notify.send("MAINPID=" + successor));
            Signals.handle(
                    signal -> arbiter.post(new Event.SignalReceived(signal)),
                    log,
                    Signal.TERM,
                    Signal.INT,
                    Signal.HUP,
                    Signal.USR2);
            String hostPort = Peers.format(tcp.getLocalAddress());
            String brokerHostPort = broker == null ? null : Peers.format(broker.getLocalAddress());
            String wsHostPort = webSocket == null ? null : Peers.format(webSocket.getLocalAddress());
            String mqttHostPort = mqtt == null ? null : Peers.format(mqtt.getLocalAddress());
            log.info("event=ready listen=" + hostPort + (inherited.any() ? " activation=socket" : "")
                    + (brokerHostPort != null ? " broker=" + brokerHostPort : "")
                    + (wsHostPort != null ? " websocket=" + wsHostPort : "")
                    + (mqttHostPort != null ? " mqtt=" + mqttHostPort : "")
                    + " runtime_dir=" + runtimeDir
                    + (config.file() != null
                            ? " config=" + EventLog.quote(config.file().toString())
                            : "")
                    + (notify.enabled() ? " notify=" + EventLog.quote(notify.socketName()) : "")
                    + (watchdog != null ? " watchdog_ms=" + watchdog.toMillis() : ""));
            if (brokerHostPort != null) {
                System.out.println("BROKER " + brokerHostPort); // before READY: whoever waits for READY has both
            }
            if (wsHostPort != null) {
                System.out.println("WEBSOCKET " + wsHostPort);
            }
            if (mqttHostPort != null) {
                System.out.println("MQTT " + mqttHostPort);
            }
            System.out.println("READY " + hostPort);
            System.out.flush();
            status.ready(System.nanoTime());
            if (Successor.tellPredecessor(System.getenv(), pid)) {
                // A planned restart: the supervisor that started this one leaves it its workers now.
                notify.send("MAINPID=" + pid);
                posix.close(Successor.handoverFd(System.getenv()));
            }
            Files.writeString(runtimeDir.resolve(PID_FILE), pid + "\n");
            arbiter.run();
            if (arbiter.handedOver()) {
                return EXIT_OK; // the successor serves the sockets, the runtime directory and every worker now
            }
            Files.deleteIfExists(runtimeDir.resolve(PID_FILE));
            hub.close();
            Files.deleteIfExists(hubPath);
            Files.deleteIfExists(adminPath);
            if (arbiter.haltMessage() != null) {
                System.err.println(Journal.error("forkcast: workers cannot start: " + arbiter.haltMessage()));
                return EXIT_CONFIG;
            }
            return EXIT_OK;
        } catch (Listeners.StartupException e) {
            System.err.println(Journal.error("forkcast: " + e.getMessage()));
            return EXIT_CONFIG;
        } catch (Exception e) {
            log.error("event=crashed error=" + EventLog.quote(e.toString()));
            e.printStackTrace();
            return EXIT_INTERNAL;
        }
    }

    /** This supervisor's node name, as level-2 workers see it: the host name. */
    private static String nodeName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or no procfs: fall back to what the JDK knows.
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Validates a config file alone, as {@code scripts/forkcast check-config [FILE]} does. */
    private static int checkConfig(Path file) {
        try {
            Config.fromArgs(List.of("--config", file.toString()));
            System.out.println("OK " + file);
            return EXIT_OK;
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println(Journal.error("forkcast: " + p)));
            return EXIT_CONFIG;
        }
    }
}
