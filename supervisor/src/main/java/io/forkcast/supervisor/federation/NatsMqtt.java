package io.forkcast.supervisor.federation;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.route.MqttFederation;
import io.forkcast.supervisor.route.RemoteMqtt;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT topics over the federation's NATS connection: a PUBLISH goes to its topic's subject ({@link MqttSubjects}),
 * and each topic filter a session here has is listened to as one or two subjects (each subscribed once, however many
 * filters want it). NATS core carries it at most once between nodes, whatever its QoS. jnats threads only decode,
 * count and post to the loop; the loop's {@link RemoteMqtt} delivers.
 */
public final class NatsMqtt implements MqttFederation, AutoCloseable {
    private final Connection connection;
    private final String node;
    private final long incarnation = System.currentTimeMillis();
    private final AtomicLong number = new AtomicLong();
    private final Executor onLoop;
    private final EventLog log;
    /** Its thread runs {@link #onMessage}. */
    private final Dispatcher dispatcher;
    /** Loop thread only: each subject listened to, and how many filters want it. */
    private final Map<String, Integer> subjects = new HashMap<>();

    private RemoteMqtt desk;
    /** Loop thread only. */
    private final DuplicateWindow duplicates = new DuplicateWindow();

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    /** Loop thread only. */
    private long received;

    private long dropped;
    private long duplicatesDropped;

    public NatsMqtt(Connection connection, String node, Executor onLoop, EventLog log) {
        this.connection = connection;
        this.node = node;
        this.onLoop = onLoop;
        this.log = log;
        this.dispatcher = connection.createDispatcher(this::onMessage);
    }

    @Override
    public void attach(RemoteMqtt desk) {
        this.desk = desk;
    }

    @Override
    public void listen(String filter) {
        for (String subject : MqttSubjects.filter(filter)) {
            if (subjects.merge(subject, 1, Integer::sum) == 1) {
                dispatcher.subscribe(subject);
                log.info("event=federation_mqtt subject=" + EventLog.quote(subject) + " interest=on");
            }
        }
    }

    @Override
    public void unlisten(String filter) {
        for (String subject : MqttSubjects.filter(filter)) {
            Integer left = subjects.computeIfPresent(subject, (k, n) -> n == 1 ? null : n - 1);
            if (left == null) {
                dispatcher.unsubscribe(subject);
                log.info("event=federation_mqtt subject=" + EventLog.quote(subject) + " interest=off");
            }
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        try {
            connection.publish(
                    MqttSubjects.topic(topic),
                    MqttCodec.encode(node, incarnation, number.incrementAndGet(), topic, payload, qos, retain));
            published.incrementAndGet();
        } catch (IllegalArgumentException | IllegalStateException e) {
            dropped++; // disconnected past the buffer, closed, or a subject NATS refuses: the other nodes miss it
        }
    }

    private void onMessage(Message message) {
        MqttCodec.Envelope envelope;
        try {
            envelope = MqttCodec.decode(message.getData());
        } catch (FederationCodec.BadMessage e) {
            if (bad.getAndIncrement() % 1000 == 0) {
                log.warn("event=federation_bad_message subject=" + message.getSubject() + " reason="
                        + EventLog.quote(e.getMessage()));
            }
            return;
        }
        onLoop.execute(() -> arrived(envelope));
    }

    private void arrived(MqttCodec.Envelope envelope) {
        if (envelope.node().equals(node)
                || !duplicates.firstSight(envelope.node(), envelope.incarnation(), envelope.n())) {
            duplicatesDropped++;
            return;
        }
        received++;
        if (desk != null) {
            desk.arrived(envelope.topic(), envelope.payload(), envelope.qos(), envelope.retain());
        }
    }

    /** STATS figures, on the loop thread. */
    public void counters(Map<String, Long> into) {
        into.put("federation_mqtt_published", published.get());
        into.put("federation_mqtt_received", received);
        into.put("federation_mqtt_duplicates", duplicatesDropped);
        into.put("federation_mqtt_dropped", dropped);
        into.put("federation_mqtt_bad", bad.get());
        into.put("federation_mqtt_subjects", (long) subjects.size());
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
