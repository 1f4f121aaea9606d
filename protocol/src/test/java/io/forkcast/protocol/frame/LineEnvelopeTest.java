package io.forkcast.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineEnvelopeTest {
    /** A line of exactly {@code bytes} UTF-8 bytes of 4-byte characters, the costliest for Kryo. */
    private static String worstLine(int bytes) {
        String text = "\uD83D\uDE00".repeat(bytes / 4) + "x".repeat(bytes % 4);
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length == bytes);
        return text;
    }

    @Test
    void everyFrameThatCarriesALineFitsTheBoundWithTheLargestEnvelope() throws Exception {
        String nick = "\uD83D\uDE00".repeat(32);
        String node = "n".repeat(253);
        for (int lineBytes : List.of(16, 4096, 65536)) {
            String text = worstLine(lineBytes);
            long bound = LineEnvelope.frameBytesFor(lineBytes);
            var encoder = new FrameEncoder((int) Math.min(Integer.MAX_VALUE, bound * 2));
            List<Message> carriers = List.of(
                    new WorkerMessage.ClientSaid(Long.MAX_VALUE, text),
                    new WorkerMessage.ClientActed(Long.MAX_VALUE, text),
                    new SupervisorMessage.Say(Long.MAX_VALUE, nick, Long.MAX_VALUE, Long.MAX_VALUE, text),
                    new SupervisorMessage.Deliver(
                            new Address.Room(nick),
                            new Sender(node, Long.MAX_VALUE, nick, Long.MAX_VALUE),
                            Long.MAX_VALUE,
                            SupervisorMessage.Style.ACT,
                            text),
                    new SupervisorMessage.Deliver(
                            new Address.Client(node, Long.MAX_VALUE),
                            new Sender(node, Long.MAX_VALUE, nick, Long.MAX_VALUE),
                            Long.MAX_VALUE,
                            SupervisorMessage.Style.SAY,
                            text));
            for (var message : carriers) {
                int frame = encoder.encode(message).remaining();
                assertTrue(
                        frame <= bound,
                        message.getClass().getSimpleName() + " of a " + lineBytes + "-byte line: frame " + frame
                                + " > bound " + bound);
            }
        }
    }
}
