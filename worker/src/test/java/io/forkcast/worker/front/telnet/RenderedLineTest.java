package io.forkcast.worker.front.telnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.LineEnvelope;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.TelnetLine;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.OutputCapture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A line the supervisor renders once for every telnet receiver ({@link TelnetLine}, sent as DeliverRendered) is
 * byte for byte what this front door writes for the same line as a Deliver, whatever the text; and the rendered
 * frame survives the wire and is written as it came.
 */
class RenderedLineTest {
    private static final String LONG = "x".repeat(3000) + "\u00e9".repeat(2000) + "\uD83D\uDE00".repeat(1000);

    /** Odd input: empty, non-ASCII, 4-byte characters, lone surrogates, what a cleaner leaves, long lines. */
    private static final List<String> TEXTS = List.of(
            "",
            "hello",
            "hello, w\u00f6rld",
            "\u00ff\u00fe y-umlaut is U+00FF, never a 0xFF byte in UTF-8",
            "\uFFFF\uFFFE noncharacters",
            "\uD83D\uDE00 an emoji and a lone high surrogate \uD83D",
            "\uDE00 a lone low surrogate",
            "tab\tinside and trailing spaces   ",
            "  leading spaces",
            "/me is typed text here, not a command",
            "[brackets] (123): looks like a line",
            "\u0645\u0631\u062d\u0628\u0627 right to left",
            "\u4f60\u597d CJK",
            LONG);

    private static final List<Sender> SENDERS = List.of(
            new Sender("node-a", 7, "alice", 4121),
            new Sender("node-a", 8, "127.0.0.1:50412", 1),
            new Sender("n\u00f6de", Long.MAX_VALUE, "b\u00f6b", Long.MAX_VALUE),
            new Sender("", 0, "\u00e9\u00e9", 0));

    @Test
    void theSupervisorsBytesAreTheFrontDoorsForEveryStyleSenderAndText() throws IOException {
        for (var sender : SENDERS) {
            for (var text : TEXTS) {
                for (var style : Style.values()) {
                    var deliver = new SupervisorMessage.Deliver(new Address.Room("lobby"), sender, 1, style, text);
                    byte[] worker = rendered(deliver);
                    byte[] supervisor = TelnetLine.render(sender.name(), sender.pid(), style == Style.ACT, text);
                    assertArrayEquals(worker, supervisor, style + " of " + sender + ": " + abbreviated(text));
                }
            }
        }
    }

    @Test
    void aRenderedLineIsWrittenAsItCameThroughTheWire() throws Exception {
        var encoder = new FrameEncoder(64 * 1024);
        var decoder = new FrameDecoder(64 * 1024);
        for (var text : TEXTS) {
            byte[] bytes = TelnetLine.render("alice", 4121, false, text);
            var sent = new SupervisorMessage.DeliverRendered("node-a", 7, 3, bytes);
            var got = new ArrayList<Message>();
            decoder.feed(encoder.encode(sent), got::add);
            assertEquals(List.of(sent), got);
            var worker = new SupervisorMessage.Deliver(
                    new Address.Room("lobby"), new Sender("node-a", 7, "alice", 4121), 3, Style.SAY, text);
            assertArrayEquals(rendered(worker), rendered((SupervisorMessage) got.get(0)), abbreviated(text));
        }
    }

    @Test
    void aRenderedLineFitsTheFrameEveryLineIsGuaranteed() throws Exception {
        var encoder = new FrameEncoder(64 * 1024);
        String longestName = "n".repeat(32);
        for (var text : TEXTS) {
            int lineBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int rendered = encoder.encode(new SupervisorMessage.DeliverRendered(
                            "node-a",
                            Long.MAX_VALUE,
                            Long.MAX_VALUE,
                            TelnetLine.render(longestName, Long.MAX_VALUE, true, text)))
                    .remaining();
            assertTrue(
                    rendered <= LineEnvelope.frameBytesFor(lineBytes),
                    rendered + " bytes for a line of " + lineBytes + ": " + abbreviated(text));
        }
    }

    private static byte[] rendered(SupervisorMessage order) throws IOException {
        var out = new ClientOutput();
        new TelnetFrontDoor(out).render(order, 1);
        return OutputCapture.take(out);
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
