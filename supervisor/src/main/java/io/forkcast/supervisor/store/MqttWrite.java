package io.forkcast.supervisor.store;

import java.util.List;

/**
 * A change to the store's MQTT rows, queued like any write and committed by the writer in order with the rest.
 * Immutable.
 */
public sealed interface MqttWrite {
    /** Writes the session and its subscriptions as they are now (replacing what was kept of it). */
    record SaveSession(MqttState.Session session) implements MqttWrite {}

    /** Deletes the session, its subscriptions, its messages and its QoS 2 packet ids awaiting release. */
    record EndSession(String clientId) implements MqttWrite {}

    /** Keeps a message for its session. */
    record StoreMessage(MqttState.Message message) implements MqttWrite {}

    /** A kept message went in flight under {@code packetId}, or moved to {@code stage}. */
    record InFlight(long id, int packetId, int stage) implements MqttWrite {}

    /** Deletes kept messages by id: acknowledged, expired or dropped. */
    record ForgetMessages(List<Long> ids) implements MqttWrite {
        public ForgetMessages {
            ids = List.copyOf(ids);
        }
    }

    /** The client {@code clientId} sent the QoS 2 message {@code packetId}: held until it releases it. */
    record Received(String clientId, int packetId) implements MqttWrite {}

    /** The client released (PUBREL) its QoS 2 message {@code packetId}. */
    record Released(String clientId, int packetId) implements MqttWrite {}

    /** Sets the retained message of its topic, or clears it when the payload is empty. */
    record Retain(MqttState.Retained retained) implements MqttWrite {}
}
