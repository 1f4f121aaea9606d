package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttRelease;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.Retained;
import io.forkcast.supervisor.route.mqtt.TopicFilter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The MQTT sessions by client id and the way a message reaches them: matching subscriptions (one delivery per
 * session at the highest granted QoS; one member of each shared group, in turn), the window of QoS 1 and 2
 * messages in flight, queues while offline, packet ids, acknowledgements. Used by {@link MqttDesk}. Confined to
 * the loop thread.
 */
final class MqttRouting {
    /** Messages a session queues at most (offline, or behind its window); older ones are dropped past it. */
    static final int QUEUE_MAX = 10_000;

    /** The writes of messages that must wait made during one PUBLISH, and what runs once they are committed. */
    static final class Held {
        private int pending;
        private Runnable then;

        /** Runs {@code answer} now if nothing is being written, else once the last write is done. */
        void then(Runnable answer) {
            if (pending == 0) {
                answer.run();
            } else {
                then = answer;
            }
        }

        boolean waiting() {
            return pending > 0;
        }

        private void done() {
            if (--pending == 0 && then != null) {
                then.run();
            }
        }
    }

    private final Postman postman;
    /** Where sessions that outlive their connection are written through; {@link MqttStore#NONE} by default. */
    private MqttStore store = MqttStore.NONE;
    /** The writes of the PUBLISH being routed, or null outside one. */
    private Held held;
    /** Sends to links held back until {@link #takeSends} hands them out (a QoS 2 PUBLISH being stored), or null. */
    private List<Runnable> heldSends;

    private final Map<String, MqttSession> sessions = new LinkedHashMap<>();
    private final Retained retained = new Retained();
    /** The next turn of each shared group ({@code group + ' ' + filter}). */
    private final Map<String, Integer> shareTurns = new HashMap<>();

    /** Told whenever the sessions' filters may have changed (a federation listens to them); nothing by default. */
    private Runnable filtersChanged = () -> {};

    private int inflightMax;
    private long delivered;
    private long dropped;

    MqttRouting(Postman postman, int inflightMax) {
        this.postman = postman;
        this.inflightMax = inflightMax;
    }

    void inflightMax(int max) {
        inflightMax = max;
    }

    void store(MqttStore next) {
        store = next;
    }

    MqttStore store() {
        return store;
    }

    /** From here to {@link #endHold}, writes of messages that must wait are counted in the returned hold. */
    Held hold() {
        held = new Held();
        return held;
    }

    void endHold() {
        held = null;
    }

    /** Within a hold: {@code write} is started with what to run once it is done, and holds the answer too. */
    void waitFor(Consumer<Runnable> write) {
        var hold = held;
        hold.pending++;
        write.accept(hold::done);
    }

    /** From here to {@link #takeSends}, what is sent to connected sessions is held back. */
    void holdSends() {
        heldSends = new ArrayList<>();
    }

    /** The sends held back since {@link #holdSends}, to run once the PUBLISH is stored. */
    List<Runnable> takeSends() {
        var sends = heldSends;
        heldSends = null;
        return sends;
    }

    // ---- Sessions ----

    MqttSession session(String clientId) {
        return sessions.get(clientId);
    }

    MqttSession start(String clientId) {
        var session = new MqttSession(clientId);
        sessions.put(clientId, session);
        return session;
    }

    void end(MqttSession session) {
        sessions.remove(session.clientId, session);
        filtersChanged.run();
        if (session.kept || (store.enabled() && !session.awaitingRelease.isEmpty())) {
            session.kept = false;
            store.end(session.clientId); // its QoS 2 ids awaiting release too, kept for any session
        }
    }

    /** A session read back from the store at start, offline. */
    void adopt(MqttSession session) {
        sessions.put(session.clientId, session);
        filtersChanged.run();
    }

    /** {@code then} runs whenever a session's filters may have changed. */
    void onFiltersChanged(Runnable then) {
        filtersChanged = then;
    }

    /** A SUBSCRIBE or UNSUBSCRIBE changed a session's filters. */
    void filtersChanged() {
        filtersChanged.run();
    }

    /**
     * Writes the session through if it outlives its connection (with any of its messages not kept yet), or
     * deletes what was kept of it if it no longer does.
     */
    void save(MqttSession session) {
        if (!store.enabled()) {
            return;
        }
        if (session.sessionExpiry > 0 && session.clientId.length() <= MqttStore.CLIENT_ID_MAX) {
            store.save(session);
            session.kept = true;
            for (var m : session.inflight.values()) {
                keep(session, m, false);
            }
            for (var m : session.queue) {
                keep(session, m, false);
            }
        } else if (session.kept) {
            session.kept = false;
            store.end(session.clientId);
            session.inflight.values().forEach(m -> m.storedId = 0);
            session.queue.forEach(m -> m.storedId = 0);
            if (MqttIncoming.recorded(store, session)) {
                session.awaitingRelease.forEach(id -> store.received(session.clientId, id, null)); // still held
            }
        }
    }

    /** Sets (or clears) the retained message of {@code topic}, in the store too. */
    void retain(String topic, byte[] payload, int qos, MqttProperties props, long now) {
        var m = retained.put(topic, payload, qos, props, now);
        if (topic.length() <= MqttStore.TOPIC_MAX) {
            store.retain(m);
        }
    }

    /** Writes {@code m} for a session that outlives its connection; one that must wait holds the PUBLISH's answer. */
    private void keep(MqttSession session, Outgoing m, boolean waits) {
        if (!session.kept || m.qos == 0 || m.storedId != 0) {
            return;
        }
        var hold = waits ? held : null;
        if (hold == null) {
            store.keep(session.clientId, m, null);
        } else {
            hold.pending++;
            store.keep(session.clientId, m, hold::done);
        }
    }

    private void forget(Outgoing m) {
        if (m.storedId != 0) {
            store.forget(m);
            m.storedId = 0;
        }
    }

    List<MqttSession> sessions() {
        return List.copyOf(sessions.values());
    }

    int sessionCount() {
        return sessions.size();
    }

    Retained retained() {
        return retained;
    }

    void attach(MqttSession session, Member member, int receiveMaximum) {
        session.member = member;
        session.window = Math.max(1, Math.min(receiveMaximum <= 0 ? 65535 : receiveMaximum, inflightMax));
    }

    /** The session goes offline: what was in flight is sent again when it is taken up. */
    void detach(MqttSession session) {
        session.member = null;
    }

    // ---- Fan-out ----

    /**
     * A message to every session with a matching subscription (not {@code from} itself where noLocal says so);
     * returns how many sessions it went to.
     */
    int publish(
            MqttSession from, String topic, byte[] payload, int qos, boolean retain, MqttProperties props, long now) {
        long expires = Outgoing.expiry(props, now);
        int reached = 0;
        var groups = new LinkedHashMap<String, List<Candidate>>();
        for (var session : sessions.values()) {
            int best = -1;
            boolean keepRetain = false;
            var ids = new ArrayList<Integer>(1);
            for (var f : session.subscriptions.values()) {
                String filter = f.filter();
                if (!TopicFilter.matches(TopicFilter.matchPart(filter), topic)) {
                    continue;
                }
                if (TopicFilter.isShared(filter)) {
                    groups.computeIfAbsent(
                                    TopicFilter.group(filter) + ' ' + TopicFilter.matchPart(filter),
                                    k -> new ArrayList<>())
                            .add(new Candidate(session, f.qos(), f.subscriptionId()));
                    continue;
                }
                if (f.noLocal() && session == from) {
                    continue;
                }
                best = Math.max(best, f.qos());
                keepRetain |= f.retainAsPublished();
                if (f.subscriptionId() > 0) {
                    ids.add(f.subscriptionId());
                }
            }
            if (best >= 0) {
                reached++;
                offer(
                        session,
                        new Outgoing(topic, payload, Math.min(qos, best), retain && keepRetain, ids, props, expires),
                        now);
            }
        }
        for (var entry : groups.entrySet()) {
            var chosen = choose(entry.getKey(), entry.getValue());
            reached++;
            var ids = chosen.subscriptionId > 0 ? List.of(chosen.subscriptionId) : List.<Integer>of();
            offer(
                    chosen.session,
                    new Outgoing(topic, payload, Math.min(qos, chosen.qos), false, ids, props, expires),
                    now);
        }
        return reached;
    }

    private record Candidate(MqttSession session, int qos, int subscriptionId) {}

    /** The group's next member in turn, a connected one if there is any. */
    private Candidate choose(String groupKey, List<Candidate> candidates) {
        int turn = shareTurns.getOrDefault(groupKey, 0);
        shareTurns.put(groupKey, turn + 1);
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            var c = candidates.get(Math.floorMod(turn + i, n));
            if (c.session.member != null) {
                return c;
            }
        }
        return candidates.get(Math.floorMod(turn, n));
    }

    /** One message for one session: sent now, put in flight, queued, or dropped (QoS 0 while offline). */
    void offer(MqttSession session, Outgoing m, long now) {
        if (session.member == null) {
            if (m.qos == 0) {
                dropped++;
                return;
            }
            enqueue(session, m);
            keep(session, m, true);
            return;
        }
        if (m.qos == 0) {
            send(session, m, false, now);
            return;
        }
        if (!session.queue.isEmpty() || session.inflight.size() >= session.window) {
            enqueue(session, m);
            keep(session, m, true);
            return;
        }
        launch(session, m, now);
        if (m.packetId != 0 || session.queue.peekLast() == m) {
            keep(session, m, false); // in flight (written with its packet id), or queued for want of one
        }
    }

    private void enqueue(MqttSession session, Outgoing m) {
        if (session.queue.size() >= QUEUE_MAX) {
            forget(session.queue.pollFirst());
            dropped++;
        }
        session.queue.addLast(m);
    }

    /** Puts {@code m} in flight under a fresh packet id and sends it. */
    private void launch(MqttSession session, Outgoing m, long now) {
        int id = session.takePacketId();
        if (id == 0) {
            enqueue(session, m);
            return;
        }
        m.packetId = id;
        m.stage = Outgoing.SENT;
        session.inflight.put(id, m);
        if (m.storedId != 0) {
            store.inFlight(m);
        }
        send(session, m, false, now);
    }

    private void send(MqttSession session, Outgoing m, boolean dup, long now) {
        if (!(session.member instanceof Member member) || !member.receiving) {
            return; // its link is being dropped: what is in flight is sent again on its next connection
        }
        var frame = postman.encode(new MqttDeliver(
                m.topic, m.payload, m.qos, m.retain, dup, m.packetId, m.subscriptionIds, m.propertiesAt(now)));
        if (frame == null) {
            // Larger than a hub frame (logged by the encoder): dropped, so that it holds no place in the window.
            dropped++;
            if (m.packetId != 0 && session.inflight.remove(m.packetId, m)) {
                m.packetId = 0;
            }
            forget(m);
            return;
        }
        if (heldSends != null) {
            // Sent once stored; a session taken up or gone by then gets it from its in-flight messages instead.
            heldSends.add(() -> {
                if (session.member == member && member.receiving) {
                    post(member, frame);
                }
            });
            return;
        }
        post(member, frame);
    }

    private void post(Member member, ByteBuffer frame) {
        if (postman.post(member, frame)) {
            delivered++;
            postman.counted();
        }
    }

    /** Fills the window from the queue, dropping expired messages. */
    void pump(MqttSession session, long now) {
        while (session.member != null && session.inflight.size() < session.window && !session.queue.isEmpty()) {
            var m = session.queue.pollFirst();
            if (m.expired(now)) {
                dropped++;
                forget(m);
                continue;
            }
            if (m.qos == 0) {
                send(session, m, false, now);
            } else {
                launch(session, m, now);
            }
        }
    }

    /** A session taken up: what is in flight is sent again (DUP, or PUBREL once received), then the queue. */
    void resend(MqttSession session, long now) {
        for (var m : List.copyOf(session.inflight.values())) { // a copy: one too large leaves the map
            if (m.stage == Outgoing.RELEASED) {
                if (session.member instanceof Member member) {
                    postman.send(member, new MqttRelease(m.packetId));
                }
            } else {
                send(session, m, true, now);
            }
        }
        pump(session, now);
    }

    /** The client's answer to {@code packetId}: done, or (QoS 2) now waiting for PUBCOMP. */
    void delivered(MqttSession session, int packetId, int stage, long now) {
        var m = session.inflight.get(packetId);
        if (m == null) {
            return;
        }
        if (stage == MqttDelivered.PUBREC && m.qos == 2) {
            m.stage = Outgoing.RELEASED;
            if (m.storedId != 0) {
                store.inFlight(m);
            }
            return;
        }
        session.inflight.remove(packetId);
        forget(m);
        if (stage == MqttDelivered.DROPPED) {
            dropped++;
        }
        pump(session, now);
    }

    // ---- Reading ----

    long delivered() {
        return delivered;
    }

    long dropped() {
        return dropped;
    }

    int queued() {
        int n = 0;
        for (var s : sessions.values()) {
            n += s.queue.size();
        }
        return n;
    }
}
