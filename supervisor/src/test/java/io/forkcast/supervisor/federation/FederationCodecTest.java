package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.supervisor.route.PrivateLine;
import io.forkcast.supervisor.route.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederationCodecTest {
    private static final Sender BOB = new Sender("b", 7, "bob", 4121);

    @Test
    void everyKindOfEventComesBackAsItWentWithItsOrigin() throws Exception {
        var events = List.<RoomEvent>of(
                new RoomEvent.Said("lobby", BOB, 3, Style.SAY, "hi \"there\" \u00e9\u2603 \\ /"),
                new RoomEvent.Said("lobby", BOB, 4, Style.ACT, "waves"),
                new RoomEvent.Joined("lobby", BOB, null),
                new RoomEvent.Joined("side.room", BOB, "lobby"),
                new RoomEvent.Left("lobby", BOB, null),
                new RoomEvent.Left("lobby", BOB, "side.room"),
                new RoomEvent.Here("lobby", BOB),
                new RoomEvent.Renamed("lobby", BOB, "127.0.0.1:5000"),
                new RoomEvent.Topic("lobby", BOB, "tea at five \u2615", true),
                new RoomEvent.Topic("lobby", new Sender("b", 0, "", 0), "tea at five", false));
        assertEquals("topic", FederationCodec.kind(events.get(events.size() - 2)));
        assertEquals("topic_is", FederationCodec.kind(events.get(events.size() - 1)));
        long n = 0;
        for (var event : events) {
            byte[] payload = FederationCodec.encode("b", 1764680000000L, ++n, event);
            var back = FederationCodec.decode(payload);
            assertEquals(new FederationCodec.Envelope("b", 1764680000000L, n, event), back);
        }
    }

    @Test
    void aRoomEventCarriesItsNumberInTheRoomAndWhenItWasSaid() throws Exception {
        var event = new RoomEvent.Said("lobby", BOB, 3, Style.SAY, "numbered");
        byte[] payload = FederationCodec.encode("b", 7, 42, event, 17, 1764680012345L);
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(
                text.startsWith("{\"v\":1,\"k\":\"say\",\"node\":\"b\",\"inc\":7,\"n\":42,\"r\":17,"
                        + "\"t\":1764680012345,\"room\":\"lobby\""),
                text);
        assertEquals(
                new FederationCodec.Envelope("b", 7, 42, event, null, null, 17, 1764680012345L),
                FederationCodec.decode(payload));
        assertEquals(
                0,
                FederationCodec.decode(FederationCodec.encode("b", 7, 43, event))
                        .roomNumber(),
                "optional");
    }

    @Test
    void aPrivateLineToANickOrAReplyToOneClientComesBackAsItWent() throws Exception {
        for (var line : List.of(
                new PrivateLine(BOB, 9, "carol", null, "psst"),
                new PrivateLine(BOB, 10, null, new Address.Client("c", 3), "back at you"))) {
            var back = FederationCodec.decode(FederationCodec.encodePrivate("b", 1, 5, line));
            assertEquals(new FederationCodec.Envelope("b", 1, 5, null, line, null), back);
        }
    }

    @Test
    void aHeartbeatHasNoEventAndTheFormatIsTheDocumentedOne() throws Exception {
        var ask = FederationCodec.decode(FederationCodec.encodeAsk("a", 5, 8, "lobby"));
        assertEquals(new FederationCodec.Envelope("a", 5, 8, null, null, "lobby"), ask);
        var beat = FederationCodec.decode(FederationCodec.encode("a", 5, 9, null));
        assertEquals("a", beat.node());
        assertNull(beat.event());
        String said = new String(
                FederationCodec.encode("b", 1, 42, new RoomEvent.Said("lobby", BOB, 3, Style.SAY, "hi")),
                StandardCharsets.UTF_8);
        assertEquals(
                "{\"v\":1,\"k\":\"say\",\"node\":\"b\",\"inc\":1,\"n\":42,\"room\":\"lobby\",\"id\":7,\"name\":\"bob\","
                        + "\"pid\":4121,\"seq\":3,\"style\":\"say\",\"text\":\"hi\"}",
                said);
    }

    @Test
    void payloadsThatAreNotOursAreRefusedWithTheReason() {
        for (String bad : List.of(
                "",
                "[1]",
                "{\"v\":2,\"k\":\"alive\",\"node\":\"a\",\"inc\":1,\"n\":1}",
                "{\"v\":1,\"k\":\"shout\",\"node\":\"a\",\"inc\":1,\"n\":1,\"room\":\"r\",\"id\":1,\"name\":\"x\","
                        + "\"pid\":1}",
                "{\"v\":1,\"k\":\"say\",\"node\":\"a\",\"inc\":1,\"n\":1,\"room\":\"r\",\"id\":1,\"name\":\"x\"}",
                "{\"v\":1,\"k\":\"alive\",\"node\":\"a\",\"inc\":1,\"n\":1e3}")) {
            var e = assertThrows(
                    FederationCodec.BadMessage.class,
                    () -> FederationCodec.decode(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), bad);
        }
        var big = new byte[FederationCodec.MAX_PAYLOAD_BYTES + 1];
        var e = assertThrows(FederationCodec.BadMessage.class, () -> FederationCodec.decode(big));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void roomAndNodeNamesWithDotsMapToOneSubjectTokenEach() {
        assertEquals("forkcast.room.side~room.say", Subjects.room("side.room", "say"));
        assertEquals("forkcast.room.lobby.*", Subjects.roomEvents("lobby"));
        assertEquals("forkcast.node.host~example~org.claim", Subjects.claim("host.example.org"));
    }
}
