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
    private Warmup() {}

    public static void run(int maxFrameBytes, Function<ClientOutput, FrontDoor> frontDoors) throws IOException {
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
                new SupervisorMessage.Say(2, "peer", 2, 1, "warm"),
                new SupervisorMessage.Joined(2, "peer", 2),
                new SupervisorMessage.Ack(1));
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
        front.feed(ByteBuffer.wrap("warm \u00e9\r\n/me warms\r\n".getBytes(StandardCharsets.UTF_8)), intents::add);
        front.greet("127.0.0.1:1", intents.size());
        for (var message : decoded) {
            if (message instanceof SupervisorMessage order) {
                front.render(order, 1);
            }
        }
        front.reply(new Reply.NotConnected());
        var flood = new FloodGate(20, 50, 100, System.nanoTime());
        flood.admit(System.nanoTime());
    }
}
