package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.worker.chat.Intent;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The QoS 2 messages delivered to the client on this connection and how far it took them (PUBREC, PUBCOMP), so
 * that one the supervisor sends again as a DUP after a restart (its record of the client's answer was not stored
 * yet) is not shown twice: answered from here instead. A fresh delivery under the id starts it again. Confined to
 * the worker's loop thread.
 */
final class Outbound {
    /** Packet id to the stage the client reached, {@link MqttDelivered#PUBREC} or {@link MqttDelivered#PUBCOMP}. */
    private final Map<Integer, Integer> reached = new HashMap<>();

    /** The client answered {@code packetId} with {@code stage}. */
    void answered(int packetId, int stage) {
        if (stage == MqttDelivered.PUBREC || stage == MqttDelivered.PUBCOMP) {
            reached.put(packetId, stage);
        } else {
            reached.remove(packetId);
        }
    }

    /**
     * A QoS 2 delivery: false to send it on; true when it is a DUP of one the client took already, answered here
     * (PUBREL written again after its PUBREC; after its PUBCOMP nothing) and told to the supervisor through {@code
     * later}.
     */
    boolean answeredAgain(MqttDeliver d, int version, Consumer<byte[]> out, Queue<Intent> later) {
        if (!d.dup()) {
            reached.remove(d.packetId()); // a new message under an id used before
            return false;
        }
        int stage = reached.getOrDefault(d.packetId(), 0);
        if (stage == 0) {
            return false;
        }
        if (stage == MqttDelivered.PUBREC) {
            out.accept(MqttWrites.ack(0x62, version, d.packetId(), 0));
        }
        later.add(new Intent.Mqtt(new MqttDelivered(d.packetId(), stage)));
        return true;
    }
}
