package io.forkcast.worker.front.mqtt;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client's PUBLISHes on their way in: its topic aliases (5.0), its QoS 1 and 2 packet ids sent on to the
 * supervisor until it answers, and its QoS 2 ids answered PUBREC until the client releases them (so that a DUP
 * resend is answered again, not routed twice). Confined to the worker's loop thread.
 */
final class Inbound {
    /** What to do with a PUBLISH. */
    enum Verdict {
        /** Send it on to the supervisor. */
        FORWARD,
        /** A QoS 2 message held already: answer PUBREC again. */
        PUBREC_AGAIN,
        /** Sent again before the supervisor answered: its answer is on the way. */
        IGNORE
    }

    private final int receiveMaximum;
    private final String[] aliases;
    /** Packet id to QoS, until the supervisor answers. */
    private final Map<Integer, Integer> unanswered = new HashMap<>();

    private final Set<Integer> awaitingRelease = new HashSet<>();

    Inbound(int receiveMaximum, int topicAliasMaximum) {
        this.receiveMaximum = receiveMaximum;
        this.aliases = new String[topicAliasMaximum + 1];
    }

    /** The topic of {@code p}, its alias resolved or set (5.0). */
    String topic(MqttPackets.Publish p) throws MqttException {
        String topic = p.topic();
        int alias = p.props().topicAlias;
        if (alias < 0) {
            return topic;
        }
        if (alias == 0 || alias >= aliases.length) {
            throw new MqttException(MqttException.TOPIC_ALIAS_INVALID, "topic alias " + alias);
        }
        if (!topic.isEmpty()) {
            aliases[alias] = topic;
            return topic;
        }
        if (aliases[alias] == null) {
            throw MqttException.protocol("topic alias " + alias + " was never set");
        }
        return aliases[alias];
    }

    /** A QoS 1 or 2 PUBLISH {@code id}; {@code limited}: a 5.0 client, held to the receive maximum. */
    Verdict admit(int qos, int id, boolean limited) throws MqttException {
        if (qos == 2 && awaitingRelease.contains(id)) {
            return Verdict.PUBREC_AGAIN;
        }
        if (unanswered.containsKey(id)) {
            return Verdict.IGNORE;
        }
        // Section 4.9: a QoS 1 message counts until its PUBACK, a QoS 2 one until its PUBCOMP (that is, its PUBREL).
        if (limited && unanswered.size() + awaitingRelease.size() >= receiveMaximum) {
            throw new MqttException(
                    MqttException.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + receiveMaximum + " QoS 1 and 2 messages unacknowledged");
        }
        unanswered.put(id, qos);
        return Verdict.FORWARD;
    }

    /** The supervisor answered {@code id}: its QoS (0 when it was not one waiting); a QoS 2 one awaits PUBREL. */
    int answered(int id, int reasonCode) {
        Integer qos = id == 0 ? null : unanswered.remove(id);
        if (qos == null) {
            return 0;
        }
        if (qos == 2 && reasonCode < 0x80) {
            awaitingRelease.add(id);
        }
        return qos;
    }

    /** The client's PUBREL for {@code id}. */
    void released(int id) {
        awaitingRelease.remove(id);
    }
}
