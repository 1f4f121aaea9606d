package io.forkcast.supervisor.route.mqtt;

import io.forkcast.protocol.message.MqttProperties;
import java.util.List;

/**
 * One application message for one session: waiting in its queue, or in flight under {@link #packetId}. Only
 * {@link #packetId}, {@link #stage} and {@link #storedId} change, by the MQTT desk, on the loop thread.
 */
public final class Outgoing {
    /** Sent, no answer yet. */
    public static final int SENT = 1;
    /** QoS 2: the client's PUBREC came, PUBREL was sent; waiting for PUBCOMP. */
    public static final int RELEASED = 2;

    public final String topic;
    public final byte[] payload;
    public final int qos;
    public final boolean retain;
    public final List<Integer> subscriptionIds;
    public final MqttProperties properties;
    /** When it expires ({@link System#nanoTime}), or {@link Long#MAX_VALUE} for never. */
    public final long expiresAtNanos;
    /** Its packet id once in flight, else 0. */
    public int packetId;
    /** {@link #SENT} or {@link #RELEASED} once in flight; 0 while it waits. */
    public int stage;
    /** Its id in the store once kept for a session that outlives its connection, else 0. */
    public long storedId;

    public Outgoing(
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            List<Integer> subscriptionIds,
            MqttProperties properties,
            long expiresAtNanos) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = List.copyOf(subscriptionIds);
        this.properties = properties;
        this.expiresAtNanos = expiresAtNanos;
    }

    /** True once past its message expiry. */
    public boolean expired(long nowNanos) {
        return expiresAtNanos != Long.MAX_VALUE && nowNanos - expiresAtNanos >= 0;
    }

    /** Its properties with the seconds it has left (5.0, section 3.3.2.3.3), as it is sent now. */
    public MqttProperties propertiesAt(long nowNanos) {
        if (expiresAtNanos == Long.MAX_VALUE || properties.messageExpiry() < 0) {
            return properties;
        }
        long left = Math.max(1, (expiresAtNanos - nowNanos + 999_999_999L) / 1_000_000_000L);
        return properties.withExpiry(left);
    }

    /** When a message published at {@code nowNanos} with {@code properties} expires. */
    public static long expiry(MqttProperties properties, long nowNanos) {
        long seconds = properties.messageExpiry();
        return seconds < 0 ? Long.MAX_VALUE : nowNanos + Math.min(seconds, 1L << 32) * 1_000_000_000L;
    }
}
