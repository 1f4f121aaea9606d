package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.TopicFilter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's PUBLISHes and PUBRELs on their way in: checked, routed, answered. With a store, a QoS 2 PUBLISH is
 * routed with its sends to links held back, its packet id written after the rows of the kept sessions it reached,
 * and only once that is committed are the sends let go and the PUBLISH answered (and its worker acked); its id is
 * deleted at PUBREL. So the same PUBLISH sent again to the next supervisor (by the worker's backlog, or by the
 * client on a new connection) is answered PUBREC and not routed twice, and a kill between the commit and the sends
 * loses nothing for kept sessions, which get it from their stored messages in flight. What the member says after it
 * waits behind it, in order. Used by {@link MqttDesk}. Confined to the loop thread.
 *
 * <pre>
 *  QoS 2 PUBLISH --routed, sends held, id written--> waiting --committed (or failed)--> sent, answered
 *  anything else of that member meanwhile --queued--> run in order once it is answered (PUBREL: at once)
 * </pre>
 */
final class MqttIncoming {
    /** Routes a client's message (retained, to subscribers, bridged); how many sessions it reached. */
    interface Route {
        int route(MqttSession from, MqttPublish p);
    }

    private final Postman postman;
    private final Delivery delivery;
    private final MqttRouting routing;
    private final Route route;
    /** Members with a QoS 2 PUBLISH being stored: what they said since, oldest first; added and run here. */
    private final Map<Member, ArrayDeque<Runnable>> waiting = new HashMap<>();
    /**
     * QoS 2 ids read back at start for clients without a kept session (a connected client whose worker outlives the
     * supervisor), until that worker resumes (they join its session) or the adoption window ends (deleted).
     */
    private final Map<String, Set<Integer>> unclaimed = new HashMap<>();
    /** Messages routed from clients since start. */
    private long published;

    MqttIncoming(Postman postman, Delivery delivery, MqttRouting routing, Route route) {
        this.postman = postman;
        this.delivery = delivery;
        this.routing = routing;
        this.route = route;
    }

    /** True when the QoS 2 ids of {@code session} are written to {@code store}. */
    static boolean recorded(MqttStore store, MqttSession session) {
        return store.enabled() && session.clientId.length() <= MqttStore.CLIENT_ID_MAX;
    }

    /** True when {@code then} was queued behind a QoS 2 PUBLISH of {@code member} being stored. */
    boolean putOff(Member member, Runnable then) {
        var queue = waiting.get(member);
        if (queue == null) {
            return false;
        }
        queue.add(() -> {
            if (member.present) {
                then.run();
            }
        });
        return true;
    }

    /** A fresh PUBLISH of a connected member: routed and answered now, or in its turn. */
    void publish(Member member, MqttSession session, MqttPublish p) {
        if (!putOff(member, () -> take(member, session, p))) {
            take(member, session, p);
        }
    }

    private void take(Member member, MqttSession session, MqttPublish p) {
        int refused = refusal(p);
        if (refused >= 0 || p.qos() != 2) {
            route(member, session, p, refused, false);
        } else if (!session.awaitingRelease.add(p.packetId())) {
            // Sent again before PUBREL (after a restart, by the worker's backlog or the client): routed already.
            postman.send(member, new MqttPublished(p.seq(), p.packetId(), 0));
        } else {
            route(member, session, p, -1, recorded(routing.store(), session));
        }
    }

    /** The member's QoS 2 PUBLISH is answered: what it said since runs, in order, up to another one being stored. */
    private void unblock(Member member) {
        var queue = waiting.remove(member);
        while (queue != null && !queue.isEmpty()) {
            queue.poll().run();
            var again = waiting.get(member);
            if (again != null) {
                queue.addAll(again); // blocked again by one of them: the rest waits behind it
                waiting.put(member, queue);
                return;
            }
        }
    }

    /** 0x90 (bad topic or QoS), NOT_AUTHORIZED (a $ topic, the server's: MQTT 4.7.2), or -1 to route it. */
    private static int refusal(MqttPublish p) {
        if (!TopicFilter.validTopic(p.topic()) || p.qos() < 0 || p.qos() > 2) {
            return 0x90;
        }
        return MqttSys.reserved(p.topic()) ? MqttDesk.NOT_AUTHORIZED : -1; // 3.1.1 has no code: a plain PUBACK
    }

    /** {@code store}: a QoS 2 PUBLISH whose id is written before it is sent on and answered. */
    private void route(Member member, MqttSession session, MqttPublish p, int refused, boolean store) {
        int reason = Math.max(refused, 0);
        var held = routing.hold();
        List<Runnable> sends = List.of();
        if (refused < 0) {
            member.linesIn++;
            published++;
            if (store) {
                waiting.put(member, new ArrayDeque<>()); // what it says next waits for this one's answer
                routing.holdSends();
            }
            int matched;
            try {
                matched = route.route(session, p);
            } finally {
                if (store) {
                    sends = routing.takeSends();
                }
            }
            if (store) { // after the rows of the kept sessions it reached: committed, so are they
                routing.waitFor(done -> routing.store().received(session.clientId, p.packetId(), done));
            }
            if (matched == 0 && session.version >= 5) {
                reason = MqttDesk.NO_SUBSCRIBERS;
            }
        }
        routing.endHold();
        // QoS 0 too: the worker keeps every PUBLISH in its backlog until it is answered (it writes nothing back).
        var answer = new MqttPublished(p.seq(), p.packetId(), reason);
        var toSend = sends;
        Runnable finish = () -> {
            toSend.forEach(Runnable::run);
            if (member.present) {
                postman.send(member, answer);
            }
            if (store) {
                unblock(member);
            }
        };
        if (!held.waiting()) {
            finish.run();
            return;
        }
        // Stored first (its id, or its copies for sessions that outlive their connection): answered, and its worker
        // acked, once that is committed.
        member.brokerUnsettled++;
        held.then(() -> {
            delivery.settled(member);
            finish.run();
        });
    }

    /** The client released its QoS 2 message {@code packetId}: forgotten, in the store too. */
    void released(MqttSession session, int packetId) {
        if (session.awaitingRelease.remove(packetId) && recorded(routing.store(), session)) {
            routing.store().released(session.clientId, packetId);
        }
    }

    /**
     * The ids read back at start, by client id: into the sessions read back (or resumed), the rest held for the
     * workers that may resume; how many there were.
     */
    int restore(Map<String, Set<Integer>> received) {
        int n = 0;
        for (var entry : received.entrySet()) {
            n += entry.getValue().size();
            var session = routing.session(entry.getKey());
            if (session != null) {
                session.awaitingRelease.addAll(entry.getValue());
            } else {
                unclaimed.computeIfAbsent(entry.getKey(), k -> new HashSet<>()).addAll(entry.getValue());
            }
        }
        return n;
    }

    /** A worker resumed {@code session} after a restart: the ids its client had held join it. */
    void claim(MqttSession session) {
        var ids = unclaimed.remove(session.clientId);
        if (ids != null) {
            session.awaitingRelease.addAll(ids);
        }
    }

    /** A new connection of {@code clientId}: the ids of a session that ended with its connection are forgotten. */
    void drop(String clientId) {
        if (unclaimed.remove(clientId) != null) {
            routing.store().end(clientId);
        }
    }

    /** Housekeeping: once no worker of the earlier supervisor can resume, the ids no one claimed are deleted. */
    void tick(long now) {
        if (!unclaimed.isEmpty() && !delivery.remembering(now)) {
            unclaimed.keySet().forEach(routing.store()::end);
            unclaimed.clear();
        }
    }

    long published() {
        return published;
    }
}
