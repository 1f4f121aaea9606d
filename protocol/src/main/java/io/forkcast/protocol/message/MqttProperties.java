package io.forkcast.protocol.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5.0 properties of an application message that travel with it from publisher to subscriber unchanged
 * (section 3.3.2.3): what the supervisor keeps, stores and passes on. An MQTT 3.1.1 message has {@link #NONE}.
 * Immutable (the correlation data is not copied: neither side changes it after decoding).
 *
 * @param payloadFormat 0 unspecified bytes, 1 UTF-8 text; -1 when the publisher sent none
 * @param messageExpiry seconds the message lives from its publication; -1 for ever
 * @param contentType the content type, or null
 * @param responseTopic the response topic, or null
 * @param correlationData the correlation data, or null
 * @param userProperties user properties as name, value, name, value... in the order sent; empty for none
 */
// The bytes are compared by content below (equals, hashCode); no one changes them after decoding.
@SuppressWarnings("ArrayRecordComponent")
public record MqttProperties(
        int payloadFormat,
        long messageExpiry,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<String> userProperties) {
    /** No properties: what a 3.1.1 message, or a 5.0 one that sent none, carries. */
    public static final MqttProperties NONE = new MqttProperties(-1, -1, null, null, null, List.of());

    public MqttProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** True when there is nothing to encode. */
    public boolean isEmpty() {
        return payloadFormat < 0
                && messageExpiry < 0
                && contentType == null
                && responseTopic == null
                && correlationData == null
                && userProperties.isEmpty();
    }

    /** The same properties with {@code seconds} left to live (a message delivered after it waited). */
    public MqttProperties withExpiry(long seconds) {
        return new MqttProperties(payloadFormat, seconds, contentType, responseTopic, correlationData, userProperties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttProperties p
                && payloadFormat == p.payloadFormat
                && messageExpiry == p.messageExpiry
                && Objects.equals(contentType, p.contentType)
                && Objects.equals(responseTopic, p.responseTopic)
                && Arrays.equals(correlationData, p.correlationData)
                && userProperties.equals(p.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadFormat, messageExpiry, contentType, responseTopic, userProperties)
                + 31 * Arrays.hashCode(correlationData);
    }

    @Override
    public String toString() {
        return "MqttProperties[payloadFormat=" + payloadFormat + ", messageExpiry=" + messageExpiry
                + ", contentType=" + contentType + ", responseTopic=" + responseTopic + ", correlationData="
                + (correlationData == null ? "null" : correlationData.length + " bytes") + ", userProperties="
                + userProperties + "]";
    }
}
