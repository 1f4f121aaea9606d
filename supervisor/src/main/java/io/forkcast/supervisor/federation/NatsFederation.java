package io.forkcast.supervisor.federation;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Sender;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.config.FederationSettings;
import io.forkcast.supervisor.config.StreamSettings;
import io.forkcast.supervisor.route.Ask;
import io.forkcast.supervisor.route.Census;
import io.forkcast.supervisor.route.Federation;
import io.forkcast.supervisor.route.PrivateLine;
import io.forkcast.supervisor.route.RemoteDesk;
import io.forkcast.supervisor.route.RoomEvent;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This supervisor as one node of a federation over NATS: publishes its room events, subscribes to the rooms with
 * local members, heartbeats, and hands what arrives to the loop. jnats connects, reconnects (for ever) and
 * resubscribes by itself; its threads only decode, count and post: route state is touched on the loop thread alone.
 *
 * <pre>
 *   {@link #connect} (at start: connected, node name claimed, or a ConfigException: exit 2)
 *     -> {@link #start} (heartbeats, claims answered, events to the loop)
 *     -> connected <-> disconnected (jnats reconnects; publishes are buffered up to a bound, then dropped)
 *     -> {@link #close}
 * </pre>
 */
public final class NatsFederation implements Federation, AutoCloseable {
    /** How long a private line waits for the node that has its recipient; then it is "no such nick". */
    private static final Duration PRIVATE_TIMEOUT = Duration.ofSeconds(1);
    /** How long a claim of the node name waits for an answer at start. */
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(1);
    /** Bytes jnats buffers while disconnected; past them a publish is dropped and counted. */
    private static final long RECONNECT_BUFFER_BYTES = 8L * 1024 * 1024;

    private final String node;
    /** This run of the node (its start, in ms): a restarted node's numbers start again under a new one. */
    private final long incarnation = System.currentTimeMillis();

    private final EventLog log;
    private final long timeoutNanos;
    /** The number of the last message published (events and heartbeats); any thread. */
    private final AtomicLong number = new AtomicLong();
    /** Set by {@link #connect}; closed by {@link #close}. */
    private Connection connection;
    /** The one dispatcher of every subscription: its thread runs {@link #onMessage}. Set by {@link #start}. */
    private Dispatcher dispatcher;
    /** Where arrivals go: the loop thread. Set by {@link #start}. */
    private Executor onLoop;
    /** Set by {@link #attach}; used on the loop thread. */
    private RemoteDesk desk;
    /** Room events through JetStream (or core NATS without it), in order once each; set by {@link #start}. */
    private JetStreamRooms rooms;

    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "forkcast-federation");
        thread.setDaemon(true);
        return thread;
    });
    /** The heartbeat's schedule; cancelled by {@link #close}. */
    private java.util.concurrent.ScheduledFuture<?> beating;
    /** Loop thread only: duplicates and who is heard from. */
    private final DuplicateWindow duplicates = new DuplicateWindow();

    private final NodeWatch nodes;
    /** The directory's questions and answers across the nodes. */
    private final NatsDirectory directory;

    private volatile boolean connected;
    /** Set once the first connect succeeded: before it, a failure is the start's one-line error, not log lines. */
    private volatile boolean started;

    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    /** Connection errors since the last (re)connection; most are not logged. */
    private final AtomicLong errorsWhileDown = new AtomicLong();
    /** Loop thread only. */
    private long received;

    private long duplicatesDropped;
    private long nodesGone;

    private NatsFederation(String node, FederationSettings settings, EventLog log) {
        this.node = node;
        this.log = log;
        this.timeoutNanos = settings.nodeTimeout().toNanos();
        this.nodes = new NodeWatch(timeoutNanos);
        this.directory = new NatsDirectory(node, log);
    }

    /**
     * Connects to the NATS servers of {@code settings} and claims {@code node}: another node answering to that name
     * refuses the start, as does a server that cannot be reached ({@code skipClaim}: a successor taking over from
     * this node's previous process, which still answers).
     */
    public static NatsFederation connect(FederationSettings settings, String node, boolean skipClaim, EventLog log)
            throws ConfigException {
        var federation = new NatsFederation(node, settings, log);
        var options = new Options.Builder()
                .servers(settings.urls().toArray(String[]::new))
                .connectionName("forkcast " + node)
                .noEcho() // this node's own messages never come back to it
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(2))
                .pingInterval(Duration.ofSeconds(5))
                .reconnectBufferSize(RECONNECT_BUFFER_BYTES)
                .connectionListener(federation::connectionEvent)
                .errorListener(federation.errors());
        NatsCredentials.apply(settings.credentialsFile(), options);
        try {
            federation.connection = Nats.connect(options.build());
            federation.started = true;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(List.of(
                    "federation_url " + String.join(",", settings.urls()) + ": cannot connect: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(List.of("federation_url: interrupted while connecting"));
        }
        if (!skipClaim) {
            federation.claim();
        }
        return federation;
    }

    /** Asks whether another node answers to this node's name; one that does refuses the start. */
    private void claim() throws ConfigException {
        String answer = null;
        try {
            var reply = connection
                    .requestWithTimeout(Subjects.claim(node), claimPayload(), CLAIM_TIMEOUT)
                    .get(CLAIM_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            if (reply != null && !reply.isStatusMessage()) {
                answer = new String(reply.getData(), StandardCharsets.UTF_8);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // No responders, or no answer in time: nobody else is this node.
        }
        if (answer != null) {
            close();
            throw new ConfigException(List.of("node_name " + node + " is taken by another supervisor of the"
                    + " federation (" + answer + "); give each node its own node_name"));
        }
    }

    private byte[] claimPayload() {
        return ("pid=" + ProcessHandle.current().pid() + " incarnation=" + incarnation)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Starts taking messages, answering claims and heartbeating; arrivals run on {@code onLoop}. */
    public void start(Executor onLoop, StreamSettings stream) {
        this.onLoop = onLoop;
        this.rooms = new JetStreamRooms(
                connection,
                node,
                incarnation,
                number,
                stream,
                onLoop,
                event -> {
                    if (desk != null) {
                        desk.received(event);
                    }
                },
                log);
        this.dispatcher = connection.createDispatcher(this::onMessage);
        dispatcher.subscribe(Subjects.ALIVE);
        dispatcher.subscribe(Subjects.PRIVATE);
        dispatcher.subscribe(Subjects.claim(node));
        directory.start(connection, dispatcher, onLoop);
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(200), timeoutNanos / 3);
        beating = heartbeat.scheduleAtFixedRate(this::beat, 0, periodNanos, TimeUnit.NANOSECONDS);
        log.info("event=federation_started node=" + node + " server=" + EventLog.quote(connection.getConnectedUrl())
                + " node_timeout_ms=" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    }

    /** The connection, for the broker's channels ({@link NatsBroker}); set by {@link #connect}. */
    public Connection connection() {
        return connection;
    }

    public String node() {
        return node;
    }

    // ---- The routing domain's side (loop thread) ----

    @Override
    public void attach(RemoteDesk desk) {
        this.desk = desk;
    }

    @Override
    public void attach(Census census) {
        directory.attach(census);
    }

    @Override
    public void ask(Ask.Question question, Consumer<Ask.Gathered> then) {
        directory.ask(question, nodes.names(), then);
    }

    /** An answer to a node that asked who is in a room: for it alone, now; not kept in the stream. */
    private static boolean answer(RoomEvent event) {
        return event instanceof RoomEvent.Here || (event instanceof RoomEvent.Topic t && !t.shown());
    }

    @Override
    public void publish(RoomEvent event) {
        if (rooms != null && !answer(event)) {
            rooms.publish(event);
            return;
        }
        send(Subjects.room(io.forkcast.protocol.text.RoomNames.key(event.room()), FederationCodec.kind(event)), event);
    }

    @Override
    public void subscribe(String key) {
        if (dispatcher != null) {
            dispatcher.subscribe(Subjects.roomEvents(key));
            rooms.subscribe(key);
            log.info("event=federation_room room=" + key + " interest=on");
            // Who is there already: the nodes with people in the room answer with a Here for each.
            publishRaw(
                    Subjects.room(key, "ask"),
                    FederationCodec.encodeAsk(node, incarnation, number.incrementAndGet(), key));
        }
    }

    @Override
    public void unsubscribe(String key) {
        if (dispatcher != null) {
            dispatcher.unsubscribe(Subjects.roomEvents(key));
            rooms.unsubscribe(key);
            log.info("event=federation_room room=" + key + " interest=off");
        }
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // whenComplete's stage: its action catches nothing to report
    public void privately(PrivateLine line, Consumer<String> answer) {
        byte[] payload = FederationCodec.encodePrivate(node, incarnation, number.incrementAndGet(), line);
        try {
            connection
                    .requestWithTimeout(Subjects.PRIVATE, payload, PRIVATE_TIMEOUT)
                    .whenComplete((reply, failure) -> {
                        String name = failure == null && reply != null && !reply.isStatusMessage()
                                ? new String(reply.getData(), StandardCharsets.UTF_8)
                                : null;
                        onLoop.execute(() -> answer.accept(name));
                    });
            published.incrementAndGet();
        } catch (IllegalStateException e) {
            dropped.incrementAndGet();
            answer.accept(null);
        }
    }

    private void send(String subject, RoomEvent event) {
        publishRaw(subject, FederationCodec.encode(node, incarnation, number.incrementAndGet(), event));
    }

    private void publishRaw(String subject, byte[] payload) {
        try {
            connection.publish(subject, payload);
            published.incrementAndGet();
        } catch (IllegalStateException e) {
            // Disconnected past the reconnect buffer, or closed: other nodes miss it; local chat goes on.
            if (dropped.getAndIncrement() % 1000 == 0) {
                log.warn("event=federation_dropped subject=" + subject + " dropped=" + dropped.get() + " reason="
                        + EventLog.quote(String.valueOf(e.getMessage())));
            }
        }
    }

    // ---- NATS threads ----

    /** On the dispatcher's thread: claims are answered here; everything else is decoded and posted to the loop. */
    private void onMessage(Message message) {
        if (message.getSubject().equals(Subjects.claim(node))) {
            if (message.getReplyTo() != null) {
                connection.publish(message.getReplyTo(), claimPayload());
            }
            return;
        }
        FederationCodec.Envelope envelope;
        try {
            envelope = FederationCodec.decode(message.getData());
        } catch (FederationCodec.BadMessage e) {
            if (bad.getAndIncrement() % 1000 == 0) {
                log.warn("event=federation_bad_message subject=" + message.getSubject() + " reason="
                        + EventLog.quote(e.getMessage()));
            }
            return;
        }
        String replyTo = message.getReplyTo();
        onLoop.execute(() -> arrived(envelope, replyTo));
    }

    /** On the heartbeat thread: tells the others this node lives, and has the loop look for silent nodes. */
    private void beat() {
        try {
            send(Subjects.ALIVE, null);
            onLoop.execute(this::checkNodes);
        } catch (RuntimeException e) {
            // A task that throws would end the schedule: the heartbeat must go on.
            log.error("event=federation_heartbeat_error error=" + EventLog.quote(e.toString()));
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED -> {
                connected = true;
                errorsWhileDown.set(0);
                if (event == ConnectionListener.Events.RECONNECTED) {
                    reconnects.incrementAndGet();
                    if (rooms != null) {
                        rooms.reconnected();
                    }
                }
                log.info("event=federation_connected node=" + node + " server="
                        + EventLog.quote(String.valueOf(conn.getConnectedUrl())) + " reconnects=" + reconnects.get());
            }
            case DISCONNECTED -> {
                boolean was = connected;
                connected = false;
                if (rooms != null) {
                    rooms.disconnected();
                }
                if (was) { // jnats says it again after each failed attempt
                    log.warn("event=federation_disconnected node=" + node);
                }
            }
            case CLOSED -> connected = false;
            default -> {}
        }
    }

    private ErrorListener errors() {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                if (started) {
                    log.warn("event=federation_error node=" + node + " error=" + EventLog.quote(error));
                }
            }

            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
                // jnats retries every 0.5 s while the servers are down: the first failure and every 100th are told.
                if (started && errorsWhileDown.getAndIncrement() % 100 == 0) {
                    log.warn("event=federation_error node=" + node + " error=" + EventLog.quote(exp.toString())
                            + " since_connected=" + errorsWhileDown.get());
                }
            }
        };
    }

    // ---- Back on the loop thread ----

    private void arrived(FederationCodec.Envelope envelope, String replyTo) {
        String from = envelope.node();
        if (from.equals(node)) {
            return; // noEcho keeps them away; a second connection of this node would not
        }
        if (!duplicates.firstSight(from, envelope.incarnation(), envelope.n())) {
            duplicatesDropped++;
            return;
        }
        if (nodes.heard(from, System.nanoTime())) {
            log.info("event=federation_node_up node=" + from);
        }
        if (envelope.event() != null && desk != null) {
            received++;
            if (envelope.roomNumber() > 0 && rooms != null) {
                rooms.arrived(envelope); // in order, once, whether by core NATS or the stream
            } else {
                desk.received(envelope.event());
            }
        }
        if (envelope.asked() != null && desk != null) {
            for (var who : desk.roster(envelope.asked())) {
                publish(new RoomEvent.Here(envelope.asked(), who));
            }
            String topic = desk.topic(envelope.asked());
            if (topic != null) {
                publish(new RoomEvent.Topic(envelope.asked(), new Sender(node, 0, "", 0), topic, false));
            }
        }
        if (envelope.line() != null && desk != null) {
            received++;
            String name = desk.privately(envelope.line(), node);
            if (name != null && replyTo != null) {
                connection.publish(replyTo, name.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void checkNodes() {
        for (String gone : nodes.expired(System.nanoTime())) {
            int people = desk == null ? 0 : desk.nodeGone(gone);
            duplicates.forget(gone);
            if (rooms != null) {
                rooms.forgetNode(gone);
            }
            nodesGone++;
            log.warn("event=federation_node_gone node=" + gone + " people=" + people + " timeout_ms="
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
    }

    /** STATS figures, on the loop thread. */
    public void counters(Map<String, Long> into) {
        into.put("federation_connected", connected ? 1L : 0L);
        into.put("federation_reconnects", reconnects.get());
        into.put("federation_published", published.get() + (rooms == null ? 0 : rooms.published()));
        into.put("federation_received", received);
        into.put("federation_duplicates", duplicatesDropped);
        into.put("federation_dropped", dropped.get());
        into.put("federation_bad", bad.get());
        into.put("federation_nodes", (long) nodes.size());
        into.put("federation_nodes_gone", nodesGone);
        into.put("federation_remote_people", desk == null ? 0L : desk.known());
        directory.counters(into);
        if (rooms != null) {
            rooms.counters(into);
        }
    }

    @Override
    public void close() {
        if (beating != null) {
            beating.cancel(false);
        }
        heartbeat.shutdownNow();
        if (rooms != null) {
            rooms.close();
        }
        if (connection == null) {
            return;
        }
        try {
            connection.flush(Duration.ofSeconds(1)); // this node's last events (its clients leaving) go out
        } catch (Exception e) {
            // Disconnected: nothing more to send.
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
