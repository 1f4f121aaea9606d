package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.SupervisorMessage.MqttSubAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttUnsubAck;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.TopicFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE of a connected MQTT session: each filter granted or refused, the SUBACK or UNSUBACK,
 * then the retained messages a new subscription matches. Used by {@link MqttDesk}. Confined to the loop thread.
 */
final class MqttSubscriptions {
    private final Postman postman;
    private final MqttRouting routing;

    MqttSubscriptions(Postman postman, MqttRouting routing) {
        this.postman = postman;
        this.routing = routing;
    }

    /** A SUBSCRIBE: each filter granted (or refused), the SUBACK, then the retained messages they match. */
    void subscribe(Member member, MqttSession session, int packetId, List<MqttFilter> filters, long now) {
        var codes = new ArrayList<Integer>(filters.size());
        var sendRetained = new LinkedHashMap<MqttFilter, Boolean>();
        for (var f : filters) {
            if (!TopicFilter.validFilter(f.filter()) || f.qos() < 0 || f.qos() > 2) {
                codes.add(0x8F); // topic filter invalid (3.1.1: 0x80)
                continue;
            }
            if (TopicFilter.isShared(f.filter()) && f.noLocal()) {
                codes.add(0x82); // protocol error (section 3.8.3.1)
                continue;
            }
            boolean fresh = session.subscriptions.put(f.filter(), f) == null;
            codes.add(f.qos());
            if (!TopicFilter.isShared(f.filter()) && (f.retainHandling() == 0 || (f.retainHandling() == 1 && fresh))) {
                sendRetained.put(f, Boolean.TRUE);
            }
        }
        member.mqttSubscriptions = session.subscriptions.size();
        routing.filtersChanged();
        if (session.kept) {
            routing.save(session); // queued for the store before the SUBACK goes
        }
        postman.send(member, new MqttSubAck(packetId, codes));
        for (var f : sendRetained.keySet()) {
            for (var m : routing.retained().matching(f.filter(), now)) {
                var ids = f.subscriptionId() > 0 ? List.of(f.subscriptionId()) : List.<Integer>of();
                routing.offer(
                        session,
                        new Outgoing(
                                m.topic(),
                                m.payload(),
                                Math.min(m.qos(), f.qos()),
                                true,
                                ids,
                                m.properties(),
                                m.expiresAtNanos()),
                        now);
            }
        }
    }

    /** An UNSUBSCRIBE: 0 for each filter it had, 0x11 for one it had not. */
    void unsubscribe(Member member, MqttSession session, int packetId, List<String> filters) {
        var codes = new ArrayList<Integer>(filters.size());
        for (String f : filters) {
            codes.add(session.subscriptions.remove(f) != null ? 0 : 0x11);
        }
        member.mqttSubscriptions = session.subscriptions.size();
        routing.filtersChanged();
        if (session.kept) {
            routing.save(session);
        }
        postman.send(member, new MqttUnsubAck(packetId, codes));
    }
}
