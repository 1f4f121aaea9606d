package io.forkcast.worker.session;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.telnet.LineDiscipline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the code a session needs once, on sample data, before a spare worker waits for its client: the classes
 * are loaded and initialized then, not while a person waits for the banner. Touches no socket.
 */
public final class Warmup {
    private Warmup() {}

    public static void run(int maxFrameBytes) throws IOException {
        try (var selector = Selector.open()) {
            selector.selectNow();
        }
        var encoder = new FrameEncoder(maxFrameBytes);
        var decoder = new FrameDecoder(maxFrameBytes);
        var limits = new SupervisorMessage.Limits(4096, 20, 50, 100, 1 << 20);
        List<Message> samples = List.of(
                new WorkerMessage.Hello(1, "127.0.0.1:1"),
                new WorkerMessage.ClientSaid(1, "warm"),
                new SupervisorMessage.Welcome(1, limits),
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
        var lines = new ArrayList<String>();
        var discipline = new LineDiscipline(4096);
        discipline.feed(ByteBuffer.wrap("warm \u00e9\r\n".getBytes(StandardCharsets.UTF_8)), new LineDiscipline.Sink() {
            @Override
            public void line(String text) {
                lines.add(text);
            }

            @Override
            public void reply(byte[] telnetBytes) {}

            @Override
            public void lineTooLong(int maxLineBytes) {}
        });
        var out = new ClientOutput();
        out.line("warm " + lines.size() + " " + decoded.size());
        var flood = new FloodGate(20, 50, 100, System.nanoTime());
        flood.admit(System.nanoTime());
    }
}
