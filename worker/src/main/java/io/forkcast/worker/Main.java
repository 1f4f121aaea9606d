package io.forkcast.worker;

import io.forkcast.protocol.frame.FrameFormat;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.text.Peers;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.broker.BrokerFrontDoor;
import io.forkcast.worker.front.mqtt.MqttFrontDoor;
import io.forkcast.worker.front.telnet.TelnetFrontDoor;
import io.forkcast.worker.front.websocket.WebSocketFrontDoor;
import io.forkcast.worker.front.websocket.WebSocketSettings;
import io.forkcast.worker.hub.FdReceiver;
import io.forkcast.worker.hub.HubLink;
import io.forkcast.worker.hub.HubSession;
import io.forkcast.worker.loop.Warmup;
import io.forkcast.worker.loop.WorkerLoop;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Entry point of a worker JVM: wires a front door, a hub session and the loop; no logic. Started by the
 * supervisor either with the client's TCP socket as fd 0, or as a spare ({@code --spare}) that connects to the
 * hub first and is handed a client's socket later: {@code java ... io.forkcast.worker.Main --hub
 * <runtime-dir>/hub.sock [--kind telnet|broker|websocket|mqtt] [--spare] [--max-frame-bytes N]
 * [--hub-reconnect-timeout-ms N] [--idle-timeout-ms N] [--flood-bytes-per-second N] [--flood-bytes-burst N]
 * [--broker-max-message-bytes N] [--ws-allowed-origins LIST] [--ws-ping-interval-ms N] [--ws-max-message-bytes N]
 * [--ws-tags-max N] [--ws-tag-bytes-max N] [--mqtt-max-packet-bytes N] [--log-fd N]}. With {@code --log-fd N}, standard output and error go to descriptor N from the first line on.
 *
 * <p>Exit codes: 0 session ended (or spare retired), 2 bad arguments, 3 no hub or no welcome, 4 no client socket.
 * Runs on the main thread, which becomes the loop's.
 */
public final class Main {
    private static final String USAGE =
            "--hub PATH [--kind telnet|broker|websocket|mqtt] [--spare [--warm KIND,...] [--warmup on|off]] [--max-frame-bytes N]"
                    + " [--hub-reconnect-timeout-ms N] [--idle-timeout-ms N] [--flood-bytes-per-second N]"
                    + " [--flood-bytes-burst N] [--broker-max-message-bytes N] [--ws-allowed-origins LIST]"
                    + " [--ws-ping-interval-ms N] [--ws-max-message-bytes N] [--ws-tags-max N] [--ws-tag-bytes-max N]"
                    + " [--mqtt-max-packet-bytes N] [--log-fd N]";

    /** Every client kind this build serves, as {@code --kind} names them. */
    private static final List<String> KINDS =
            List.of(TelnetFrontDoor.KIND, BrokerFrontDoor.KIND, WebSocketFrontDoor.KIND, MqttFrontDoor.KIND);

    /** Made once the log's descriptor is settled: EventLog keeps the System.err it first sees. */
    private static EventLog log;

    private Main() {}

    public static void main(String[] args) {
        redirectOutput(args);
        log = EventLog.of("role=worker pid=" + ProcessHandle.current().pid());
        Path hubPath = null;
        String kind = TelnetFrontDoor.KIND;
        boolean spare = false;
        // The other kinds a spare warms before it waits (--warm, from the supervisor's recent arrivals); absent:
        // every kind.
        List<String> warm = KINDS;
        // pool_warmup: off, a spare warms nothing, not even its own kind (cheaper, a slower first banner).
        boolean warmup = true;
        int maxFrameBytes = FrameFormat.DEFAULT_MAX_FRAME_BYTES;
        long reconnectMillis = 30_000;
        long idleMillis = 0;
        long floodBytesPerSecond = 0;
        long floodBytesBurst = 0;
        int brokerMaxMessageBytes = BrokerFrontDoor.DEFAULT_MAX_MESSAGE_BYTES;
        int mqttMaxPacketBytes = MqttFrontDoor.DEFAULT_MAX_PACKET_BYTES;
        var ws = WebSocketSettings.defaults();
        String wsOrigins = "";
        long wsPingMillis = ws.pingInterval().toMillis();
        int wsMaxMessageBytes = ws.maxMessageBytes();
        int wsTagsMax = ws.tagsMax();
        int wsTagBytesMax = ws.tagBytesMax();
        int i = 0;
        while (i < args.length) {
            String flag = args[i++];
            if (flag.equals("--spare")) {
                spare = true;
                continue;
            }
            String value = i < args.length ? args[i++] : null; // every other flag takes a value
            switch (flag) {
                case "--hub" -> hubPath = value == null ? null : Path.of(value);
                case "--max-frame-bytes" -> maxFrameBytes = value == null ? -1 : Integer.parseInt(value);
                case "--hub-reconnect-timeout-ms" -> reconnectMillis = value == null ? -1 : Long.parseLong(value);
                case "--idle-timeout-ms" -> idleMillis = value == null ? -1 : Long.parseLong(value);
                case "--flood-bytes-per-second" -> floodBytesPerSecond = value == null ? -1 : Long.parseLong(value);
                case "--flood-bytes-burst" -> floodBytesBurst = value == null ? -1 : Long.parseLong(value);
                case "--broker-max-message-bytes" ->
                    brokerMaxMessageBytes = value == null ? -1 : Integer.parseInt(value);
                case "--mqtt-max-packet-bytes" -> {
                    if (value == null || !value.matches("[1-9][0-9]{0,8}")) {
                        log.error("event=bad_args arg=--mqtt-max-packet-bytes value=" + EventLog.quote(value));
                        System.exit(2);
                    }
                    mqttMaxPacketBytes = Integer.parseInt(value);
                }
                case "--ws-allowed-origins" -> wsOrigins = value == null ? "" : value;
                case "--ws-ping-interval-ms" -> wsPingMillis = value == null ? -1 : Long.parseLong(value);
                case "--ws-max-message-bytes" -> wsMaxMessageBytes = value == null ? -1 : Integer.parseInt(value);
                case "--ws-tags-max" -> wsTagsMax = value == null ? -1 : Integer.parseInt(value);
                case "--ws-tag-bytes-max" -> wsTagBytesMax = value == null ? -1 : Integer.parseInt(value);
                case "--kind" -> kind = value;
                case "--warm" -> warm = value == null ? List.of() : List.of(value.split(",", -1));
                case "--warmup" -> warmup = !"off".equals(value);
                case "--log-fd" -> {
                    if (logFd(value) < 0) {
                        log.error("event=bad_args arg=--log-fd value=" + EventLog.quote(value));
                        System.exit(2);
                    }
                }
                default -> {
                    log.error("event=bad_args arg=" + EventLog.quote(flag));
                    System.exit(2);
                }
            }
        }
        if (hubPath == null
                || maxFrameBytes <= FrameFormat.HEADER_BYTES
                || reconnectMillis < 0
                || idleMillis < 0
                || floodBytesPerSecond < 0
                || floodBytesBurst < 0
                || brokerMaxMessageBytes < 1
                || wsPingMillis < 0
                || wsMaxMessageBytes < 1
                || wsTagsMax < 0
                || wsTagBytesMax < 1) {
            log.error("event=bad_args usage=" + EventLog.quote(USAGE));
            System.exit(2);
        }
        ws = new WebSocketSettings(
                WebSocketSettings.parseOrigins(wsOrigins),
                Duration.ofMillis(wsPingMillis),
                wsMaxMessageBytes,
                wsTagsMax,
                wsTagBytesMax);
        var wsSettings = ws;
        int brokerMax = brokerMaxMessageBytes;
        int frame = maxFrameBytes;
        // A PUBLISH must fit one MqttPublish frame beside its topic and properties (the supervisor's check too).
        int mqttMax = Math.max(64, Math.min(mqttMaxPacketBytes, maxFrameBytes - 1024));
        Function<String, Function<ClientOutput, FrontDoor>> doorsOf = k -> MqttFrontDoor.KIND.equals(k)
                ? out -> new MqttFrontDoor(out, mqttMax, System::nanoTime)
                : frontDoors(k, brokerMax, wsSettings, frame);
        var frontDoors = doorsOf.apply(kind);
        if (frontDoors == null) {
            log.error("event=bad_args reason=\"unknown client kind\" kind=" + EventLog.quote(kind) + " known="
                    + String.join(",", KINDS));
            System.exit(2);
        }
        var worker = new Worker(
                hubPath,
                maxFrameBytes,
                Duration.ofMillis(reconnectMillis),
                new WorkerLoop.Options(Duration.ofMillis(idleMillis), floodBytesPerSecond, floodBytesBurst),
                kind,
                frontDoors,
                doorsOf);
        System.exit(spare ? runSpare(worker, warmup ? warm : null) : run(worker));
    }

    /** What every path of a worker needs, from its arguments. */
    private record Worker(
            Path hubPath,
            int maxFrameBytes,
            Duration reconnectTimeout,
            WorkerLoop.Options options,
            String kind,
            Function<ClientOutput, FrontDoor> frontDoors,
            Function<String, Function<ClientOutput, FrontDoor>> doorsOf) {
        /** The same worker serving clients of {@code other}; null for a kind this build does not serve. */
        Worker as(String other) {
            var doors = doorsOf.apply(other);
            return doors == null
                    ? null
                    : new Worker(hubPath, maxFrameBytes, reconnectTimeout, options, other, doors, doorsOf);
        }
    }

    /** The front door of a client kind, or null for a kind this build does not serve. */
    private static Function<ClientOutput, FrontDoor> frontDoors(
            String kind, int brokerMaxMessageBytes, WebSocketSettings ws, int maxFrame) {
        if (TelnetFrontDoor.KIND.equals(kind)) {
            return TelnetFrontDoor::new;
        }
        if (BrokerFrontDoor.KIND.equals(kind)) {
            // A send's data must fit one BrokerSend frame beside its header and channel (the supervisor's config
            // check is the same); BrokerCommands counts a char as the bytes it takes in that frame.
            int fits = Math.max(1, maxFrame - 1024);
            int max = Math.min(brokerMaxMessageBytes, fits);
            return out -> new BrokerFrontDoor(out, max);
        }
        if (WebSocketFrontDoor.KIND.equals(kind)) {
            // Likewise a tagged message must fit one TaggedSaid frame beside its tags and header.
            int fits = Math.max(1, maxFrame - 1024 - ws.tagsMax() * 2 * (ws.tagBytesMax() + 8));
            var settings = ws.withMaxMessageBytes(Math.min(ws.maxMessageBytes(), fits));
            return out -> new WebSocketFrontDoor(out, settings, System::nanoTime);
        }
        return null;
    }

    /**
     * Points System.out and System.err at the descriptor {@code --log-fd} names, before anything is logged. If
     * that fails, says so in one line on the original stderr, and the worker logs there.
     */
    private static void redirectOutput(String[] args) {
        int fd = -1;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--log-fd")) {
                fd = logFd(args[i + 1]);
            }
        }
        if (fd < 0) {
            return; // absent, or malformed: the argument check reports it
        }
        try {
            if (!Files.exists(Path.of("/proc/self/fd/" + fd))) {
                throw new IOException("descriptor " + fd + " is not open");
            }
            var descriptor = new FileDescriptor();
            var field = FileDescriptor.class.getDeclaredField("fd");
            field.setAccessible(true); // needs --add-opens=java.base/java.io=ALL-UNNAMED, which the spawner gives
            field.setInt(descriptor, fd);
            // As the JDK makes System.err: buffered, flushed at each line, so that a line goes out in one write.
            var stream = new PrintStream(
                    new BufferedOutputStream(new FileOutputStream(descriptor), 8192), true, System.err.charset());
            System.setOut(stream);
            System.setErr(stream);
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            EventLog.of("role=worker pid=" + ProcessHandle.current().pid())
                    .error("event=log_fd_failed fd=" + fd + " reason=" + EventLog.quote(String.valueOf(e)));
        }
    }

    /** The descriptor number in {@code value}, or -1 when it is not one. */
    private static int logFd(String value) {
        try {
            return value == null ? -1 : Math.max(-1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int run(Worker worker) {
        SocketChannel client;
        try {
            if (!(System.inheritedChannel() instanceof SocketChannel socket)) {
                log.error("event=no_client reason=\"fd 0 is not a connected socket\"");
                return 4;
            }
            client = socket;
        } catch (IOException e) {
            log.error("event=no_client reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 4;
        }
        HubLink hub;
        try {
            hub = HubLink.connect(worker.hubPath(), worker.maxFrameBytes());
        } catch (IOException e) {
            log.error("event=no_hub path=" + worker.hubPath() + " reason="
                    + EventLog.quote(String.valueOf(e.getMessage())));
            try (client) {
                var out = new ClientOutput();
                worker.frontDoors().apply(out).goodbye("server unavailable");
                out.flush(client); // still blocking, as inherited: all of it goes out
            } catch (IOException ignored) {
                // The client is gone too; nothing left to tell.
            }
            return 3;
        }
        return serve(worker, client, hub);
    }

    /**
     * Initialises what System.inheritedChannel() needs for a TCP client and the practice session (over a Unix
     * socket) does not: InetAddress and its resolver, the socket options of jdk.net and their native library.
     * Done at the hand-off, this took 4.4 ms of a pooled client's first banner; done here, 1.6-2.3 ms are left.
     */
    private static void warmInetSockets() throws IOException {
        try (var probe = SocketChannel.open()) {
            probe.supportedOptions();
            probe.getOption(java.net.StandardSocketOptions.TCP_NODELAY);
            java.net.InetAddress.getLoopbackAddress();
        }
    }

    private static int serve(Worker worker, SocketChannel client, HubLink hub) {
        try {
            String peer = Peers.format(client.getRemoteAddress());
            var identity = new HubSession.Identity(ProcessHandle.current().pid(), peer, worker.kind());
            HubSession.Connector reconnect = () -> HubLink.connect(worker.hubPath(), worker.maxFrameBytes());
            return new WorkerLoop(
                            client,
                            peer,
                            worker.frontDoors(),
                            listener -> new HubSession(
                                    identity,
                                    hub,
                                    reconnect,
                                    worker.reconnectTimeout(),
                                    System::nanoTime,
                                    log,
                                    listener),
                            worker.options())
                    .run();
        } catch (IOException e) {
            log.error("event=session_failed reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /**
     * A spare: connect, say Ready, and wait (blocked in recvmsg, costing nothing) until the supervisor hands over
     * a client's socket with an Assign frame (a client of the spare's own kind) or an Assign2 naming the kind, or
     * retires this worker. {@code warm}: the other kinds it warms besides its own; null: none, not even its own
     * (pool_warmup off).
     */
    private static int runSpare(Worker worker, List<String> warm) {
        HubLink hub;
        SocketChannel client = null;
        try {
            // A spare may be handed a client of any kind (Assign2). The kinds clients arrive as are warmed, its own
            // last; warming a kind costs each spare some 30-40 ms of CPU and under 1 MiB (docs/architecture.md), so the
            // supervisor names only the kinds it has seen lately.
            if (warm != null) {
                for (String other : KINDS) {
                    if (!other.equals(worker.kind()) && warm.contains(other)) {
                        Warmup.run(
                                worker.maxFrameBytes(), other, worker.doorsOf().apply(other));
                    }
                }
                Warmup.run(worker.maxFrameBytes(), worker.kind(), worker.frontDoors());
                warmInetSockets();
            }
            FdReceiver.warmUp();
            if (FdReceiver.jniUnavailable() != null) {
                log.info("event=jni_unavailable handoff=ffm reason=" + EventLog.quote(FdReceiver.jniUnavailable()));
            }
            hub = HubLink.connect(worker.hubPath(), worker.maxFrameBytes());
            hub.send(new WorkerMessage.Ready(ProcessHandle.current().pid()));
            hub.flush();
            hub.channel().configureBlocking(true);
            int hubFd = FdReceiver.fdOf(hub.channel());
            while (client == null) {
                var received = FdReceiver.receive(hubFd, 4096);
                if (received.bytes().length == 0) {
                    return 0; // The supervisor went away before this spare was needed.
                }
                var messages = new ArrayList<Message>();
                hub.decode(ByteBuffer.wrap(received.bytes()), messages::add);
                for (var message : messages) {
                    if (message instanceof SupervisorMessage.Assign2 assign) {
                        var serving = worker.as(assign.kind());
                        if (serving == null) {
                            log.error("event=spare_failed reason=\"unknown client kind\" kind="
                                    + EventLog.quote(assign.kind()));
                            return 2;
                        }
                        worker = serving;
                    }
                }
                if (received.fd() >= 0) {
                    FdReceiver.moveToStdin(received.fd());
                    if (!(System.inheritedChannel() instanceof SocketChannel socket)) {
                        log.error("event=no_client reason=\"handed descriptor is not a connected socket\"");
                        return 4;
                    }
                    client = socket;
                } else if (messages.stream().anyMatch(m -> m instanceof SupervisorMessage.Disconnect)) {
                    return 0; // Retired.
                }
            }
            hub.channel().configureBlocking(false);
        } catch (IOException | ProtocolException e) {
            log.error("event=spare_failed reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 3;
        }
        return serve(worker, client, hub);
    }
}
