package io.forkcast.worker.loop;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.front.broker.BrokerFrontDoor;
import io.forkcast.worker.front.mqtt.MqttFrontDoor;
import io.forkcast.worker.front.mqtt.MqttWarmup;
import io.forkcast.worker.front.websocket.WebSocketFrontDoor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the code a session needs once, on sample data, before a spare worker waits for its client: the classes
 * are loaded and initialized then, and the dispatch sites linked, not while a person waits for the banner.
 * Touches no socket. Runs on the main thread, before the loop exists.
 */
public final class Warmup {
    /** A broker client's first lines: its login, a send, an ack, a ping, and a line that is not JSON. */
    private static final String BROKER_LINES = "{\"command\":\"login\",\"username\":\"warm\",\"password\":\"x\","
            + "\"role\":\"sender\",\"channel\":\"#warm\"}\r\n{\"command\":\"send\",\"data\":{\"a\":[1,-2.5e3,true,"
            + "null,\"\u00e9\\u00e9\"]}}\n{\"command\":\"ack\",\"ids\":[1,2]}\n{\"command\":\"ping\"}\n{warm\n";

    /** A WebSocket client's opening, as a browser sends it. */
    private static final String WS_OPENING = String.join(
            "\r\n",
            "GET /?tags=%7B%22language%22%3A%22FR%22%7D HTTP/1.1",
            "Host: 127.0.0.1:8080",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "Origin: http://127.0.0.1:8080",
            "Sec-WebSocket-Extensions: permessage-deflate",
            "",
            "");

    /** Its first messages: a line, a command, 001's request with tags, and one in two fragments, and a ping. */
    private static final String[] WS_MESSAGES = {
        "warm \u00e9", "/me warms", "{\"message\":\"warm\",\"tags\":{\"language\":\"FR\"}}", "{\"message\":\"w\"}"
    };

    private Warmup() {}

    /** Warms the frames and the front door {@code frontDoors} makes, which is of client kind {@code kind}. */
    public static void run(int maxFrameBytes, String kind, Function<ClientOutput, FrontDoor> frontDoors)
            throws IOException {
        boolean broker = BrokerFrontDoor.KIND.equals(kind);
        boolean webSocket = WebSocketFrontDoor.KIND.equals(kind);
        boolean mqtt = MqttFrontDoor.KIND.equals(kind);
        try (var selector = Selector.open()) {
            selector.selectNow();
        }
        var encoder = new FrameEncoder(maxFrameBytes);
        var decoder = new FrameDecoder(maxFrameBytes);
        var limits = new SupervisorMessage.Limits(4096, 20, 50, 100, 1 << 20);
        var sender = new Sender("warm", 2, "peer", 2);
        List<Message> samples = List.of(
                new WorkerMessage.Hello2(ProtocolLevel.CURRENT, 1, "127.0.0.1:1", "warm"),
                new WorkerMessage.ClientSaid(1, "warm"),
                new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 1, "warm", limits),
                new SupervisorMessage.Deliver(new Address.Everyone(), sender, 1, SupervisorMessage.Style.SAY, "warm"),
                new SupervisorMessage.DeliverRendered(
                        "warm", 2, 2, "[peer] (2): warm\r\n".getBytes(StandardCharsets.UTF_8)),
                new SupervisorMessage.Say(2, "peer", 2, 1, "warm"),
                new SupervisorMessage.Joined(2, "peer", 2),
                new SupervisorMessage.Ack(1));
        if (broker) {
            samples = new ArrayList<>(samples);
            samples.addAll(List.of(
                    new WorkerMessage.BrokerAttach(1, "sender", "warm"),
                    new WorkerMessage.BrokerSend(2, "warm", "{\"a\":1}"),
                    new WorkerMessage.BrokerAck(List.of(1L)),
                    new SupervisorMessage.LoggedIn(1, "warm"),
                    new SupervisorMessage.BrokerAttached(1, "sender", "warm"),
                    new SupervisorMessage.BrokerSent(2, 1, "warm", 1, true),
                    new SupervisorMessage.BrokerRefused(3, "send", "warm"),
                    new SupervisorMessage.BrokerBatch("warm", List.of(1L, 2L), List.of("{\"a\":[1]}", "not json")),
                    new SupervisorMessage.Deliver(
                            new Address.Client("", 1), sender, 2, SupervisorMessage.Style.SAY, "warm"),
                    new SupervisorMessage.Notice("warm")));
        }
        if (webSocket) {
            samples = new ArrayList<>(samples);
            samples.addAll(List.of(
                    new WorkerMessage.OpenRequested(1, "k", "s", java.util.Map.of("language", "FR")),
                    new WorkerMessage.TaggedSaid(2, "warm", java.util.Map.of("language", "FR"), null, null),
                    new SupervisorMessage.OpenAnswered(1, true, null),
                    new SupervisorMessage.Entered(0, "lobby", "warm"),
                    new SupervisorMessage.RoomJoined(sender, "lobby"),
                    new SupervisorMessage.TaggedLine(sender, 3, "warm", java.util.Map.of("language", "FR")),
                    new SupervisorMessage.TaggedSent(2, 1, null),
                    new SupervisorMessage.AdminMessage("warm"),
                    new SupervisorMessage.Notice("warm")));
        }
        if (mqtt) {
            samples = new ArrayList<>(samples);
            samples.addAll(MqttWarmup.messages());
        }
        var decoded = new ArrayList<Message>();
        try {
            for (var message : samples) {
                decoder.feed(encoder.encode(message), decoded::add);
            }
        } catch (ProtocolException e) {
            throw new IOException("warm-up frames did not round-trip: " + e.getMessage(), e);
        }
        var out = new ClientOutput();
        var front = frontDoors.apply(out);
        front.limits(limits);
        var intents = new ArrayList<Intent>();
        if (front instanceof MqttFrontDoor door) {
            door.greet("127.0.0.1:1", 1);
            MqttWarmup.run(door, intents::add);
            return;
        }
        String lines = broker ? BROKER_LINES : webSocket ? WS_OPENING : "warm \u00e9\r\n/me warms\r\n";
        front.feed(ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8)), intents::add);
        front.greet("127.0.0.1:1", intents.size());
        for (var message : decoded) {
            if (message instanceof SupervisorMessage order) {
                front.render(order, 1);
            }
        }
        if (webSocket) {
            for (String m : WS_MESSAGES) {
                front.feed(ByteBuffer.wrap(maskedFrame(0x81, m.getBytes(StandardCharsets.UTF_8))), intents::add);
            }
            front.feed(ByteBuffer.wrap(maskedFrame(0x01, "wa".getBytes(StandardCharsets.UTF_8))), intents::add);
            front.feed(ByteBuffer.wrap(maskedFrame(0x80, "rm".getBytes(StandardCharsets.UTF_8))), intents::add);
            front.feed(ByteBuffer.wrap(maskedFrame(0x89, new byte[] {1})), intents::add);
            front.tick(intents::add);
            front.prompt(FrontDoor.Prompt.USER);
            front.goodbye("warm");
        }
        front.reply(new Reply.NotConnected());
        if (broker) {
            front.reply(new Reply.Refused("send", "warm"));
            front.goodbye("warm");
        }
        var flood = new FloodGate(20, 50, 100, System.nanoTime());
        flood.admit(System.nanoTime());
    }

    /** A client's frame: {@code b0} (FIN and opcode), a short payload, masked with a fixed key. */
    private static byte[] maskedFrame(int b0, byte[] payload) {
        byte[] key = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) b0;
        frame[1] = (byte) (0x80 | payload.length); // short payloads only: under 126 bytes
        System.arraycopy(key, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return frame;
    }
}
