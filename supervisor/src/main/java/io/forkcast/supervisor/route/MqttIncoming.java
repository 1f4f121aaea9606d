package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.TopicFilter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A client's PUBLISHes and PUBRELs on their way in: checked, routed, answered. With a store, a QoS 2 PUBLISH's packet
 * id is written before the message is routed (and deleted at PUBREL), so that the same PUBLISH sent again after a
 * supervisor restart (by its worker's backlog, or by the client on a new connection) is answered PUBREC and not
 * routed twice; what the client says after it waits behind it, so that nothing overtakes it. Used by {@link
 * MqttDesk}. Confined to the loop thread.
 *
 * <pre>
 *  QoS 2 PUBLISH --id held, row written--> waiting --committed (or failed)--> routed, answered --PUBREL--> row deleted
 *  anything else from that member while one waits --queued--> run in order behind it
 * </pre>
 */
final class MqttIncoming {
    /** Routes a client's message (retained, to subscribers, bridged); how many sessions it reached. */
    interface Route {
        int route(MqttSession from, MqttPublish p);
    }

    /** One thing a member said, waiting its turn; a QoS 2 PUBLISH's turn comes once its id is committed. */
    private static final class Step {
        final Runnable run;
        boolean ready;

        Step(Runnable run, boolean ready) {
            this.run = run;
            this.ready = ready;
        }
    }

    private final Postman postman;
    private final Delivery delivery;
    private final MqttRouting routing;
    private final Route route;
    /** Members with a QoS 2 PUBLISH being written: what they said since, oldest first; added and drained here. */
    private final Map<Member, ArrayDeque<Step>> waiting = new HashMap<>();
    /** The member whose waiting steps are being run (they are not put off again), or null. */
    private Member running;
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

    /** True when {@code then} was queued behind a QoS 2 PUBLISH of {@code member} being written. */
    boolean putOff(Member member, Runnable then) {
        var queue = waiting.get(member);
        if (queue == null || member == running) {
            return false;
        }
        queue.add(new Step(
                () -> {
                    if (member.present) {
                        then.run();
                    }
                },
                true));
        return true;
    }

    /** A fresh PUBLISH of a connected member: routed and answered now, or in its turn. */
    void publish(Member member, MqttSession session, MqttPublish p) {
        int refused = refusal(p);
        if (refused >= 0 || p.qos() != 2) {
            inTurn(member, () -> route(member, session, p, refused));
        } else if (!session.awaitingRelease.add(p.packetId())) {
            // Sent again before PUBREL (after a restart, by the worker's backlog or the client): routed already.
            inTurn(member, () -> postman.send(member, new MqttPublished(p.seq(), p.packetId(), 0)));
        } else if (!recorded(routing.store(), session)) {
            inTurn(member, () -> route(member, session, p, -1));
        } else {
            // Routed once the id is committed, even if the member left by then: a resend is recognised from then on.
            var step = new Step(() -> route(member, session, p, -1), false);
            waiting.computeIfAbsent(member, k -> new ArrayDeque<>()).add(step);
            member.brokerUnsettled++; // its worker is acked past it only once it is routed
            routing.store().received(session.clientId, p.packetId(), () -> {
                delivery.settled(member);
                step.ready = true;
                drain(member);
            });
        }
    }

    /** Runs {@code then} now, or queued behind a QoS 2 PUBLISH of the member being written. */
    private void inTurn(Member member, Runnable then) {
        if (!putOff(member, then)) {
            then.run();
        }
    }

    /** Runs the member's steps that are ready, in order, up to one still being written. */
    private void drain(Member member) {
        var queue = waiting.get(member);
        if (queue == null) {
            return;
        }
        var before = running;
        running = member;
        try {
            while (!queue.isEmpty() && queue.peek().ready) {
                queue.poll().run.run();
            }
        } finally {
            running = before;
        }
        if (queue.isEmpty()) {
            waiting.remove(member, queue);
        }
    }

    /** 0x90 (bad topic or QoS), NOT_AUTHORIZED (a $ topic, the server's: MQTT 4.7.2), or -1 to route it. */
    private static int refusal(MqttPublish p) {
        if (!TopicFilter.validTopic(p.topic()) || p.qos() < 0 || p.qos() > 2) {
            return 0x90;
        }
        return MqttSys.reserved(p.topic()) ? MqttDesk.NOT_AUTHORIZED : -1; // 3.1.1 has no code: a plain PUBACK
    }

    private void route(Member member, MqttSession session, MqttPublish p, int refused) {
        int reason = Math.max(refused, 0);
        var held = routing.hold();
        if (refused < 0) {
            member.linesIn++;
            published++;
            int matched = route.route(session, p);
            if (matched == 0 && session.version >= 5) {
                reason = MqttDesk.NO_SUBSCRIBERS;
            }
        }
        routing.endHold();
        // QoS 0 too: the worker keeps every PUBLISH in its backlog until it is answered (it writes nothing back).
        var answer = new MqttPublished(p.seq(), p.packetId(), reason);
        if (!held.waiting()) {
            if (member.present) {
                postman.send(member, answer);
            }
            return;
        }
        // Queued for a session that outlives its connection: answered (and its worker acked) once it is stored.
        member.brokerUnsettled++;
        held.then(() -> {
            delivery.settled(member);
            if (member.present) {
                postman.send(member, answer);
            }
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
