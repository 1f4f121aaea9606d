package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.supervisor.route.mqtt.TopicFilter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The MQTT side of a federation: the topic filters this node listens to (every filter a session here has, kept or
 * connected; {@code $} topics stay local), the PUBLISHes it tells the other nodes, and theirs given to the
 * subscribers here as a PUBLISH of a client of this node would be, without being retained here. With {@link
 * MqttFederation#NONE} it does nothing. Confined to the loop thread.
 */
public final class RemoteMqtt {
    private final MqttRouting routing;
    private final MqttFederation federation;
    private final LongSupplier clock;
    /** The filters (match parts) listened to. */
    private Set<String> listening = new HashSet<>();

    RemoteMqtt(MqttRouting routing, MqttFederation federation, LongSupplier clock) {
        this.routing = routing;
        this.federation = federation;
        this.clock = clock;
    }

    /** The sessions' subscriptions changed: the filters no session has any more are let go, new ones listened to. */
    void sync() {
        var now = new HashSet<String>();
        for (var session : routing.sessions()) {
            for (String filter : session.subscriptions.keySet()) {
                String match = TopicFilter.matchPart(filter);
                if (!match.startsWith("$")) {
                    now.add(match);
                }
            }
        }
        for (String filter : listening) {
            if (!now.contains(filter)) {
                federation.unlisten(filter);
            }
        }
        for (String filter : now) {
            if (!listening.contains(filter)) {
                federation.listen(filter);
            }
        }
        listening = now;
    }

    /** A PUBLISH a client of this node sent: to the other nodes too ({@code $} topics stay here). */
    void published(String topic, byte[] payload, int qos, boolean retain) {
        if (!topic.startsWith("$")) {
            federation.publish(topic, payload, qos, retain);
        }
    }

    /** Another node's PUBLISH: to the matching subscribers here; how many sessions it reached. */
    public int arrived(String topic, byte[] payload, int qos, boolean retain) {
        if (!TopicFilter.validTopic(topic) || topic.startsWith("$") || qos < 0 || qos > 2) {
            return 0;
        }
        return routing.publish(null, topic, payload, qos, retain, MqttProperties.NONE, clock.getAsLong());
    }
}
