package io.forkcast.supervisor.store;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import java.util.List;
import java.util.Objects;

/**
 * What the store keeps of MQTT, as read back at start: the sessions that outlive their connection with their
 * subscriptions, the QoS 1 and 2 messages queued or in flight for them, the retained messages, and the clients'
 * QoS 2 packet ids awaiting release (of any client, kept session or not). Times are
 * UTC epoch milliseconds, {@link #NEVER} for none. Immutable (payloads are not copied: nobody changes them).
 */
public record MqttState(
        List<Session> sessions, List<Message> messages, List<Retained> retained, List<Received> received) {
    /** A time that never comes: a session or message that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    public MqttState {
        sessions = List.copyOf(sessions);
        messages = List.copyOf(messages);
        retained = List.copyOf(retained);
        received = List.copyOf(received);
    }

    /** A state without QoS 2 packet ids awaiting release. */
    public MqttState(List<Session> sessions, List<Message> messages, List<Retained> retained) {
        this(sessions, messages, retained, List.of());
    }

    /** A QoS 2 packet id the client {@code clientId} sent, routed and not yet released (schema step 4). */
    public record Received(String clientId, int packetId) {
        public Received {
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A session by client id: {@code user} null when anonymous, {@code version} 4 or 5, {@code sessionExpiry} in
     * seconds (4294967295 for never), {@code endsAtMillis} when it ends if it is offline, {@link #NEVER} while it is
     * connected or when it never ends; its subscriptions in the order made.
     */
    public record Session(
            String clientId,
            String user,
            int version,
            long sessionExpiry,
            long endsAtMillis,
            List<MqttFilter> subscriptions) {
        public Session {
            Objects.requireNonNull(clientId, "clientId");
            subscriptions = List.copyOf(subscriptions);
        }
    }

    /**
     * A QoS 1 or 2 message for the session {@code clientId}, under the supervisor's {@code id}; {@code packetId}
     * and {@code stage} (1 sent, 2 released) once in flight, else 0; {@code expiresAtMillis} from its message
     * expiry, or {@link #NEVER}.
     */
    @SuppressWarnings("ArrayRecordComponent")
    public record Message(
            long id,
            String clientId,
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            List<Integer> subscriptionIds,
            MqttProperties properties,
            long expiresAtMillis,
            int packetId,
            int stage) {
        public Message {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            subscriptionIds = List.copyOf(subscriptionIds);
            properties = properties == null ? MqttProperties.NONE : properties;
        }
    }

    /** The retained message of {@code topic}; an empty payload clears it. */
    @SuppressWarnings("ArrayRecordComponent")
    public record Retained(String topic, byte[] payload, int qos, MqttProperties properties, long expiresAtMillis) {
        public Retained {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            properties = properties == null ? MqttProperties.NONE : properties;
        }
    }
}
