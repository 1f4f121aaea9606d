package io.forkcast.it;

import static io.forkcast.it.RawMqtt.V311;
import static io.forkcast.it.RawMqtt.V5;
import static io.forkcast.it.RawMqtt.body;
import static io.forkcast.it.RawMqtt.packet;
import static io.forkcast.it.RawMqtt.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MQTT front door against packets written byte by byte from the OASIS 3.1.1 and 5.0 specs, on the real server:
 * every malformed packet, protocol error and over-long packet closes that connection (5.0: after a DISCONNECT with
 * the spec's reason code), and the CONNECT refusals carry each version's code. One server for the class; each case
 * on its own connection, and a healthy client checked at the end.
 */
@Timeout(240)
class MqttWireIT {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** A one-byte payload. */
    private static final byte[] X = {(byte) 'x'};

    private static ForkcastServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ForkcastServer.start("--mqtt-port", "0");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawMqtt connected(int version) throws Exception {
        return RawMqtt.connected(server, version, "wire-" + IDS.incrementAndGet());
    }

    /** An empty property list on 5.0 (its length, 0); nothing on 3.1.1. */
    private static byte[] noProps(int version) {
        return version == V5 ? new byte[] {0} : new byte[0];
    }

    /** Connects, sends {@code bad}, and asserts the server closes (5.0: DISCONNECT {@code reason5} first). */
    private static void closesOn(int version, byte[] bad, int reason5) throws Exception {
        try (var client = connected(version)) {
            client.send(bad);
            client.assertClosedWith(reason5);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void reservedFlagBitsOfPubrelSubscribeAndUnsubscribeAreMalformed(int version) throws Exception {
        closesOn(version, packet(0x60, u16(1)), 0x81); // PUBREL must carry 0b0010
        closesOn(version, packet(0x80, body(u16(1), noProps(version), "a/b", 0)), 0x81);
        closesOn(version, packet(0xA3, body(u16(1), noProps(version), "a/b")), 0x81);
        closesOn(version, new byte[] {(byte) 0xC1, 0}, 0x81); // PINGREQ with a flag
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aPublishWithQos3OrAQos0PublishWithDupIsMalformed(int version) throws Exception {
        byte[] props = noProps(version);
        closesOn(version, packet(0x36, body("a/b", u16(1), props, X)), 0x81);
        closesOn(version, packet(0x38, body("a/b", props, X)), 0x81);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void packetIdentifierZeroIsMalformed(int version) throws Exception {
        byte[] props = noProps(version);
        closesOn(version, packet(0x32, body("a/b", u16(0), props, X)), 0x81);
        closesOn(version, packet(0x82, body(u16(0), props, "a/b", 0)), 0x81);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aStringWithUPlus0000OrInvalidUtf8IsMalformed(int version) throws Exception {
        byte[] props = noProps(version);
        byte[] nul = RawMqtt.string(new byte[] {'a', 0, 'b'});
        byte[] overlong = RawMqtt.string(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}); // '/' spelt in two bytes
        byte[] surrogate = RawMqtt.string(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        closesOn(version, packet(0x30, body(nul, props, X)), 0x81);
        closesOn(version, packet(0x30, body(overlong, props, X)), 0x81);
        closesOn(version, packet(0x82, body(u16(1), props, surrogate, 0)), 0x81);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aSubscribeWithoutFiltersIsAProtocolError(int version) throws Exception {
        closesOn(version, packet(0x82, body(u16(1), noProps(version))), 0x82);
    }

    @Test
    void propertiesAPacketDoesNotAllowAreMalformedAndARepeatedOneIsAProtocolError() throws Exception {
        // Session expiry (0x11) belongs to CONNECT and DISCONNECT, not PUBLISH (5.0 section 2.2.2.2).
        byte[] sessionExpiry = {0x11, 0, 0, 0, 10};
        closesOn(V5, packet(0x30, body("a/b", RawMqtt.properties(sessionExpiry), X)), 0x81);
        // Subscription identifier in a PUBLISH from a client (3.3.4): not allowed either.
        closesOn(V5, packet(0x30, body("a/b", RawMqtt.properties(new byte[] {0x0B, 1}), X)), 0x81);
        // Payload format indicator twice (3.3.2.3.2).
        closesOn(V5, packet(0x30, body("a/b", RawMqtt.properties(new byte[] {1, 0, 1, 0}), X)), 0x82);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aRemainingLengthOfFiveBytesIsMalformed(int version) throws Exception {
        closesOn(version, new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, 0x81);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aClaimed256MibPacketIsRefusedOnItsHeaderAlone(int version) throws Exception {
        try (var client = connected(version)) {
            long sent = System.nanoTime();
            client.send(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}); // nothing of the body follows
            client.assertClosedWith(0x95);
            long tookMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertTrue(tookMs < 5000, "closed after " + tookMs + " ms"); // at once, not at some idle timeout
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aPacketBeforeConnectClosesWithoutAnAnswer(int version) throws Exception {
        try (var client = RawMqtt.open(server, version)) {
            client.send(RawMqtt.pingreq());
            assertEquals(0, client.awaitClosed(Duration.ofSeconds(10)).size());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aSecondConnectIsAProtocolError(int version) throws Exception {
        closesOn(version, RawMqtt.connect(version, "again-" + version, true, 0), 0x82);
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aPublishToATopicWithAWildcardIsAnInvalidTopicName(int version) throws Exception {
        try (var client = connected(version)) {
            client.send(client.publish("a/+/b", 1, 7, "x"));
            client.assertClosedWith(0x90);
        }
        try (var client = connected(version)) {
            client.send(client.publish("a/#", 0, 0, "x"));
            client.assertClosedWith(0x90);
        }
    }

    @Test
    void theReservedConnectFlagIsMalformed() throws Exception {
        try (var client = RawMqtt.open(server, V311)) {
            client.send(RawMqtt.connect(V311, 0x03, 0, new byte[0], "reserved-4"));
            assertEquals(0, client.awaitClosed(Duration.ofSeconds(10)).size());
        }
        // 5.0 may say why before closing: a CONNACK 0x81 (section 4.13.1), or nothing.
        try (var client = RawMqtt.open(server, V5)) {
            client.send(RawMqtt.connect(V5, 0x03, 0, new byte[0], "reserved-5"));
            var seen = client.awaitClosed(Duration.ofSeconds(10));
            assertTrue(seen.size() <= 1, seen.toString());
            seen.forEach(p -> {
                assertEquals(RawMqtt.CONNACK, p.type(), p.toString());
                assertEquals(0x81, p.reasonCode(), p.toString());
            });
        }
    }

    @Test
    void protocolLevel3IsRefusedWithReturnCode1InA311Connack() throws Exception {
        for (String name : new String[] {"MQTT", "MQIsdp"}) {
            try (var client = RawMqtt.open(server, V311)) {
                client.send(packet(0x10, body(name, 3, 0x02, u16(0), "level-3")));
                var seen = client.awaitClosed(Duration.ofSeconds(10));
                assertEquals(1, seen.size(), seen.toString());
                assertEquals(RawMqtt.CONNACK, seen.get(0).type(), seen.toString());
                assertEquals(2, seen.get(0).body().length, seen.toString()); // the 3.1.1 shape: flags, code
                assertEquals(0x01, seen.get(0).reasonCode(), seen.toString());
            }
        }
    }

    @Test
    void anEmptyClientIdNeedsACleanSessionOn311() throws Exception {
        try (var client = RawMqtt.open(server, V311)) {
            client.send(RawMqtt.connect(V311, "", false, 0));
            var seen = client.awaitClosed(Duration.ofSeconds(10));
            assertEquals(1, seen.size(), seen.toString());
            assertEquals(RawMqtt.CONNACK, seen.get(0).type(), seen.toString());
            assertEquals(0x02, seen.get(0).reasonCode(), seen.toString());
        }
        // With a clean session the server takes it (section 3.1.3.1) and the client works.
        try (var client = RawMqtt.open(server, V311)) {
            client.send(RawMqtt.connect(V311, "", true, 0));
            var ack = client.read();
            assertEquals(0, ack.reasonCode(), ack.toString());
            client.subscribed(1, "empty-id/t", 0);
        }
    }

    @Test
    void anEmptyClientIdOn5IsGivenOneInTheConnack() throws Exception {
        String first;
        try (var client = RawMqtt.open(server, V5)) {
            client.send(RawMqtt.connect(V5, "", true, 0));
            var ack = client.read();
            assertEquals(RawMqtt.CONNACK, ack.type(), ack.toString());
            assertEquals(0, ack.reasonCode(), ack.toString());
            first = ack.connAckString(0x12);
            assertNotNull(first, ack.toString());
            assertFalse(first.isEmpty(), ack.toString());
        }
        try (var client = RawMqtt.open(server, V5)) {
            client.send(RawMqtt.connect(V5, "", true, 0));
            String second = client.read().connAckString(0x12);
            assertNotNull(second);
            assertFalse(first.equals(second), "the same id assigned twice: " + first);
        }
        // A client that names itself is not told an id.
        try (var client = RawMqtt.open(server, V5)) {
            client.send(RawMqtt.connect(V5, "named", true, 0));
            assertNull(client.read().connAckString(0x12));
        }
    }

    @Test
    void theServerGoesOnAfterAllOfThat() throws Exception {
        for (int version : new int[] {V311, V5}) {
            try (var client = connected(version)) {
                client.subscribed(1, "after/" + version, 1);
                client.send(client.publish("after/" + version, 1, 9, "still here"));
                boolean acked = false;
                boolean delivered = false;
                while (!acked || !delivered) {
                    var p = client.read();
                    if (p.type() == RawMqtt.PUBACK && p.packetId() == 9) {
                        acked = true;
                    } else if (p.type() == RawMqtt.PUBLISH) {
                        assertEquals("still here", p.payload(version));
                        client.send(RawMqtt.ack(0x40, p.packetId()));
                        delivered = true;
                    }
                }
            }
        }
    }
}
