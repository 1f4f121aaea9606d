package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerOutputTest {
    private final ByteArrayOutputStream copied = new ByteArrayOutputStream();

    private static void write(Pipe pipe, String text) throws Exception {
        pipe.sink().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @SuppressWarnings("StringConcatToTextBlock") // a text block would strip the whitespace-only line under test
    void keepsTheFirstNonBlankLineAndCopiesEveryLineWhole() throws Exception {
        var pipe = Pipe.open();
        var output = new WorkerOutput(pipe.source(), copied);
        write(pipe, "\n  \nUnrecognized VM option 'NoSuch");
        output.readOnce();
        assertEquals("\n  \n", copied.toString(StandardCharsets.UTF_8), "half a line waits for its end");
        write(pipe, "Option'\r\nError: Could not create the Java Virtual Machine.\n");
        pipe.sink().close();
        output.drain();
        assertEquals("Unrecognized VM option 'NoSuchOption'", output.firstLine());
        assertEquals(
                "\n  \nUnrecognized VM option 'NoSuchOption'\r\n"
                        + "Error: Could not create the Java Virtual Machine.\n",
                copied.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLastLineWithoutNewlineIsEndedAndLinesAfterConnectingAreNotKept() throws Exception {
        var pipe = Pipe.open();
        var output = new WorkerOutput(pipe.source(), copied);
        output.connected();
        write(pipe, "role=worker event=welcome\nno newline");
        pipe.sink().close();
        output.drain();
        assertEquals("", output.firstLine());
        assertEquals("role=worker event=welcome\nno newline\n", copied.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aVeryLongLineIsCopiedInBoundedPieces() throws Exception {
        var pipe = Pipe.open();
        var output = new WorkerOutput(pipe.source(), copied);
        String longLine = "x".repeat(WorkerOutput.MAX_LINE_BYTES + 10);
        var writer = Thread.ofPlatform().start(() -> {
            try {
                write(pipe, longLine + "\n");
                pipe.sink().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (output.readOnce() >= 0) {
            // Read until the end, as the loop would.
        }
        writer.join();
        String text = copied.toString(StandardCharsets.UTF_8);
        assertEquals(longLine.length() + 2, text.length(), "two pieces, each ended");
        assertEquals(WorkerOutput.MAX_FIRST_LINE_CHARS, output.firstLine().length());
    }
}
