package io.forkcast.supervisor.route.mqtt;

import io.forkcast.protocol.message.MqttProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retained message of each topic, in memory (and in the store, by the desk): set by a retained PUBLISH, cleared by one with an empty payload,
 * read on SUBSCRIBE; an expired one (5.0 message expiry) is dropped when next read. Confined to the loop thread.
 */
public final class Retained {
    /** One retained message; the payload is shared, never changed. */
    @SuppressWarnings("ArrayRecordComponent")
    public record Message(String topic, byte[] payload, int qos, MqttProperties properties, long expiresAtNanos) {}

    private final Map<String, Message> byTopic = new LinkedHashMap<>();

    /** Keeps {@code payload} as the retained message of {@code topic}, or clears it when empty; what it keeps. */
    public Message put(String topic, byte[] payload, int qos, MqttProperties properties, long nowNanos) {
        var m = new Message(topic, payload, qos, properties, Outgoing.expiry(properties, nowNanos));
        if (payload.length == 0) {
            byTopic.remove(topic);
        } else {
            byTopic.put(topic, m);
        }
        return m;
    }

    /** A retained message read back from the store at start; one set since is newer and stays. */
    public void restore(Message m) {
        byTopic.putIfAbsent(m.topic(), m);
    }

    /** The unexpired retained messages whose topics the unshared filter matches, oldest set first. */
    public List<Message> matching(String filter, long nowNanos) {
        var found = new ArrayList<Message>();
        for (var it = byTopic.values().iterator(); it.hasNext(); ) {
            var m = it.next();
            if (m.expiresAtNanos() != Long.MAX_VALUE && nowNanos - m.expiresAtNanos() >= 0) {
                it.remove();
            } else if (TopicFilter.matches(filter, m.topic())) {
                found.add(m);
            }
        }
        return found;
    }

    public int size() {
        return byTopic.size();
    }
}
