package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5.0 properties of one packet a client sent (section 2.2.2), read with the set the packet kind allows:
 * an identifier it does not allow or an unknown one is a malformed packet (section 2.2.2.2), a repeat of one that
 * may appear once or a value out of range a protocol error. Fields not sent keep their "absent" value. Not
 * thread-safe; one per packet.
 */
final class Props {
    // The packet kinds' allowed identifiers, as bit masks over the identifiers (all below 64).
    static final long CONNECT = bits(0x11, 0x15, 0x16, 0x17, 0x19, 0x21, 0x22, 0x26, 0x27);
    static final long WILL = bits(0x01, 0x02, 0x03, 0x08, 0x09, 0x18, 0x26);
    static final long PUBLISH = bits(0x01, 0x02, 0x03, 0x08, 0x09, 0x23, 0x26);
    static final long ACK = bits(0x1F, 0x26);
    static final long SUBSCRIBE = bits(0x0B, 0x26);
    static final long UNSUBSCRIBE = bits(0x26);
    static final long DISCONNECT = bits(0x11, 0x1C, 0x1F, 0x26);
    static final long AUTH = bits(0x15, 0x16, 0x1F, 0x26);

    int payloadFormat = -1;
    long messageExpiry = -1;
    String contentType;
    String responseTopic;
    byte[] correlationData;
    final List<String> userProperties = new ArrayList<>();
    int subscriptionId;
    long sessionExpiry = -1;
    int receiveMaximum = -1;
    long maximumPacketSize = -1;
    int topicAliasMaximum = -1;
    int topicAlias = -1;
    long willDelay = -1;
    String authMethod;
    int requestProblemInformation = -1;

    private static long bits(int... ids) {
        long mask = 0;
        for (int id : ids) {
            mask |= 1L << id;
        }
        return mask;
    }

    /** Reads a property length and the properties it covers, allowed by {@code allowed}. */
    static Props read(PacketReader in, long allowed) throws MqttException {
        int length = in.varint("the property length");
        if (length > in.remaining()) {
            throw MqttException.malformed("the properties run past the end of the packet");
        }
        var props = new Props();
        int end = in.position() + length;
        long seen = 0;
        while (in.position() < end) {
            int id = in.varint("a property identifier");
            if (id >= 64 || (allowed & (1L << id)) == 0) {
                // Section 2.2.2.2: an identifier not valid for the packet type makes it a Malformed Packet.
                throw MqttException.malformed("property 0x" + Integer.toHexString(id) + " is not allowed here");
            }
            if (id != 0x26 && (seen & (1L << id)) != 0) {
                throw MqttException.protocol("property 0x" + Integer.toHexString(id) + " appears twice");
            }
            seen |= 1L << id;
            props.take(id, in);
        }
        if (in.position() != end) {
            throw MqttException.malformed("a property runs past the property length");
        }
        return props;
    }

    private void take(int id, PacketReader in) throws MqttException {
        switch (id) {
            case 0x01 -> payloadFormat = flag(in.u8("the payload format"), "the payload format");
            case 0x02 -> messageExpiry = in.u32("the message expiry");
            case 0x03 -> contentType = in.utf8("the content type");
            case 0x08 -> responseTopic = in.utf8("the response topic");
            case 0x09 -> correlationData = in.binary("the correlation data");
            case 0x0B -> subscriptionId = positive(in.varint("the subscription identifier"), "subscription identifier");
            case 0x11 -> sessionExpiry = in.u32("the session expiry");
            case 0x15 -> authMethod = in.utf8("the authentication method");
            case 0x16 -> in.binary("the authentication data");
            case 0x17 ->
                requestProblemInformation = flag(in.u8("request problem information"), "request problem information");
            case 0x18 -> willDelay = in.u32("the will delay");
            case 0x19 -> flag(in.u8("request response information"), "request response information");
            case 0x1C -> in.utf8("the server reference");
            case 0x1F -> in.utf8("the reason string");
            case 0x21 -> receiveMaximum = positive(in.u16("the receive maximum"), "receive maximum");
            case 0x22 -> topicAliasMaximum = in.u16("the topic alias maximum");
            case 0x23 -> topicAlias = in.u16("the topic alias");
            case 0x26 -> {
                userProperties.add(in.utf8("a user property name"));
                userProperties.add(in.utf8("a user property value"));
            }
            case 0x27 -> maximumPacketSize = positive(in.u32("the maximum packet size"), "maximum packet size");
            default -> throw MqttException.malformed("property 0x" + Integer.toHexString(id) + " is not allowed here");
        }
    }

    private static int flag(int value, String what) throws MqttException {
        if (value > 1) {
            throw MqttException.protocol(what + " must be 0 or 1");
        }
        return value;
    }

    private static int positive(int value, String what) throws MqttException {
        if (value == 0) {
            throw MqttException.protocol("a " + what + " of 0");
        }
        return value;
    }

    private static long positive(long value, String what) throws MqttException {
        if (value == 0) {
            throw MqttException.protocol("a " + what + " of 0");
        }
        return value;
    }

    /** The application message properties that travel with the message to its subscribers. */
    MqttProperties message() {
        if (payloadFormat < 0
                && messageExpiry < 0
                && contentType == null
                && responseTopic == null
                && correlationData == null
                && userProperties.isEmpty()) {
            return MqttProperties.NONE;
        }
        return new MqttProperties(
                payloadFormat, messageExpiry, contentType, responseTopic, correlationData, userProperties);
    }
}
