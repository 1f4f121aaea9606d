package io.forkcast.worker.front.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.OutputCapture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MqttFrontDoorTest {
    private final ClientOutput out = new ClientOutput();
    private long now = 1_000_000_000L;
    private final MqttFrontDoor door = new MqttFrontDoor(out, 1024, () -> now);
    private final List<Intent> intents = new ArrayList<>();

    // ---- client packets

    private static byte[] connect(int version, String clientId, boolean clean, int keepAlive, PacketWriter props) {
        var w = new PacketWriter().utf8("MQTT").u8(version).u8(clean ? 0x02 : 0).u16(keepAlive);
        if (version == 5) {
            w.properties(props == null ? new PacketWriter() : props);
        }
        return w.utf8(clientId).packet(0x10);
    }

    private static byte[] publish(int version, String topic, int qos, int id, boolean dup, PacketWriter props) {
        var w = new PacketWriter().utf8(topic);
        if (qos > 0) {
            w.u16(id);
        }
        if (version == 5) {
            w.properties(props == null ? new PacketWriter() : props);
        }
        w.raw("payload".getBytes(StandardCharsets.UTF_8));
        return w.packet(0x30 | (dup ? 0x08 : 0) | (qos << 1));
    }

    // ---- helpers

    private ByteBuffer feed(byte[]... packets) {
        var all = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            all.writeBytes(p);
        }
        var in = ByteBuffer.wrap(all.toByteArray());
        door.feed(in, intents::add);
        return in;
    }

    /** What was written to the client since the last call, in hex. */
    private String written() throws Exception {
        return HexFormat.of().formatHex(OutputCapture.take(out));
    }

    private WorkerMessage lastMessage() {
        return assertInstanceOf(Intent.Mqtt.class, intents.getLast()).message();
    }

    private String hangup() {
        return assertInstanceOf(Intent.Hangup.class, intents.getLast()).cause();
    }

    private void connected(int version) throws Exception {
        door.greet("127.0.0.1:1", 1);
        feed(connect(version, "c1", true, 10, null));
        var c = assertInstanceOf(WorkerMessage.MqttConnect.class, lastMessage());
        door.render(new SupervisorMessage.MqttConnAck(c.seq(), 0, false, "c1", null, null), 1);
        written();
        intents.clear();
    }

    // ---- CONNECT

    @Test
    void a311ConnectGoesToTheSupervisorAndItsConnAckIsWritten() throws Exception {
        feed(connect(4, "c1", true, 30, null));
        var c = assertInstanceOf(WorkerMessage.MqttConnect.class, lastMessage());
        assertEquals(4, c.version());
        assertEquals("c1", c.clientId());
        assertEquals(0, c.sessionExpiry());
        assertEquals(65535, c.receiveMaximum());
        assertEquals("", written(), "nothing before the supervisor answers");
        door.render(new SupervisorMessage.MqttConnAck(0, 0, true, "c1", null, null), 1);
        assertEquals("20020100", written());
        assertTrue(door.connected());
    }

    @Test
    void aPersistent311SessionAsksToBeKeptForEver() {
        feed(connect(4, "c1", false, 30, null));
        assertEquals(0xFFFF_FFFFL, ((WorkerMessage.MqttConnect) lastMessage()).sessionExpiry());
    }

    @Test
    void a5ConnectWithAnEmptyIdIsToldTheIdAssigned() throws Exception {
        feed(connect(
                5, "", true, 0, new PacketWriter().u8(0x11).u32(60).u8(0x21).u16(5)));
        var c = (WorkerMessage.MqttConnect) lastMessage();
        assertEquals(60, c.sessionExpiry());
        assertEquals(5, c.receiveMaximum());
        door.render(new SupervisorMessage.MqttConnAck(0, 0, false, "forkcast-n-7", null, null), 1);
        String connack = written();
        assertTrue(connack.startsWith("20"), connack);
        String id = HexFormat.of().formatHex("forkcast-n-7".getBytes(StandardCharsets.UTF_8));
        assertTrue(connack.contains("12000c" + id), connack);
    }

    @Test
    void whatFollowsTheConnectWaitsForTheConnAck() {
        var in = feed(connect(4, "c1", true, 30, null), publish(4, "a/b", 0, 0, false, null));
        assertEquals(1, intents.size());
        assertTrue(in.hasRemaining(), "the PUBLISH is left for after the CONNACK");
        door.render(new SupervisorMessage.MqttConnAck(0, 0, false, "c1", null, null), 1);
        door.feed(in, intents::add);
        assertEquals("a/b", ((WorkerMessage.MqttPublish) lastMessage()).topic());
    }

    @Test
    void aRefusalIsWrittenAsTheVersionSpellsItThenTheConnectionCloses() throws Exception {
        feed(connect(4, "c1", true, 30, null));
        door.render(new SupervisorMessage.MqttConnAck(0, 0x86, false, null, null, "bad user name or password"), 1);
        assertEquals("20020004", written());
        door.tick(intents::add);
        assertEquals("refused", hangup());
    }

    @Test
    void anUnknownProtocolLevelIsAnsweredWith311sCode1() throws Exception {
        feed(new PacketWriter().utf8("MQIsdp").u8(3).u8(2).u16(30).utf8("old").packet(0x10));
        assertEquals("20020001", written());
        assertEquals("refused", hangup());
    }

    @Test
    void anEmpty311IdWithoutACleanSessionIsRejected() throws Exception {
        feed(connect(4, "", false, 30, null));
        assertEquals("20020002", written());
        assertEquals("refused", hangup());
    }

    @Test
    void theReservedConnectFlagOrAnotherFirstPacketClosesWithoutAWord() throws Exception {
        feed(new PacketWriter().utf8("MQTT").u8(4).u8(0x03).u16(30).utf8("c").packet(0x10));
        assertEquals("malformed", hangup());
        assertEquals("", written());
        var other = new MqttFrontDoor(out, 1024, () -> now);
        other.feed(ByteBuffer.wrap(new byte[] {(byte) 0xC0, 0}), intents::add);
        assertEquals("protocol_error", hangup());
        assertEquals("", written());
    }

    @Test
    void noConnectWithinTenSecondsCloses() {
        door.greet("127.0.0.1:1", 1);
        door.tick(intents::add);
        assertTrue(intents.isEmpty());
        now += TimeUnit.SECONDS.toNanos(11);
        door.tick(intents::add);
        assertEquals("no_connect", hangup());
    }

    // ---- Violations after CONNECT

    @Test
    void aSecondConnectIsAProtocolErrorWithADisconnectOn5() throws Exception {
        connected(5);
        feed(connect(5, "again", true, 0, null));
        assertEquals("e0", written().substring(0, 2));
        assertEquals("protocol_error", hangup());
    }

    @Test
    void aPublishToAWildcardTopicIsClosedWith0x90() throws Exception {
        connected(5);
        feed(publish(5, "a/+/b", 0, 0, false, null));
        assertTrue(written().startsWith("e0"), "a DISCONNECT");
        assertEquals("protocol_error", hangup());
        connectedAgainAs311AndSameFor("a/#");
    }

    private void connectedAgainAs311AndSameFor(String topic) throws Exception {
        var other = new MqttFrontDoor(out, 1024, () -> now);
        other.feed(ByteBuffer.wrap(connect(4, "c2", true, 0, null)), intents::add);
        other.render(new SupervisorMessage.MqttConnAck(0, 0, false, "c2", null, null), 1);
        written();
        other.feed(ByteBuffer.wrap(publish(4, topic, 1, 1, false, null)), intents::add);
        assertEquals("", written(), "3.1.1 has no DISCONNECT from the server");
        assertEquals("protocol_error", hangup());
    }

    @Test
    void aPacketOverTheLimitIsRefusedFromItsHeaderAlone() throws Exception {
        connected(5);
        // 0x30, remaining length 1 MiB (80 80 40): nothing of the body is sent, nothing is buffered.
        feed(new byte[] {0x30, (byte) 0x80, (byte) 0x80, 0x40});
        String disconnect = written();
        assertTrue(disconnect.startsWith("e0") && disconnect.substring(4, 6).equals("95"), disconnect);
        assertEquals("too_large", hangup());
    }

    @Test
    void aRemainingLengthOfFiveBytesIsMalformed() throws Exception {
        connected(4);
        feed(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
        assertEquals("malformed", hangup());
    }

    @Test
    void aPropertyThePacketDoesNotAllowIsMalformed() throws Exception {
        connected(5);
        // A PUBLISH to a/b with a session expiry (0x11), which only CONNECT and DISCONNECT carry (section 2.2.2.2).
        feed(new PacketWriter().utf8("a/b").varint(5).u8(0x11).u32(10).packet(0x30));
        String disconnect = written();
        assertTrue(disconnect.startsWith("e0") && disconnect.substring(4, 6).equals("81"), disconnect);
        assertEquals("malformed", hangup());
    }

    @Test
    void reservedFlagsAreMalformed() throws Exception {
        connected(5);
        feed(new PacketWriter().u16(1).packet(0x60)); // PUBREL must carry flags 0010
        String disconnect = written();
        assertTrue(disconnect.startsWith("e0") && disconnect.substring(4, 6).equals("81"), disconnect);
        assertEquals("malformed", hangup());
    }

    @Test
    void aKeepAliveOfTenSecondsClosesAfterFifteenSilentOnes() throws Exception {
        connected(5);
        now += TimeUnit.SECONDS.toNanos(14);
        door.tick(intents::add);
        assertTrue(intents.isEmpty());
        feed(new byte[] {(byte) 0xC0, 0});
        assertEquals("d000", written(), "PINGRESP");
        now += TimeUnit.SECONDS.toNanos(14);
        door.tick(intents::add);
        assertFalse(intents.getLast() instanceof Intent.Hangup, "the ping was heard");
        now += TimeUnit.SECONDS.toNanos(2);
        door.tick(intents::add);
        assertEquals("keepalive", hangup());
        assertTrue(written().startsWith("e0"), "DISCONNECT 0x8D");
    }

    // ---- QoS

    @Test
    void qos1IsAnsweredOnlyOnceTheSupervisorHoldsIt() throws Exception {
        connected(4);
        feed(publish(4, "a/b", 1, 7, false, null));
        var p = (WorkerMessage.MqttPublish) lastMessage();
        assertEquals(1, p.qos());
        assertEquals(7, p.packetId());
        assertEquals("", written());
        door.render(new SupervisorMessage.MqttPublished(p.seq(), 7, 0), 1);
        assertEquals("40020007", written());
    }

    @Test
    void qos2IsRoutedOnceAndReleasedWithPubcomp() throws Exception {
        connected(5);
        feed(publish(5, "a/b", 2, 9, false, null));
        assertEquals(1, intents.size());
        door.render(new SupervisorMessage.MqttPublished(0, 9, 0), 1);
        assertEquals("50020009", written());
        feed(publish(5, "a/b", 2, 9, true, null));
        assertEquals(1, intents.size(), "a DUP awaiting PUBREL is not sent on");
        assertEquals("50020009", written(), "PUBREC again");
        feed(new PacketWriter().u16(9).packet(0x62));
        assertEquals("70020009", written());
        assertEquals(new WorkerMessage.MqttPubRel(9), lastMessage());
    }

    @Test
    void qos2MessagesNotYetReleasedCountAgainstTheReceiveMaximum() throws Exception {
        connected(5);
        for (int id = 1; id <= MqttFrontDoor.RECEIVE_MAXIMUM; id++) {
            feed(publish(5, "a/b", 2, id, false, null));
            door.render(new SupervisorMessage.MqttPublished(0, id, 0), 1); // PUBREC; no PUBREL comes
        }
        written();
        feed(new PacketWriter().u16(1).packet(0x62)); // one released: room for one more
        feed(publish(5, "a/b", 2, 1000, false, null));
        assertInstanceOf(Intent.Mqtt.class, intents.getLast());
        feed(publish(5, "a/b", 2, 1001, false, null));
        String disconnect = written();
        assertTrue(
                disconnect.contains("e0")
                        && disconnect.substring(disconnect.indexOf("e0") + 4).startsWith("93"),
                disconnect);
        assertEquals("protocol_error", hangup());
    }

    @Test
    void theClientsAcksOfDeliveriesGoToTheSupervisor() throws Exception {
        connected(5);
        var d = new SupervisorMessage.MqttDeliver(
                "a/b", new byte[] {1, 2}, 2, false, false, 3, List.of(4), MqttProperties.NONE);
        door.render(d, 1);
        // QoS 2, remaining length 12: topic a/b, packet id 3, properties (subscription id 4), the payload.
        assertEquals("340c" + "0003612f62" + "0003" + "020b04" + "0102", written());
        feed(new PacketWriter().u16(3).packet(0x50));
        assertEquals("62020003", written(), "PUBREL written by the worker");
        assertEquals(new WorkerMessage.MqttDelivered(3, WorkerMessage.MqttDelivered.PUBREC), lastMessage());
        feed(new PacketWriter().u16(3).packet(0x70));
        assertEquals(new WorkerMessage.MqttDelivered(3, WorkerMessage.MqttDelivered.PUBCOMP), lastMessage());
    }

    @Test
    void aQos2DupSentAgainAfterARestartForAMessageTheClientTookIsAnsweredHere() throws Exception {
        connected(5);
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {1}, 2, false, false, 3, List.of(), MqttProperties.NONE),
                1);
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {2}, 2, false, false, 4, List.of(), MqttProperties.NONE),
                1);
        written();
        feed(new PacketWriter().u16(3).packet(0x50), new PacketWriter().u16(4).packet(0x50));
        feed(new PacketWriter().u16(3).packet(0x70)); // 3 complete, 4 awaiting PUBCOMP
        written();
        intents.clear();

        // The successor had neither answer written: it sends both again as DUPs.
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {1}, 2, false, true, 3, List.of(), MqttProperties.NONE),
                1);
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {2}, 2, false, true, 4, List.of(), MqttProperties.NONE),
                1);
        assertEquals("62020004", written(), "no PUBLISH again: PUBREL for the one awaiting PUBCOMP");
        door.tick(intents::add);
        assertEquals(
                List.of(
                        new Intent.Mqtt(new WorkerMessage.MqttDelivered(3, WorkerMessage.MqttDelivered.PUBCOMP)),
                        new Intent.Mqtt(new WorkerMessage.MqttDelivered(4, WorkerMessage.MqttDelivered.PUBREC))),
                intents);

        // A new message under a used id is sent, and so is a DUP of one the client never answered.
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {5}, 2, false, false, 3, List.of(), MqttProperties.NONE),
                1);
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a", new byte[] {5}, 2, false, true, 3, List.of(), MqttProperties.NONE),
                1);
        assertEquals("3407" + "000161" + "0003" + "00" + "05" + "3c07" + "000161" + "0003" + "00" + "05", written());
    }

    @Test
    void aMessageLargerThanTheClientTakesIsDroppedAndSaidSo() throws Exception {
        door.greet("127.0.0.1:1", 1);
        feed(connect(5, "small", true, 0, new PacketWriter().u8(0x27).u32(20)));
        door.render(new SupervisorMessage.MqttConnAck(0, 0, false, "small", null, null), 1);
        written();
        door.render(
                new SupervisorMessage.MqttDeliver(
                        "a/b", new byte[40], 1, false, false, 5, List.of(), MqttProperties.NONE),
                1);
        assertEquals("", written());
        door.tick(intents::add);
        assertEquals(new WorkerMessage.MqttDelivered(5, WorkerMessage.MqttDelivered.DROPPED), lastMessage());
    }

    // ---- Topic aliases, subscriptions, resume

    @Test
    void aTopicAliasStandsForItsTopicAndAnUnsetOneIsAnError() throws Exception {
        connected(5);
        feed(publish(
                5, "long/topic/name", 0, 0, false, new PacketWriter().u8(0x23).u16(3)));
        feed(publish(5, "", 0, 0, false, new PacketWriter().u8(0x23).u16(3)));
        assertEquals("long/topic/name", ((WorkerMessage.MqttPublish) lastMessage()).topic());
        feed(publish(5, "", 0, 0, false, new PacketWriter().u8(0x23).u16(4)));
        assertEquals("protocol_error", hangup());
    }

    @Test
    void grantedFiltersAreKeptForAResumeAndRefusedOnesAre0x80On311() throws Exception {
        connected(4);
        var subscribe = new PacketWriter()
                .u16(2)
                .utf8("a/#")
                .u8(1)
                .utf8("bad/#/x")
                .u8(0)
                .packet(0x82);
        feed(subscribe);
        var s = (WorkerMessage.MqttSubscribe) lastMessage();
        assertEquals(2, s.filters().size());
        door.render(new SupervisorMessage.MqttSubAck(2, List.of(1, 0x8F)), 1);
        assertEquals("9004000201" + "80", written());
        var resume = door.resume();
        assertEquals("c1", resume.clientId());
        assertEquals(
                List.of("a/#"),
                resume.subscriptions().stream().map(f -> f.filter()).toList());
        feed(new PacketWriter().u16(3).utf8("a/#").packet(0xA2));
        door.render(new SupervisorMessage.MqttUnsubAck(3, List.of(0)), 1);
        assertEquals("b0020003", written());
        assertTrue(door.resume().subscriptions().isEmpty());
    }

    @Test
    void aDisconnectEndsTheSessionAfterTellingTheSupervisor() throws Exception {
        connected(5);
        feed(new byte[] {(byte) 0xE0, 0});
        assertEquals(new WorkerMessage.MqttDisconnect(0, -1), ((Intent.Mqtt) intents.get(0)).message());
        assertEquals("quit", hangup());
        assertNull(door.resume());
    }

    @Test
    void aKickIsADisconnectWithItsReasonOn5() throws Exception {
        connected(5);
        door.render(new SupervisorMessage.MqttKick(0x8E, "session taken over"), 1);
        String packet = written();
        assertTrue(packet.startsWith("e0") && packet.substring(4, 6).equals("8e"), packet);
        door.tick(intents::add);
        assertEquals("kicked", hangup());
    }

    @Test
    void packetsSplitAcrossReadsAreJoined() throws Exception {
        connected(4);
        byte[] p = publish(4, "a/b", 0, 0, false, null);
        for (byte b : p) {
            door.feed(ByteBuffer.wrap(new byte[] {b}), intents::add);
        }
        var m = (WorkerMessage.MqttPublish) lastMessage();
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), m.payload());
    }
}
