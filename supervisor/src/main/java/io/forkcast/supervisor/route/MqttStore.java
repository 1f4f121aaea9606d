package io.forkcast.supervisor.route;

import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.Retained;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where MQTT sessions that outlive their connection, their QoS 1 and 2 messages and the retained messages are
 * kept across a supervisor restart, as the routing domain sees it. Every call returns at once and takes a
 * snapshot of what it is given; answers run on the loop thread, and writes commit in the order of the calls. The
 * supervisor's wiring implements it over its store; {@link #NONE} keeps nothing (everything stays in memory).
 */
public interface MqttStore {
    /**
     * What was kept, read back at start: sessions offline, their subscriptions and messages, retained messages, and
     * the QoS 2 packet ids awaiting release by client id (of kept sessions and of clients whose session ends with
     * their connection, whose worker may resume it).
     */
    record Kept(List<MqttSession> sessions, List<Retained.Message> retained, Map<String, Set<Integer>> received) {
        public Kept {
            sessions = List.copyOf(sessions);
            retained = List.copyOf(retained);
            received = Map.copyOf(received);
        }

        public Kept(List<MqttSession> sessions, List<Retained.Message> retained) {
            this(sessions, retained, Map.of());
        }
    }

    /** The longest client id and retained topic kept (the store's key columns); longer ones stay in memory. */
    int CLIENT_ID_MAX = 255;

    int TOPIC_MAX = 700;

    /** False when there is no store. */
    boolean enabled();

    /** Everything kept, with expired sessions and messages left out (and deleted); null when it cannot be read. */
    void load(Consumer<Kept> then);

    /** Writes the session with its subscriptions as they are now (its end time if it is offline). */
    void save(MqttSession session);

    /** Deletes the session, its subscriptions, its messages and its QoS 2 packet ids awaiting release. */
    void end(String clientId);

    /**
     * The client {@code clientId} sent its QoS 2 message {@code packetId}, held until released; {@code then}, if not
     * null, runs once the write is committed or has failed.
     */
    void received(String clientId, int packetId, Runnable then);

    /** The client released (PUBREL) its QoS 2 message {@code packetId}. */
    void released(String clientId, int packetId);

    /**
     * Keeps a message of the session {@code clientId}, giving it its {@link Outgoing#storedId} now; {@code then}, if
     * not null, runs once the write is committed or has failed.
     */
    void keep(String clientId, Outgoing message, Runnable then);

    /** A kept message went in flight, or moved to its next stage. */
    void inFlight(Outgoing message);

    /** Deletes a kept message: acknowledged, expired or dropped. */
    void forget(Outgoing message);

    /** Sets the retained message of a topic, or clears it for an empty payload. */
    void retain(Retained.Message message);

    /** No store. */
    MqttStore NONE = new MqttStore() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void load(Consumer<Kept> then) {
            then.accept(new Kept(List.of(), List.of()));
        }

        @Override
        public void save(MqttSession session) {}

        @Override
        public void end(String clientId) {}

        @Override
        public void keep(String clientId, Outgoing message, Runnable then) {
            if (then != null) {
                then.run();
            }
        }

        @Override
        public void received(String clientId, int packetId, Runnable then) {
            if (then != null) {
                then.run();
            }
        }

        @Override
        public void released(String clientId, int packetId) {}

        @Override
        public void inFlight(Outgoing message) {}

        @Override
        public void forget(Outgoing message) {}

        @Override
        public void retain(Retained.Message message) {}
    };
}
