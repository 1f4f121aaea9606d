package io.forkcast.supervisor.federation;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.RoomNames;
import io.forkcast.supervisor.config.StreamSettings;
import io.forkcast.supervisor.route.RoomEvent;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This node's room events made durable in the JetStream stream FORKCAST_ROOMS: published with a message id and
 * kept in the {@link StreamOutbox} until JetStream acknowledges them, sent again after a failure or a reconnection; and
 * each listened room read back from the stream by an ordered consumer, so that after a reconnection the node
 * catches up what it missed. A line still travels by core NATS too (a JetStream publish is a message on the
 * room's subject): whichever copy comes first is given out, in order, by the {@link LineOrder}. Without JetStream
 * on the servers, events go by core NATS alone, as before. The loop thread publishes, keeps the outbox and gives
 * events out; the {@code forkcast-jetstream} thread makes the stream and the consumers (calls that wait for a
 * server's answer); jnats threads only decode, count and post to the loop.
 */
final class JetStreamRooms implements AutoCloseable {
    static final String STREAM = "FORKCAST_ROOMS";
    /** Every room's events; ask and here travel there too but carry no number and are not replayed. */
    static final String STREAM_SUBJECTS = Subjects.PREFIX + "room.*.*";
    /** How long a publish waits for JetStream's acknowledgement before it counts as failed. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    /** An event unanswered for this long is sent again (jnats times a request out a little late). */
    static final long RESEND_AFTER_NANOS = TimeUnit.SECONDS.toNanos(4);
    /** The least wait before a failed publish goes again. */
    static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a gap in a node's events of a room is waited for before later ones are given out. */
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Events from the stream said this long before the room was listened to are still taken (clock steps). */
    static final long REPLAY_MARGIN_MILLIS = 2000;
    /** How often the loop resends what is due and gives up old gaps. */
    static final long TICK_MILLIS = 250;

    private final Connection connection;
    private final String node;
    private final long incarnation;
    /** The node's message numbers (shared with NatsFederation's heartbeats and asks); any thread. */
    private final AtomicLong number;

    private final StreamSettings settings;
    private final EventLog log;
    private final Executor onLoop;
    /** Where a remote event goes, on the loop thread. */
    private final Consumer<RoomEvent> deliver;
    /** Null when the servers have no JetStream: core publishing alone. */
    private final JetStream jetStream;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "forkcast-jetstream");
        thread.setDaemon(true);
        return thread;
    });
    /** The ordered consumers' dispatcher. */
    private final Dispatcher dispatcher;

    // ---- Loop thread ----
    private final StreamOutbox outbox;
    private final LineOrder<FederationCodec.Envelope> order = new LineOrder<>(HOLD_NANOS);
    private final LagWindow lag = new LagWindow();
    /** When each listened room started being listened to (epoch ms), by room key: older events are not replayed. */
    private final Map<String, Long> listeningSince = new HashMap<>();
    /** The number of this incarnation's last event in each room, by room key. */
    private final Map<String, Long> roomNumbers = new HashMap<>();

    private long published;
    private long coreDropped;
    private long fromStream;

    // ---- forkcast-jetstream thread ----
    /** The ordered consumer of each listened room, by room key (null value: wanted, not made yet). */
    private final Map<String, JetStreamSubscription> consumers = new HashMap<>();

    /** When each listened room was first wanted (epoch ms): where a consumer that never got anything starts. */
    private final Map<String, Long> wantedSince = new HashMap<>();

    /** True once the stream exists as configured. */
    private volatile boolean streamReady;
    // ---- Any thread ----
    /** The stream sequence of the last event read from the stream, by room key; dispatcher writes. */
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();
    /** When the connection was last lost (epoch ms), 0 before. */
    private volatile long disconnectedAtMillis;

    private final AtomicLong consumerErrors = new AtomicLong();

    JetStreamRooms(
            Connection connection,
            String node,
            long incarnation,
            AtomicLong number,
            StreamSettings settings,
            Executor onLoop,
            Consumer<RoomEvent> deliver,
            EventLog log) {
        this.connection = connection;
        this.node = node;
        this.incarnation = incarnation;
        this.number = number;
        this.settings = settings;
        this.onLoop = onLoop;
        this.deliver = deliver;
        this.log = log;
        this.outbox = new StreamOutbox(settings.outboxMax(), RESEND_AFTER_NANOS, RETRY_AFTER_NANOS);
        this.jetStream = openJetStream();
        this.dispatcher = connection.createDispatcher();
        if (jetStream != null) {
            worker.execute(this::makeStream);
            ticking = worker.scheduleWithFixedDelay(
                    () -> onLoop.execute(this::tick), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The loop's tick, every quarter second; cancelled by {@link #close}. */
    private java.util.concurrent.ScheduledFuture<?> ticking;

    private JetStream openJetStream() {
        var info = connection.getServerInfo();
        if (info == null || !info.isJetStreamAvailable()) {
            log.warn("event=federation_jetstream state=off node=" + node + " server="
                    + EventLog.quote(String.valueOf(connection.getConnectedUrl()))
                    + " reason=\"JetStream is not enabled on the NATS server: room events go by core NATS only,"
                    + " and are lost while a server dies\"");
            return null;
        }
        try {
            return connection.jetStream(
                    JetStreamOptions.builder().requestTimeout(ACK_TIMEOUT).build());
        } catch (IOException e) {
            log.warn("event=federation_jetstream state=off node=" + node + " reason=" + EventLog.quote(e.toString()));
            return null;
        }
    }

    /** True when events go to the stream (JetStream is on). */
    boolean durable() {
        return jetStream != null;
    }

    // ---- forkcast-jetstream thread: the stream and the consumers ----

    /** Makes or updates the stream; tried again every second until it works (a cluster still electing). */
    private void makeStream() {
        if (streamReady) {
            return;
        }
        var info = connection.getServerInfo();
        int servers = info == null || info.getCluster() == null
                ? 1
                : Math.max(1, info.getConnectURLs().size());
        int replicas = Math.min(3, servers);
        var config = StreamConfiguration.builder()
                .name(STREAM)
                .subjects(STREAM_SUBJECTS)
                .storageType(StorageType.File)
                .replicas(replicas)
                .maxAge(settings.maxAge())
                .maxBytes(settings.maxBytes())
                .discardPolicy(DiscardPolicy.Old)
                .duplicateWindow(Duration.ofMinutes(2))
                .build();
        try {
            var jsm = connection.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(ACK_TIMEOUT).build());
            boolean exists;
            try {
                jsm.getStreamInfo(STREAM);
                exists = true;
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() != 404) {
                    throw e;
                }
                exists = false;
            }
            if (exists) {
                jsm.updateStream(config);
            } else {
                jsm.addStream(config);
            }
            streamReady = true;
            log.info("event=federation_jetstream state=on node=" + node + " stream=" + STREAM + " replicas="
                    + replicas + " max_age_s=" + settings.maxAge().toSeconds() + " max_bytes=" + settings.maxBytes()
                    + (exists ? " updated=1" : " created=1"));
            for (var key : consumers.keySet().toArray(String[]::new)) {
                if (consumers.get(key) == null) {
                    consume(key);
                }
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            if (consumerErrors.getAndIncrement() % 30 == 0) {
                log.warn("event=federation_jetstream state=waiting node=" + node + " stream=" + STREAM + " error="
                        + EventLog.quote(e.toString()));
            }
            schedule(this::makeStream);
        }
    }

    /**
     * Reads room {@code key} from the stream: after the last event read of it, or from when it was wanted (so
     * that what came while this node was cut off is caught up), or only new events the first time.
     */
    private void consume(String key) {
        if (!consumers.containsKey(key) || !streamReady) {
            return;
        }
        var old = consumers.put(key, null);
        if (old != null) {
            try {
                old.unsubscribe();
            } catch (RuntimeException e) {
                // Its connection was lost with it: nothing to undo.
            }
        }
        var config = ConsumerConfiguration.builder().idleHeartbeat(Duration.ofSeconds(1));
        Long last = lastSequence.get(key);
        if (last != null) {
            config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(last + 1);
        } else if (disconnectedAtMillis > 0) {
            long since = Math.min(wantedSince.getOrDefault(key, disconnectedAtMillis), disconnectedAtMillis);
            config.deliverPolicy(DeliverPolicy.ByStartTime)
                    .startTime(Instant.ofEpochMilli(since - 1000).atZone(ZoneOffset.UTC));
        } else {
            config.deliverPolicy(DeliverPolicy.New);
        }
        var options = PushSubscribeOptions.builder().stream(STREAM)
                .ordered(true)
                .configuration(config.build())
                .build();
        try {
            var subscription =
                    jetStream.subscribe(Subjects.roomEvents(key), dispatcher, m -> fromStream(key, m), false, options);
            consumers.put(key, subscription);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            if (consumerErrors.getAndIncrement() % 30 == 0) {
                log.warn("event=federation_consumer_error node=" + node + " room=" + key + " error="
                        + EventLog.quote(e.toString()));
            }
            schedule(() -> consume(key));
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a retry; close() ends the executor and with it the schedule
    private void schedule(Runnable task) {
        try {
            worker.schedule(task, 1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // Closing: no more tries.
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // Closing.
        }
    }

    // ---- Dispatcher thread ----

    /** An event read from the stream: decoded, its sequence noted, posted to the loop. */
    private void fromStream(String key, Message message) {
        if (message.isStatusMessage() || !message.isJetStream()) {
            return;
        }
        lastSequence.merge(key, message.metaData().streamSequence(), Math::max);
        FederationCodec.Envelope envelope;
        try {
            envelope = FederationCodec.decode(message.getData());
        } catch (FederationCodec.BadMessage e) {
            return; // counted when it came by core NATS
        }
        if (envelope.roomNumber() == 0
                || envelope.event() == null
                || envelope.node().equals(node)) {
            return; // an ask or here, or this node's own
        }
        onLoop.execute(() -> {
            fromStream++;
            Long since = listeningSince.get(key);
            if (since != null && envelope.sentMillis() >= since - REPLAY_MARGIN_MILLIS) {
                arrived(envelope);
            } // else: said before this node listened to the room (a consumer made again from the start)
        });
    }

    // ---- The loop thread ----

    /** Publishes {@code event}: to the stream through the outbox, or by core NATS without JetStream. */
    void publish(RoomEvent event) {
        String key = RoomNames.key(event.room());
        long r = roomNumbers.merge(key, 1L, Long::sum);
        long n = number.incrementAndGet();
        byte[] payload = FederationCodec.encode(node, incarnation, n, event, r, System.currentTimeMillis());
        String subject = Subjects.room(key, FederationCodec.kind(event));
        if (jetStream == null) {
            try {
                connection.publish(subject, payload);
                published++;
            } catch (IllegalStateException e) {
                coreDropped++; // disconnected past jnats' buffer: the others miss it, local chat goes on
            }
            return;
        }
        var entry = outbox.add(n, subject, payload, node + "." + incarnation + "." + n, System.nanoTime());
        if (entry == null) {
            roomNumbers.merge(key, -1L, Long::sum); // never sent: the next event takes its number, leaving no gap
            if (outbox.firstDropOfEpisode()) {
                log.warn("event=federation_outbox_full node=" + node + " pending=" + outbox.pending() + " limit="
                        + outbox.max() + " dropped=" + outbox.dropped()
                        + " reason=\"JetStream has not acknowledged; events past the limit are dropped\"");
            }
            return;
        }
        send(entry);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // whenComplete's stage: its action only posts to the loop
    private void send(StreamOutbox.Entry entry) {
        long n = entry.n;
        int attempt = entry.attempt;
        try {
            jetStream
                    .publishAsync(entry.subject, entry.payload, publishOptions(entry.messageId))
                    .whenComplete((PublishAck ack, Throwable failure) -> onLoop.execute(() -> {
                        if (failure == null && ack != null && !ack.hasError()) {
                            outbox.acked(n);
                        } else {
                            outbox.failed(n, attempt);
                        }
                    }));
            published++;
        } catch (IllegalStateException | IllegalArgumentException e) {
            outbox.failed(n, attempt); // disconnected past jnats' buffer, or closing
        }
    }

    private PublishOptions publishOptions(String messageId) {
        return PublishOptions.builder()
                .expectedStream(STREAM)
                .streamTimeout(ACK_TIMEOUT)
                .messageId(messageId)
                .build();
    }

    /** Every quarter second: what is due is sent again (while connected), and old gaps are given up. */
    private void tick() {
        long now = System.nanoTime();
        if (connection.getStatus() == Connection.Status.CONNECTED && outbox.pending() > 0) {
            for (var entry : outbox.due(now)) {
                send(entry);
            }
        }
        for (var envelope : order.expire(now)) {
            give(envelope);
        }
    }

    /** A room event of another node, by core NATS or from the stream: given out in order, once. */
    void arrived(FederationCodec.Envelope envelope) {
        var event = envelope.event();
        for (var due : order.offer(
                envelope.node(),
                RoomNames.key(event.room()),
                envelope.incarnation(),
                envelope.roomNumber(),
                envelope,
                System.nanoTime())) {
            give(due);
        }
    }

    private void give(FederationCodec.Envelope envelope) {
        if (envelope.sentMillis() > 0) {
            lag.add(System.currentTimeMillis() - envelope.sentMillis());
        }
        deliver.accept(envelope.event());
    }

    /** Room {@code key} is listened to from now on (loop thread). */
    void subscribe(String key) {
        if (jetStream == null) {
            return;
        }
        long now = System.currentTimeMillis();
        listeningSince.putIfAbsent(key, now);
        onWorker(() -> {
            wantedSince.putIfAbsent(key, now);
            consumers.putIfAbsent(key, null);
            consume(key);
        });
    }

    /** Room {@code key} is not listened to any more (loop thread). */
    void unsubscribe(String key) {
        order.forgetRoom(key);
        listeningSince.remove(key);
        if (jetStream == null) {
            return;
        }
        onWorker(() -> {
            wantedSince.remove(key);
            var subscription = consumers.remove(key);
            lastSequence.remove(key);
            if (subscription != null) {
                try {
                    subscription.unsubscribe();
                } catch (RuntimeException e) {
                    // Lost with its connection.
                }
            }
        });
    }

    /** The node {@code gone} went silent (loop thread). */
    void forgetNode(String gone) {
        order.forgetNode(gone);
    }

    // ---- jnats' connection thread ----

    void disconnected() {
        disconnectedAtMillis = System.currentTimeMillis();
    }

    /** Connected again: everything not acknowledged goes again, and each consumer starts after what it read. */
    void reconnected() {
        if (jetStream == null) {
            return;
        }
        onLoop.execute(() -> {
            for (var entry : outbox.everything(System.nanoTime())) {
                send(entry);
            }
        });
        onWorker(() -> {
            makeStream();
            for (var key : consumers.keySet().toArray(String[]::new)) {
                consume(key);
            }
        });
    }

    /** STATS figures, on the loop thread. */
    void counters(Map<String, Long> into) {
        into.put("federation_jetstream", jetStream != null && streamReady ? 1L : 0L);
        into.put("federation_pending", (long) outbox.pending());
        into.put("federation_acked", outbox.acked());
        into.put("federation_resent", outbox.resent());
        into.put("federation_outbox_dropped", outbox.dropped() + coreDropped);
        into.put("federation_from_stream", fromStream);
        into.put("federation_stream_duplicates", order.duplicates());
        into.put("federation_held", (long) order.held());
        into.put("federation_gaps", order.gaps());
        into.put("federation_late", order.late());
        into.put("federation_lag_ms", lag.p50());
    }

    /** Room events handed to NATS (first sends and resends). */
    long published() {
        return published;
    }

    @Override
    public void close() {
        if (ticking != null) {
            ticking.cancel(false);
        }
        worker.shutdownNow();
    }
}
