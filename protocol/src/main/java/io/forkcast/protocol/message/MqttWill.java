package io.forkcast.protocol.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * An MQTT client's last will (CONNECT's will flag): published by the supervisor when the client's connection is
 * lost without a DISCONNECT (or with 5.0's reason 0x04), after {@code delaySeconds}, unless the session is taken up
 * again before. Immutable (the payload is not copied).
 *
 * @param topic the will topic (no wildcards)
 * @param payload the will payload, possibly empty
 * @param qos 0, 1 or 2
 * @param retain whether it is published retained
 * @param delaySeconds 5.0's will delay interval; 0 at once (and always 0 on 3.1.1)
 * @param properties the will's message properties
 */
// The bytes are compared by content below (equals, hashCode); no one changes them after decoding.
@SuppressWarnings("ArrayRecordComponent")
public record MqttWill(
        String topic, byte[] payload, int qos, boolean retain, long delaySeconds, MqttProperties properties) {
    public MqttWill {
        payload = payload == null ? new byte[0] : payload;
        properties = properties == null ? MqttProperties.NONE : properties;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttWill w
                && topic.equals(w.topic)
                && Arrays.equals(payload, w.payload)
                && qos == w.qos
                && retain == w.retain
                && delaySeconds == w.delaySeconds
                && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, qos, retain, delaySeconds, properties) + 31 * Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "MqttWill[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + ", retain=" + retain
                + ", delaySeconds=" + delaySeconds + "]";
    }
}
