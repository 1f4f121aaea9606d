package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.Retained;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An {@link MqttStore} in memory that keeps copies, as rows would, so that a desk built over it after a "restart"
 * gets fresh sessions and messages; commits of messages and of QoS 2 ids received are held until {@link #commit} while {@link #holding} is
 * set, and the load until {@link #finishLoad} while {@link #slowLoad} is.
 */
final class TestMqttStore implements MqttStore {
    record SessionRow(String user, int version, long expiry, long endsAtNanos, List<MqttFilter> subscriptions) {}

    @SuppressWarnings("ArrayRecordComponent")
    record MessageRow(
            String clientId,
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            List<Integer> ids,
            MqttProperties props,
            long expiresAtNanos,
            int packetId,
            int stage) {}

    final Map<String, SessionRow> sessions = new LinkedHashMap<>();
    final Map<Long, MessageRow> messages = new LinkedHashMap<>();
    final Map<String, Retained.Message> retained = new LinkedHashMap<>();
    /** QoS 2 packet ids received and not released, by client id. */
    final Map<String, Set<Integer>> received = new LinkedHashMap<>();

    final List<Runnable> uncommitted = new ArrayList<>();
    boolean holding;
    boolean slowLoad;
    private Runnable pendingLoad;
    private long nextId = 1;

    @Override
    public boolean enabled() {
        return true;
    }

    /** The held message writes are committed: their answers run. */
    void commit() {
        var answers = List.copyOf(uncommitted);
        uncommitted.clear();
        answers.forEach(Runnable::run);
    }

    void finishLoad() {
        var load = pendingLoad;
        pendingLoad = null;
        load.run();
    }

    @Override
    public void load(Consumer<Kept> then) {
        Runnable load = () -> then.accept(kept());
        if (slowLoad) {
            pendingLoad = load;
        } else {
            load.run();
        }
    }

    private Kept kept() {
        var restored = new LinkedHashMap<String, MqttSession>();
        sessions.forEach((id, row) -> {
            var s = new MqttSession(id);
            s.user = row.user();
            s.version = row.version();
            s.sessionExpiry = row.expiry();
            s.endsAtNanos = row.endsAtNanos();
            row.subscriptions().forEach(f -> s.subscriptions.put(f.filter(), f));
            restored.put(id, s);
        });
        messages.forEach((id, row) -> {
            var s = restored.get(row.clientId());
            var m = new Outgoing(
                    row.topic(), row.payload(), row.qos(), row.retain(), row.ids(), row.props(), row.expiresAtNanos());
            m.storedId = id;
            if (row.packetId() != 0) {
                m.packetId = row.packetId();
                m.stage = row.stage();
                s.inflight.put(m.packetId, m);
                s.nextPacketId = m.packetId + 1;
            } else {
                s.queue.addLast(m);
            }
        });
        var ids = new LinkedHashMap<String, Set<Integer>>();
        received.forEach((id, set) -> ids.put(id, new HashSet<>(set)));
        return new Kept(List.copyOf(restored.values()), List.copyOf(retained.values()), ids);
    }

    @Override
    public void save(MqttSession s) {
        sessions.put(
                s.clientId,
                new SessionRow(
                        s.user,
                        s.version,
                        s.sessionExpiry,
                        s.member == null ? s.endsAtNanos : 0,
                        List.copyOf(s.subscriptions.values())));
    }

    @Override
    public void end(String clientId) {
        sessions.remove(clientId);
        messages.values().removeIf(m -> m.clientId().equals(clientId));
        received.remove(clientId);
    }

    @Override
    public void received(String clientId, int packetId, Runnable then) {
        received.computeIfAbsent(clientId, k -> new TreeSet<>()).add(packetId);
        if (then != null) {
            if (holding) {
                uncommitted.add(then);
            } else {
                then.run();
            }
        }
    }

    @Override
    public void released(String clientId, int packetId) {
        var ids = received.get(clientId);
        if (ids != null && ids.remove(packetId) && ids.isEmpty()) {
            received.remove(clientId);
        }
    }

    @Override
    public void keep(String clientId, Outgoing m, Runnable then) {
        m.storedId = nextId++;
        messages.put(
                m.storedId,
                new MessageRow(
                        clientId,
                        m.topic,
                        m.payload,
                        m.qos,
                        m.retain,
                        m.subscriptionIds,
                        m.properties,
                        m.expiresAtNanos,
                        m.packetId,
                        m.stage));
        if (then != null) {
            if (holding) {
                uncommitted.add(then);
            } else {
                then.run();
            }
        }
    }

    @Override
    public void inFlight(Outgoing m) {
        var row = messages.get(m.storedId);
        messages.put(
                m.storedId,
                new MessageRow(
                        row.clientId(),
                        row.topic(),
                        row.payload(),
                        row.qos(),
                        row.retain(),
                        row.ids(),
                        row.props(),
                        row.expiresAtNanos(),
                        m.packetId,
                        m.stage));
    }

    @Override
    public void forget(Outgoing m) {
        messages.remove(m.storedId);
    }

    @Override
    public void retain(Retained.Message m) {
        if (m.payload().length == 0) {
            retained.remove(m.topic());
        } else {
            retained.put(m.topic(), m);
        }
    }
}
