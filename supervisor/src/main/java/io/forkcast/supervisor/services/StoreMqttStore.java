package io.forkcast.supervisor.services;

import io.forkcast.supervisor.route.MqttStore;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.Retained;
import io.forkcast.supervisor.store.MqttState;
import io.forkcast.supervisor.store.MqttWrite;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The routing domain's {@link MqttStore} over the {@link Store}: sessions, messages and retained messages as MQTT
 * rows, times turned from {@link System#nanoTime} into wall-clock milliseconds and back. Gives kept messages
 * their ids: above every id read back, and above the start time in microseconds, so that ids of an earlier run
 * are not used again. Confined to the loop thread.
 */
final class StoreMqttStore implements MqttStore {
    private final Store store;
    private final LongSupplier nanos;
    private final LongSupplier millis;
    /** The next kept message's id. */
    private long nextId;

    StoreMqttStore(Store store) {
        this(store, System::nanoTime, System::currentTimeMillis);
    }

    StoreMqttStore(Store store, LongSupplier nanos, LongSupplier millis) {
        this.store = store;
        this.nanos = nanos;
        this.millis = millis;
        this.nextId = millis.getAsLong() * 1000;
    }

    @Override
    public boolean enabled() {
        return store.enabled();
    }

    /** Wall-clock milliseconds of a {@link System#nanoTime} time, {@link MqttState#NEVER} for Long.MAX_VALUE. */
    private long wall(long atNanos) {
        return atNanos == Long.MAX_VALUE
                ? MqttState.NEVER
                : millis.getAsLong() + (atNanos - nanos.getAsLong()) / 1_000_000;
    }

    private long mono(long atMillis) {
        return atMillis == MqttState.NEVER
                ? Long.MAX_VALUE
                : nanos.getAsLong() + (atMillis - millis.getAsLong()) * 1_000_000;
    }

    @Override
    public void save(MqttSession s) {
        long ends = s.member == null && s.sessionExpiry != MqttSession.NEVER ? wall(s.endsAtNanos) : MqttState.NEVER;
        var row = new MqttState.Session(
                s.clientId, s.user, s.version, s.sessionExpiry, ends, List.copyOf(s.subscriptions.values()));
        store.mqtt(new MqttWrite.SaveSession(row), null);
    }

    @Override
    public void end(String clientId) {
        store.mqtt(new MqttWrite.EndSession(clientId), null);
    }

    @Override
    public void keep(String clientId, Outgoing m, Runnable then) {
        m.storedId = nextId++;
        var row = new MqttState.Message(
                m.storedId,
                clientId,
                m.topic,
                m.payload,
                m.qos,
                m.retain,
                m.subscriptionIds,
                m.properties,
                wall(m.expiresAtNanos),
                m.packetId,
                m.stage);
        store.mqtt(new MqttWrite.StoreMessage(row), then == null ? null : result -> then.run());
    }

    @Override
    public void received(String clientId, int packetId, Runnable then) {
        store.mqtt(new MqttWrite.Received(clientId, packetId), then == null ? null : result -> then.run());
    }

    @Override
    public void released(String clientId, int packetId) {
        store.mqtt(new MqttWrite.Released(clientId, packetId), null);
    }

    @Override
    public void inFlight(Outgoing m) {
        store.mqtt(new MqttWrite.InFlight(m.storedId, m.packetId, m.stage), null);
    }

    @Override
    public void forget(Outgoing m) {
        store.mqtt(new MqttWrite.ForgetMessages(List.of(m.storedId)), null);
    }

    @Override
    public void retain(Retained.Message m) {
        var row = new MqttState.Retained(m.topic(), m.payload(), m.qos(), m.properties(), wall(m.expiresAtNanos()));
        store.mqtt(new MqttWrite.Retain(row), null);
    }

    @Override
    public void load(Consumer<Kept> then) {
        store.mqttState(result -> {
            if (result instanceof Result.Ok<MqttState> ok) {
                then.accept(kept(ok.value()));
            } else if (result instanceof Result.Off<MqttState>) {
                then.accept(new Kept(List.of(), List.of()));
            } else {
                then.accept(null);
            }
        });
    }

    /** The rows as the routing domain holds them; expired ones, and messages of no session, deleted. */
    private Kept kept(MqttState state) {
        long nowMillis = millis.getAsLong();
        long nowNanos = nanos.getAsLong();
        var sessions = new HashMap<String, MqttSession>();
        var ended = new HashSet<String>();
        for (var row : state.sessions()) {
            if (row.endsAtMillis() != MqttState.NEVER && row.endsAtMillis() <= nowMillis) {
                end(row.clientId());
                ended.add(row.clientId());
                continue;
            }
            var s = new MqttSession(row.clientId());
            s.user = row.user();
            s.version = row.version();
            s.sessionExpiry = row.sessionExpiry();
            // Kept while connected (the supervisor stopped under it): it ends one expiry from now.
            s.endsAtNanos = row.endsAtMillis() == MqttState.NEVER
                    ? nowNanos + Math.min(row.sessionExpiry(), MqttSession.NEVER) * 1_000_000_000L
                    : mono(row.endsAtMillis());
            for (var f : row.subscriptions()) {
                s.subscriptions.put(f.filter(), f);
            }
            sessions.put(s.clientId, s);
        }
        var orphans = new ArrayList<Long>();
        for (var row : state.messages()) {
            nextId = Math.max(nextId, row.id() + 1);
            var s = sessions.get(row.clientId());
            if (s == null || (row.expiresAtMillis() != MqttState.NEVER && row.expiresAtMillis() <= nowMillis)) {
                orphans.add(row.id());
                continue;
            }
            var m = new Outgoing(
                    row.topic(),
                    row.payload(),
                    row.qos(),
                    row.retain(),
                    row.subscriptionIds(),
                    row.properties(),
                    mono(row.expiresAtMillis()));
            m.storedId = row.id();
            if (row.packetId() > 0 && row.packetId() <= 65535 && !s.inflight.containsKey(row.packetId())) {
                m.packetId = row.packetId();
                m.stage = row.stage();
                s.inflight.put(m.packetId, m);
                s.nextPacketId = m.packetId >= 65535 ? 1 : m.packetId + 1;
            } else {
                s.queue.addLast(m);
            }
        }
        if (!orphans.isEmpty()) {
            store.mqtt(new MqttWrite.ForgetMessages(orphans), null);
        }
        var retained = new ArrayList<Retained.Message>();
        for (var row : state.retained()) {
            if (row.expiresAtMillis() != MqttState.NEVER && row.expiresAtMillis() <= nowMillis) {
                store.mqtt(new MqttWrite.Retain(new MqttState.Retained(row.topic(), new byte[0], 0, null, 0)), null);
                continue;
            }
            retained.add(new Retained.Message(
                    row.topic(), row.payload(), row.qos(), row.properties(), mono(row.expiresAtMillis())));
        }
        var received = new HashMap<String, Set<Integer>>();
        for (var row : state.received()) {
            if (!ended.contains(row.clientId())) { // an expired session's ids went with it
                received.computeIfAbsent(row.clientId(), k -> new HashSet<>()).add(row.packetId());
            }
        }
        return new Kept(List.copyOf(sessions.values()), retained, Map.copyOf(received));
    }
}
