package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import java.util.List;

/** The packets the server sends, for 3.1.1 or 5.0 (sections 3.2 to 3.14). Stateless. */
final class MqttWrites {
    private static final byte[] PINGRESP = {(byte) 0xD0, 0};

    private MqttWrites() {}

    /** What a 5.0 CONNACK says of the server, beside the answer. */
    record Server(int maximumPacketSize, int receiveMaximum, int topicAliasMaximum) {}

    /**
     * A CONNACK. {@code code} is a 5.0 reason code; a 3.1.1 client gets the return code it maps to. {@code
     * assignedId} (5.0) is the client id the server assigned, null when the client named one.
     */
    static byte[] connack(int version, boolean sessionPresent, int code, String assignedId, String reason, Server s) {
        var w = new PacketWriter().u8(sessionPresent && code == 0 ? 1 : 0);
        if (version != MqttPackets.V5) {
            return w.u8(returnCode311(code)).packet(0x20);
        }
        w.u8(code);
        var p = new PacketWriter();
        if (code == 0) {
            p.property(0x12, assignedId);
            p.u8(0x21).u16(s.receiveMaximum());
            p.u8(0x27).u32(s.maximumPacketSize());
            p.u8(0x22).u16(s.topicAliasMaximum());
        }
        p.property(0x1F, reason);
        return w.properties(p).packet(0x20);
    }

    /** The 3.1.1 CONNACK return code for a 5.0 reason code (section 3.2.2.3 of each). */
    static int returnCode311(int code) {
        return switch (code) {
            case 0 -> 0;
            case 0x84, 0x01 -> 1;
            case 0x85, 0x02 -> 2;
            case 0x86 -> 4;
            case 0x87, 0x8C -> 5;
            default -> 3;
        };
    }

    /** PUBACK (0x40), PUBREC (0x50), PUBREL (0x62) or PUBCOMP (0x70) for {@code packetId}. */
    static byte[] ack(int firstByte, int version, int packetId, int reason) {
        var w = new PacketWriter().u16(packetId);
        if (version == MqttPackets.V5 && reason != 0) {
            w.u8(reason);
        }
        return w.packet(firstByte);
    }

    static byte[] suback(int version, int packetId, List<Integer> codes) {
        var w = new PacketWriter().u16(packetId);
        if (version == MqttPackets.V5) {
            w.varint(0);
        }
        for (int code : codes) {
            w.u8(version == MqttPackets.V5 || code < 0x80 ? code : 0x80);
        }
        return w.packet(0x90);
    }

    static byte[] unsuback(int version, int packetId, List<Integer> codes) {
        var w = new PacketWriter().u16(packetId);
        if (version == MqttPackets.V5) {
            w.varint(0);
            for (int code : codes) {
                w.u8(code);
            }
        }
        return w.packet(0xB0);
    }

    static byte[] pingresp() {
        return PINGRESP.clone();
    }

    /** A 5.0 DISCONNECT with {@code code} and, when not null, a reason string. */
    static byte[] disconnect(int code, String reason) {
        var p = new PacketWriter().property(0x1F, reason);
        return new PacketWriter().u8(code).properties(p).packet(0xE0);
    }

    /** The PUBLISH of a message for the client; written into a writer so that its size can be checked first. */
    static PacketWriter publish(int version, MqttDeliver d) {
        var w = new PacketWriter().utf8(d.topic());
        if (d.qos() > 0) {
            w.u16(d.packetId());
        }
        if (version == MqttPackets.V5) {
            w.properties(properties(d.properties(), d.subscriptionIds()));
        }
        return w.raw(d.payload());
    }

    /** A PUBLISH's first byte. */
    static int publishByte(MqttDeliver d) {
        return 0x30 | (d.dup() ? 0x08 : 0) | (d.qos() << 1) | (d.retain() ? 1 : 0);
    }

    private static PacketWriter properties(MqttProperties m, List<Integer> subscriptionIds) {
        var p = new PacketWriter();
        if (m.payloadFormat() >= 0) {
            p.u8(0x01).u8(m.payloadFormat());
        }
        if (m.messageExpiry() >= 0) {
            p.u8(0x02).u32(m.messageExpiry());
        }
        p.property(0x03, m.contentType());
        p.property(0x08, m.responseTopic());
        if (m.correlationData() != null) {
            p.u8(0x09).binary(m.correlationData());
        }
        p.userProperties(m.userProperties());
        for (int id : subscriptionIds) {
            p.u8(0x0B).varint(id);
        }
        return p;
    }
}
