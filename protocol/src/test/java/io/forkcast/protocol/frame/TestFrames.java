package io.forkcast.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Assign;
import io.forkcast.protocol.message.SupervisorMessage.AwayLines;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.HistoryLines;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginNeeded;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.ClientActed;
import io.forkcast.protocol.message.WorkerMessage.ClientLeft;
import io.forkcast.protocol.message.WorkerMessage.ClientSaid;
import io.forkcast.protocol.message.WorkerMessage.Hello;
import io.forkcast.protocol.message.WorkerMessage.Hello2;
import io.forkcast.protocol.message.WorkerMessage.HistoryRequested;
import io.forkcast.protocol.message.WorkerMessage.JoinRequested;
import io.forkcast.protocol.message.WorkerMessage.LoginRequested;
import io.forkcast.protocol.message.WorkerMessage.NickRequested;
import io.forkcast.protocol.message.WorkerMessage.PeopleRequested;
import io.forkcast.protocol.message.WorkerMessage.PrivateSaid;
import io.forkcast.protocol.message.WorkerMessage.Ready;
import io.forkcast.protocol.message.WorkerMessage.Resume;
import io.forkcast.protocol.message.WorkerMessage.Resume2;
import io.forkcast.protocol.message.WorkerMessage.Resume3;
import io.forkcast.protocol.message.WorkerMessage.Resume4;
import io.forkcast.protocol.message.WorkerMessage.RoomsRequested;
import io.forkcast.protocol.message.WorkerMessage.TopicRequested;
import io.forkcast.protocol.message.WorkerMessage.WhoRequested;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/** Sample messages and hand-built frames for the frame tests; builds headers independently of FrameFormat. */
final class TestFrames {
    static final int MAX = FrameFormat.DEFAULT_MAX_FRAME_BYTES;

    private TestFrames() {}

    /** At least one of every Message record, with non-ASCII, empty and extreme values. */
    static List<Message> samples() {
        var limits = new Limits(512, 5, 10, 20, 1 << 20);
        var ann = new Present(new Sender("node-a", 7, "ann", 4121), "127.0.0.1:50412", "dev");
        return List.of(
                new Hello(4121, "127.0.0.1:50412"),
                new Hello(Long.MAX_VALUE, "[::1]:4444"),
                new ClientSaid(1, "héllo wörld ☃ 😀 日本語"),
                new ClientSaid(2, ""),
                new ClientActed(3, "waves 👋"),
                new NickRequested(4, "Zoë"),
                new WhoRequested(),
                new ClientLeft("eof"),
                new Resume(4121, "127.0.0.1:50412", 7, "Zoë"),
                new Resume(4122, "127.0.0.1:50413", 8, null),
                limits,
                new Limits(Integer.MIN_VALUE, 0, -1, Integer.MAX_VALUE, 0),
                new Welcome(7, limits),
                new Say(7, "ann", 4121, 1, "hi, all ✓"),
                new Say(Long.MIN_VALUE, "", -1, Long.MAX_VALUE, ""),
                new Act(7, "ann", 4121, 2, "dances"),
                new Joined(8, "bob", 4122),
                new Left(8, "bob", 4122),
                new Renamed(7, "ann", "Änne", 4121),
                new Notice("server restarting in 60s"),
                new Notice(""),
                new NickAccepted(4, "Zoë"),
                new NickRefused(5, "bob", "in use"),
                new WhoList(new WhoEntry[] {
                    new WhoEntry(7, "Änne", "127.0.0.1:50412", 4121), new WhoEntry(8, "bob", "[::1]:50413", 4122)
                }),
                new WhoList(new WhoEntry[0]),
                new Disconnect("flood"),
                new Ack(42),
                new Ready(4123),
                new Assign(),
                new Hello2(2, 4124, "127.0.0.1:50414", "telnet"),
                new Resume2(2, 4125, "[::1]:50415", 9, "Zoë", "telnet"),
                new Resume2(7, 4126, "127.0.0.1:50416", 10, null, "telnet"),
                new Welcome2(2, 9, "node-a", limits),
                new Deliver(new Address.Everyone(), new Sender("node-a", 7, "ann", 4121), 3, Style.SAY, "hi ✓"),
                new Deliver(new Address.Room("#ops"), new Sender("node-b", 8, "bob", 4122), 4, Style.ACT, "waves"),
                new Deliver(new Address.Client("node-a", 7), new Sender("", 0, "", 0), Long.MAX_VALUE, Style.SAY, ""),
                new JoinRequested(5, "Dev-Ops.2"),
                new JoinRequested(6, null),
                new RoomsRequested(),
                new PeopleRequested(true),
                new PeopleRequested(false),
                new TopicRequested("release at 5 ✓"),
                new TopicRequested(null),
                new PrivateSaid(7, "bob", null, "psst"),
                new PrivateSaid(8, "Änne", new Address.Client("node-a", 7), ""),
                new Resume3(
                        3,
                        4127,
                        "127.0.0.1:50417",
                        11,
                        "Zoë",
                        "telnet",
                        List.of(new RoomEntry("dev", 0, "release at 5"))),
                new Resume3(3, 4128, "[::1]:50418", 12, null, "telnet", List.of()),
                new Entered(5, "dev", "release at 5"),
                new Entered(0, "lobby", null),
                new RoomJoined(new Sender("node-a", 7, "ann", 4121), "dev"),
                new RoomLeft(new Sender("node-a", 7, "ann", 4121), "lobby", "dev"),
                new RoomLeft(new Sender("node-a", 7, "ann", 4121), "lobby", null),
                new RoomList(3, 1, List.of(new RoomEntry("lobby", 3, null), new RoomEntry("Dev", 1, "✓ ship it"))),
                new RoomList(0, 0, List.of()),
                new PeopleList("dev", 1, 0, List.of(ann)),
                new PeopleList(null, 900, 450, List.of(ann, new Present(new Sender("", 0, "", 0), "", null))),
                new TopicChanged(new Sender("node-a", 7, "ann", 4121), "dev", "release at 5"),
                new PrivateSent(9, "bob", "psst"),
                new LoginRequested(10, "alice", "s3cret ✓"),
                new LoginRequested(11, "", ""),
                new HistoryRequested(0),
                new HistoryRequested(200),
                new Resume4(
                        4,
                        4129,
                        "127.0.0.1:50419",
                        13,
                        "alice",
                        "telnet",
                        List.of(new RoomEntry("dev", 0, null)),
                        "alice"),
                new Resume4(4, 4130, "[::1]:50420", 14, null, "telnet", List.of(), null),
                new LoginNeeded(3),
                new LoggedIn(10, "alice"),
                new LoginRefused(11, "mallory", "login incorrect"),
                new HistoryLines(
                        "dev",
                        2,
                        0,
                        List.of(
                                new PastLine(1_764_000_000_000L, "ann", Style.SAY, "hi ✓"),
                                new PastLine(1_764_000_060_000L, "bob", Style.ACT, "waves"))),
                new HistoryLines("lobby", 0, 0, List.of()),
                new AwayLines(1, 0, List.of(new PastLine(0, "", Style.SAY, ""))),
                new PrivateStored(12, "alice"),
                new WorkerMessage.BrokerAttach(13, "receiver", "sms"),
                new WorkerMessage.BrokerAttach(0, "sender", null),
                new WorkerMessage.BrokerSend(14, "sms", "{\"to\":\"+62812\",\"text\":\"kode ✓\"}"),
                new WorkerMessage.BrokerAck(List.of(1L, 1_800_000_000_000_000L)),
                new WorkerMessage.BrokerAck(List.of()),
                new SupervisorMessage.BrokerAttached(13, "receiver", "sms"),
                new SupervisorMessage.BrokerRefused(15, "send", "a receiver cannot send"),
                new SupervisorMessage.BrokerSent(14, 77, "sms", 2, true),
                new SupervisorMessage.BrokerBatch("sms", List.of(7L, 8L), List.of("1", "[true,null]")),
                new WorkerMessage.OpenRequested(1, "application1", "s3cret", java.util.Map.of("language", "FR")),
                new WorkerMessage.OpenRequested(2, null, null, java.util.Map.of()),
                new WorkerMessage.TaggedSaid(3, "bonjour", java.util.Map.of("language", "FR"), "app", null),
                new SupervisorMessage.OpenAnswered(1, false, "application not allowed to open"),
                new SupervisorMessage.TaggedLine(
                        new Sender("n", 4, "ann", 44), 3, "bonjour ✓", java.util.Map.of("language", "FR")),
                new SupervisorMessage.TaggedSent(3, 2, null),
                new SupervisorMessage.TaggedSent(4, 0, "key may not send"),
                new SupervisorMessage.AdminMessage("maintenance at 18:00"),
                new SupervisorMessage.Assign2("broker"),
                new WorkerMessage.MqttConnect(
                        16,
                        5,
                        "sensor-1",
                        false,
                        4_294_967_295L,
                        20,
                        1 << 20,
                        "alice",
                        "s3cret",
                        new MqttWill(
                                "forkcast/rooms/lobby",
                                "gone ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                1,
                                true,
                                30,
                                new MqttProperties(
                                        1, 60, "text/plain", "re/ply", new byte[] {0, 1}, List.of("k", "v")))),
                new WorkerMessage.MqttConnect(17, 4, "", true, 0, 65535, 0, null, null, null),
                new WorkerMessage.MqttPublish(
                        18, "a/b", new byte[] {(byte) 0xff, 0}, 2, false, 65535, MqttProperties.NONE),
                new WorkerMessage.MqttPublish(
                        19, "", new byte[0], 0, true, 0, new MqttProperties(-1, 5, null, null, null, List.of())),
                new WorkerMessage.MqttPubRel(65535),
                new WorkerMessage.MqttDelivered(1, WorkerMessage.MqttDelivered.PUBREC),
                new WorkerMessage.MqttSubscribe(
                        2,
                        List.of(
                                new MqttFilter("forkcast/rooms/#", 2, true, true, 2, 268_435_455),
                                new MqttFilter("$share/g/+/x", 0, false, false, 0, 0))),
                new WorkerMessage.MqttUnsubscribe(3, List.of("a/+", "#")),
                new WorkerMessage.MqttDisconnect(4, -1),
                new WorkerMessage.MqttDisconnect(0, 4_294_967_295L),
                new WorkerMessage.MqttResume(
                        "sensor-1",
                        5,
                        false,
                        3600,
                        10,
                        0,
                        null,
                        List.of(new MqttFilter("a/b", 1, false, false, 0, 0)),
                        4242),
                new SupervisorMessage.MqttConnAck(16, 0, true, "sensor-1", "alice", null),
                new SupervisorMessage.MqttConnAck(17, 0x86, false, null, null, "bad user name or password"),
                new SupervisorMessage.MqttPublished(18, 65535, 0x10),
                new SupervisorMessage.MqttSubAck(2, List.of(2, 0x80)),
                new SupervisorMessage.MqttUnsubAck(3, List.of(0, 0x11)),
                new SupervisorMessage.MqttDeliver(
                        "forkcast/rooms/lobby",
                        "[ann] (4121): hi ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        1,
                        false,
                        true,
                        7,
                        List.of(1, 268_435_455),
                        new MqttProperties(1, -1, null, null, null, List.of())),
                new SupervisorMessage.MqttRelease(7),
                new SupervisorMessage.MqttKick(0x8E, "session taken over"),
                new SupervisorMessage.DeliverRendered(
                        "node-a",
                        7,
                        3,
                        "[alice] (4121): h\u00e9llo\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** What a message is worth comparing by: records compare arrays by identity, so WhoList is unpacked. */
    static Object comparable(Message message) {
        return message instanceof WhoList(var entries) ? List.of("WhoList", Arrays.asList(entries)) : message;
    }

    static void assertSameMessages(List<? extends Message> expected, List<? extends Message> actual) {
        assertEquals(
                expected.stream().map(TestFrames::comparable).toList(),
                actual.stream().map(TestFrames::comparable).toList());
    }

    /** A version-1 frame with no flags and the right CRC around {@code payload}. */
    static byte[] frame(byte[] payload) {
        var crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(FrameFormat.HEADER_BYTES + payload.length)
                .put((byte) 'F')
                .put((byte) 'C')
                .put((byte) 1)
                .put((byte) 0)
                .putInt(payload.length)
                .putInt((int) crc.getValue())
                .put(payload)
                .array();
    }

    /** Only a header: magic FC, version 1, no flags, the given length and a zero CRC. */
    static byte[] header(int payloadLength) {
        return ByteBuffer.allocate(FrameFormat.HEADER_BYTES)
                .put((byte) 'F')
                .put((byte) 'C')
                .put((byte) 1)
                .put((byte) 0)
                .putInt(payloadLength)
                .putInt(0)
                .array();
    }

    static byte[] bytes(ByteBuffer frame) {
        var copy = frame.duplicate();
        var bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, FrameFormat.HEADER_BYTES, frame.length);
    }

    static byte[] encode(Message message) throws FrameTooLargeException {
        return bytes(new FrameEncoder(MAX).encode(message));
    }

    static byte[] concat(List<byte[]> parts) {
        var out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Feeds {@code pieces} in order and returns what came out. */
    static List<Message> decode(FrameDecoder decoder, byte[]... pieces) throws ProtocolException {
        var out = new ArrayList<Message>();
        for (var piece : pieces) {
            decoder.feed(ByteBuffer.wrap(piece), out::add);
        }
        return out;
    }
}
