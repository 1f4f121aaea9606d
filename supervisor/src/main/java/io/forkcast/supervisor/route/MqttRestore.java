package io.forkcast.supervisor.route;

import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * What the store kept of MQTT, taken back into the routing domain at start: offline sessions with their
 * subscriptions, queue and messages in flight, the retained messages, and the clients' QoS 2 packet ids awaiting
 * release ({@link MqttIncoming}). A session a worker resumed in the
 * meantime (its client stayed connected through the restart) gets the kept messages after its own. Used by {@link
 * MqttDesk}; stateless, on the loop thread.
 */
final class MqttRestore {
    private MqttRestore() {}

    /** Takes {@code kept} (null: the store could not be read) into {@code routing}, then runs {@code done}. */
    static void loaded(
            MqttRouting routing,
            MqttIncoming incoming,
            MqttStore.Kept kept,
            long now,
            Consumer<String> log,
            Runnable done) {
        if (kept == null) {
            log.accept("event=mqtt_load_failed reason=\"store down: kept MQTT sessions are not restored\"");
            done.run();
            return;
        }
        int messages = 0;
        for (var session : kept.sessions()) {
            messages += session.inflight.size() + session.queue.size();
            var current = routing.session(session.clientId);
            if (current == null) {
                session.kept = true;
                routing.adopt(session);
            } else {
                merge(routing, current, session, now);
            }
        }
        for (var m : kept.retained()) {
            routing.retained().restore(m);
        }
        int received = incoming.restore(kept.received());
        log.accept("event=mqtt_loaded sessions=" + kept.sessions().size() + " messages=" + messages + " retained="
                + kept.retained().size() + " awaiting_release=" + received);
        done.run();
    }

    /**
     * A session started before the kept one was read: the kept messages join its queue (those in flight under the
     * old connection sent again as new ones; a QoS 2 one already received by the client is forgotten). MqttDesk
     * holds CONNECTs and resumes until the load is done, so this is a safety net rather than a path taken.
     */
    private static void merge(MqttRouting routing, MqttSession current, MqttSession kept, long now) {
        var store = routing.store();
        if (!current.kept) {
            store.end(current.clientId); // resumed as a session that ends with its connection: nothing to keep
            return;
        }
        var moved = new ArrayList<Outgoing>();
        for (var m : kept.inflight.values()) {
            if (m.stage == Outgoing.RELEASED) {
                store.forget(m);
            } else {
                m.packetId = 0;
                m.stage = 0;
                moved.add(m);
            }
        }
        moved.addAll(kept.queue);
        for (var m : moved) {
            if (current.queue.size() >= MqttRouting.QUEUE_MAX) {
                store.forget(m);
            } else {
                current.queue.addLast(m);
                if (m.storedId != 0) {
                    store.inFlight(m); // back to waiting: packet id 0, stage 0
                }
            }
        }
        routing.save(current);
        if (current.member != null) {
            routing.pump(current, now);
        }
    }
}
