package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttWill;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets a client sends, read from a framed body and checked as sections 3.1 to 3.15 say (3.1.1 and 5.0):
 * flags, field shapes and ranges, properties. What needs the connection's state (a second CONNECT, a topic alias,
 * the receive maximum) is the front door's. Stateless.
 */
final class MqttPackets {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    /** 3.1.1 is protocol level 4, 5.0 level 5. */
    static final int V311 = 4;

    static final int V5 = 5;

    /** CONNECT's protocol level is not one this server speaks (3.1's MQIsdp among them). */
    static final int UNSUPPORTED_VERSION = 0x84;

    private MqttPackets() {}

    // Read once and passed on; nobody compares them or changes their bytes.
    @SuppressWarnings("ArrayRecordComponent")
    record Connect(
            int version,
            boolean cleanStart,
            int keepAliveSeconds,
            String clientId,
            MqttWill will,
            String user,
            byte[] password,
            Props props) {}

    @SuppressWarnings("ArrayRecordComponent") // as Connect
    record Publish(String topic, byte[] payload, int qos, boolean dup, boolean retain, int packetId, Props props) {}

    /** PUBACK, PUBREC, PUBREL or PUBCOMP: a packet id and (5.0) a reason code, 0 when left out. */
    record Ack(int packetId, int reasonCode) {}

    record Subscribe(int packetId, List<MqttFilter> filters) {}

    record Unsubscribe(int packetId, List<String> filters) {}

    /** {@code sessionExpiry} -1 when the DISCONNECT did not change it. */
    record Disconnect(int reasonCode, long sessionExpiry) {}

    /** The flags a packet type must carry in the low four bits of its first byte (PUBLISH's are its own). */
    static void checkFlags(int type, int flags) throws MqttException {
        int required = type == PUBREL || type == SUBSCRIBE || type == UNSUBSCRIBE ? 0b0010 : 0;
        if (type != PUBLISH && flags != required) {
            throw MqttException.malformed("reserved flags set in a packet of type " + type);
        }
    }

    /**
     * A CONNECT. The version is known after its first fields: a failure after that is the version's to report
     * ({@code versionSeen[0]}), an unknown level fails with {@link #UNSUPPORTED_VERSION}.
     */
    static Connect connect(PacketReader in, int[] versionSeen) throws MqttException {
        String name = in.utf8("the protocol name");
        int level = in.u8("the protocol level");
        if (!"MQTT".equals(name) && !"MQIsdp".equals(name)) {
            throw MqttException.malformed("the protocol name is not MQTT");
        }
        if (!"MQTT".equals(name) || (level != V311 && level != V5)) {
            throw new MqttException(UNSUPPORTED_VERSION, "protocol level " + level + " is not 3.1.1 (4) or 5.0 (5)");
        }
        versionSeen[0] = level;
        int flags = in.u8("the connect flags");
        if ((flags & 0x01) != 0) {
            throw MqttException.malformed("the reserved connect flag is set");
        }
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean hasPassword = (flags & 0x40) != 0;
        boolean hasUser = (flags & 0x80) != 0;
        if (willQos == 3 || (!willFlag && (willQos != 0 || willRetain))) {
            throw MqttException.malformed("the will flags do not agree");
        }
        if (level == V311 && hasPassword && !hasUser) {
            throw MqttException.malformed("a password without a user name");
        }
        int keepAlive = in.u16("the keep alive");
        var props = level == V5 ? Props.read(in, Props.CONNECT) : new Props();
        String clientId = in.utf8("the client identifier");
        MqttWill will = null;
        if (willFlag) {
            var willProps = level == V5 ? Props.read(in, Props.WILL) : new Props();
            String topic = in.utf8("the will topic");
            byte[] payload = in.binary("the will payload");
            checkTopic(topic);
            checkMessage(willProps, payload);
            will = new MqttWill(
                    topic, payload, willQos, willRetain, Math.max(0, willProps.willDelay), willProps.message());
        }
        String user = hasUser ? in.utf8("the user name") : null;
        byte[] password = hasPassword ? in.binary("the password") : null;
        if (in.hasRemaining()) {
            throw MqttException.malformed("bytes after the end of the CONNECT");
        }
        return new Connect(level, (flags & 0x02) != 0, keepAlive, clientId, will, user, password, props);
    }

    static Publish publish(PacketReader in, int flags, int version) throws MqttException {
        boolean dup = (flags & 0x08) != 0;
        int qos = (flags >> 1) & 0x03;
        boolean retain = (flags & 0x01) != 0;
        if (qos == 3) {
            throw MqttException.malformed("a PUBLISH with QoS 3");
        }
        if (qos == 0 && dup) {
            throw MqttException.malformed("a QoS 0 PUBLISH with DUP set");
        }
        String topic = in.utf8("the topic name");
        int packetId = qos > 0 ? packetId(in) : 0;
        var props = version == V5 ? Props.read(in, Props.PUBLISH) : new Props();
        byte[] payload = in.rest();
        if (!topic.isEmpty()) {
            checkTopic(topic);
        } else if (version != V5 || props.topicAlias < 0) {
            throw new MqttException(MqttException.TOPIC_NAME_INVALID, "an empty topic name");
        }
        checkMessage(props, payload);
        return new Publish(topic, payload, qos, dup, retain, packetId, props);
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: the packet id, then (5.0, optional) a reason code and properties. */
    static Ack ack(PacketReader in, int version) throws MqttException {
        int packetId = packetId(in);
        int reason = 0;
        if (version == V5 && in.hasRemaining()) {
            reason = in.u8("the reason code");
            if (in.hasRemaining()) {
                Props.read(in, Props.ACK);
            }
        }
        if (in.hasRemaining()) {
            throw MqttException.malformed("bytes after the end of an acknowledgement");
        }
        return new Ack(packetId, reason);
    }

    static Subscribe subscribe(PacketReader in, int version) throws MqttException {
        int packetId = packetId(in);
        int subscriptionId = version == V5 ? Props.read(in, Props.SUBSCRIBE).subscriptionId : 0;
        var filters = new ArrayList<MqttFilter>();
        while (in.hasRemaining()) {
            String filter = in.utf8("a topic filter");
            int options = in.u8("the subscription options");
            int qos = options & 0x03;
            int retainHandling = (options >> 4) & 0x03;
            if (qos == 3 || (options & (version == V5 ? 0xC0 : 0xFC)) != 0) {
                throw MqttException.malformed("reserved subscription options set");
            }
            if (retainHandling == 3) {
                throw MqttException.protocol("retain handling 3");
            }
            filters.add(new MqttFilter(
                    filter, qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling, subscriptionId));
        }
        if (filters.isEmpty()) {
            throw MqttException.protocol("a SUBSCRIBE without a topic filter");
        }
        return new Subscribe(packetId, filters);
    }

    static Unsubscribe unsubscribe(PacketReader in, int version) throws MqttException {
        int packetId = packetId(in);
        if (version == V5) {
            Props.read(in, Props.UNSUBSCRIBE);
        }
        var filters = new ArrayList<String>();
        while (in.hasRemaining()) {
            filters.add(in.utf8("a topic filter"));
        }
        if (filters.isEmpty()) {
            throw MqttException.protocol("an UNSUBSCRIBE without a topic filter");
        }
        return new Unsubscribe(packetId, filters);
    }

    static Disconnect disconnect(PacketReader in, int version) throws MqttException {
        if (version != V5 || !in.hasRemaining()) {
            if (in.hasRemaining()) {
                throw MqttException.malformed("a 3.1.1 DISCONNECT with a body");
            }
            return new Disconnect(0, -1);
        }
        int reason = in.u8("the reason code");
        long expiry = in.hasRemaining() ? Props.read(in, Props.DISCONNECT).sessionExpiry : -1;
        if (in.hasRemaining()) {
            throw MqttException.malformed("bytes after the end of the DISCONNECT");
        }
        return new Disconnect(reason, expiry);
    }

    private static int packetId(PacketReader in) throws MqttException {
        int id = in.u16("the packet identifier");
        if (id == 0) {
            throw MqttException.malformed("packet identifier 0");
        }
        return id;
    }

    /** A topic name: not empty, no wildcard characters (section 4.7.1). */
    static void checkTopic(String topic) throws MqttException {
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new MqttException(
                    MqttException.TOPIC_NAME_INVALID,
                    topic.isEmpty() ? "an empty topic name" : "a topic name with a wildcard: " + topic);
        }
    }

    /** A message's properties that concern its content: the response topic, and a payload that says it is text. */
    private static void checkMessage(Props props, byte[] payload) throws MqttException {
        if (props.responseTopic != null) {
            checkTopic(props.responseTopic);
        }
        if (props.payloadFormat == 1 && !PacketReader.isUtf8(payload)) {
            throw new MqttException(MqttException.PAYLOAD_FORMAT_INVALID, "a payload marked UTF-8 that is not");
        }
    }

    /** The password as the supervisor checks it: its bytes as UTF-8 (htpasswd passwords are text). */
    static String password(byte[] password) {
        return password == null ? null : new String(password, StandardCharsets.UTF_8);
    }
}
