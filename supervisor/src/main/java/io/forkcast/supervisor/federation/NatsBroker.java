package io.forkcast.supervisor.federation;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.route.BrokerFederation;
import io.forkcast.supervisor.route.RemoteBroker;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The broker's channels over the federation's NATS connection. A channel with local receivers is listened to on
 * two subjects: {@code forkcast.broker.<channel>.all}, plainly, for the messages of a fan-out channel (every node
 * listening gets each), and {@code forkcast.broker.<channel>.one} in the queue group {@code forkcast-broker-<channel>},
 * for those of a limit-1 channel: a request that NATS hands to one member, which answers {@code took} or {@code
 * no}. jnats threads only decode, count and post to the loop; the loop's {@link RemoteBroker} decides.
 */
public final class NatsBroker implements BrokerFederation, AutoCloseable {
    /** How long an offer waits for the node that takes it; then it is not taken. */
    private static final Duration OFFER_TIMEOUT = Duration.ofSeconds(1);

    private static final byte[] TOOK = "took".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO = "no".getBytes(StandardCharsets.UTF_8);

    private final Connection connection;
    private final String node;
    /** This run of the node's broker messages, with {@link #number}: the duplicate window's origin. */
    private final long incarnation = System.currentTimeMillis();

    private final AtomicLong number = new AtomicLong();
    private final Executor onLoop;
    private final EventLog log;
    /** Its thread runs {@link #onMessage}. */
    private final Dispatcher dispatcher;
    /** Loop thread only: the channels listened to, and the desk their messages go to. */
    private final Set<String> listening = new HashSet<>();

    private RemoteBroker desk;
    /** Loop thread only. */
    private final DuplicateWindow duplicates = new DuplicateWindow();

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    /** Loop thread only. */
    private long received;

    private long taken;
    private long untaken;
    private long unwanted;
    private long duplicatesDropped;

    public NatsBroker(Connection connection, String node, Executor onLoop, EventLog log) {
        this.connection = connection;
        this.node = node;
        this.onLoop = onLoop;
        this.log = log;
        this.dispatcher = connection.createDispatcher(this::onMessage);
    }

    static String fanOut(String key) {
        return Subjects.PREFIX + "broker." + Subjects.token(key) + ".all";
    }

    static String queued(String key) {
        return Subjects.PREFIX + "broker." + Subjects.token(key) + ".one";
    }

    static String queueGroup(String key) {
        return "forkcast-broker-" + Subjects.token(key);
    }

    // ---- The broker's side (loop thread) ----

    @Override
    public void attach(RemoteBroker desk) {
        this.desk = desk;
    }

    @Override
    public void listen(String key) {
        if (listening.add(key)) {
            dispatcher.subscribe(fanOut(key));
            dispatcher.subscribe(queued(key), queueGroup(key));
            log.info("event=federation_channel channel=" + key + " interest=on");
        }
    }

    @Override
    public void unlisten(String key) {
        if (listening.remove(key)) {
            dispatcher.unsubscribe(fanOut(key));
            dispatcher.unsubscribe(queued(key));
            log.info("event=federation_channel channel=" + key + " interest=off");
        }
    }

    @Override
    public void publish(String channel, String data) {
        try {
            connection.publish(fanOut(channel), payload(channel, data));
            published.incrementAndGet();
        } catch (IllegalStateException e) {
            unwanted++; // disconnected past the reconnect buffer, or closed: the other nodes miss it
        }
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // whenComplete's stage: its action catches nothing to report
    public void offer(String channel, String data, Consumer<Boolean> answer) {
        try {
            connection
                    .requestWithTimeout(queued(channel), payload(channel, data), OFFER_TIMEOUT)
                    .whenComplete((reply, failure) -> {
                        boolean took = failure == null
                                && reply != null
                                && !reply.isStatusMessage()
                                && java.util.Arrays.equals(reply.getData(), TOOK);
                        onLoop.execute(() -> {
                            if (took) {
                                taken++;
                            } else {
                                untaken++;
                            }
                            answer.accept(took);
                        });
                    });
            offered.incrementAndGet();
        } catch (IllegalStateException e) {
            untaken++;
            answer.accept(false);
        }
    }

    private byte[] payload(String channel, String data) {
        return BrokerCodec.encode(node, incarnation, number.incrementAndGet(), channel, data);
    }

    // ---- NATS threads ----

    /** On the dispatcher's thread: decoded, then handed to the loop. */
    private void onMessage(Message message) {
        BrokerCodec.Envelope envelope;
        try {
            envelope = BrokerCodec.decode(message.getData());
        } catch (FederationCodec.BadMessage e) {
            if (bad.getAndIncrement() % 1000 == 0) {
                log.warn("event=federation_bad_message subject=" + message.getSubject() + " reason="
                        + EventLog.quote(e.getMessage()));
            }
            if (message.getReplyTo() != null) {
                connection.publish(message.getReplyTo(), NO);
            }
            return;
        }
        String replyTo = message.getReplyTo();
        onLoop.execute(() -> arrived(envelope, replyTo));
    }

    // ---- Back on the loop thread ----

    private void arrived(BrokerCodec.Envelope envelope, String replyTo) {
        boolean fresh = !envelope.node().equals(node)
                && duplicates.firstSight(envelope.node(), envelope.incarnation(), envelope.n());
        if (!fresh) {
            duplicatesDropped++;
        }
        boolean given = false;
        if (fresh && desk != null) {
            received++;
            given = replyTo != null
                    ? desk.take(envelope.channel(), envelope.data())
                    : desk.arrived(envelope.channel(), envelope.data());
            if (!given) {
                unwanted++;
            }
        }
        if (replyTo != null) {
            connection.publish(replyTo, given ? TOOK : NO);
        }
    }

    /** STATS figures, on the loop thread. */
    public void counters(Map<String, Long> into) {
        into.put("federation_broker_published", published.get());
        into.put("federation_broker_offered", offered.get());
        into.put("federation_broker_taken", taken);
        into.put("federation_broker_untaken", untaken);
        into.put("federation_broker_received", received);
        into.put("federation_broker_unwanted", unwanted);
        into.put("federation_broker_duplicates", duplicatesDropped);
        into.put("federation_broker_bad", bad.get());
    }

    @Override
    public void close() {
        try {
            connection.closeDispatcher(dispatcher);
        } catch (RuntimeException e) {
            // Closed already with the connection.
        }
    }
}
