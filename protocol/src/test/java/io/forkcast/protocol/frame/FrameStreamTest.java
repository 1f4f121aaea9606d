package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.TestFrames.MAX;
import static io.forkcast.protocol.frame.TestFrames.assertSameMessages;
import static io.forkcast.protocol.frame.TestFrames.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameStreamTest {
    private static final List<Message> MESSAGES = TestFrames.samples();
    private static final byte[] STREAM = stream();

    private static byte[] stream() {
        var encoder = new FrameEncoder(MAX);
        var frames = new ArrayList<byte[]>();
        for (var message : MESSAGES) {
            try {
                frames.add(TestFrames.bytes(encoder.encode(message)));
            } catch (FrameTooLargeException e) {
                throw new AssertionError(e);
            }
        }
        return TestFrames.concat(frames);
    }

    @Test
    void manyFramesInOneBufferDecodeInOrder() throws ProtocolException {
        var decoder = new FrameDecoder(MAX);

        assertSameMessages(MESSAGES, decode(decoder, STREAM));
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void streamFedOneByteAtATimeDecodesTheSame() throws ProtocolException {
        var decoder = new FrameDecoder(MAX);
        var out = new ArrayList<Message>();
        for (byte b : STREAM) {
            decoder.feed(ByteBuffer.wrap(new byte[] {b}), out::add);
        }

        assertSameMessages(MESSAGES, out);
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void streamSplitAtEveryPointDecodesTheSame() throws ProtocolException {
        var decoder = new FrameDecoder(MAX); // also shows a decoder is ready for more after each complete frame
        for (int split = 0; split <= STREAM.length; split++) {
            var out = new ArrayList<Message>();
            decoder.feed(ByteBuffer.wrap(STREAM, 0, split), out::add);
            assertEquals(split - frameBytesOf(out.size()), decoder.bufferedBytes(), "split=" + split);
            decoder.feed(ByteBuffer.wrap(STREAM, split, STREAM.length - split), out::add);

            assertSameMessages(MESSAGES, out);
            assertEquals(0, decoder.bufferedBytes(), "split=" + split);
        }
    }

    @Test
    void bufferedBytesCountsTheIncompleteFrame() throws ProtocolException {
        var frame = TestFrames.encode(new Notice("partial"));
        var decoder = new FrameDecoder(MAX);

        decode(decoder, Arrays.copyOf(frame, 5));
        assertEquals(5, decoder.bufferedBytes());
        var out = decode(decoder, Arrays.copyOfRange(frame, 5, frame.length - 1));
        assertEquals(List.of(), out);
        assertEquals(frame.length - 1, decoder.bufferedBytes());
        out = decode(decoder, Arrays.copyOfRange(frame, frame.length - 1, frame.length));
        assertEquals(List.of(new Notice("partial")), out);
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void feedConsumesEveryByteItIsGiven() throws ProtocolException {
        var decoder = new FrameDecoder(MAX);
        var in = ByteBuffer.wrap(STREAM, 0, STREAM.length - 3);

        decoder.feed(in, m -> {});

        assertFalse(in.hasRemaining());
    }

    @Test
    void emptyBufferChangesNothing() throws ProtocolException {
        var decoder = new FrameDecoder(MAX);
        decode(decoder, new byte[0], Arrays.copyOf(STREAM, 3), new byte[0]);

        assertEquals(3, decoder.bufferedBytes());
    }

    /** Bytes the first {@code frames} frames of STREAM take. */
    private static int frameBytesOf(int frames) {
        int bytes = 0;
        for (int i = 0; i < frames; i++) {
            bytes += FrameFormat.HEADER_BYTES
                    + ByteBuffer.wrap(STREAM, bytes + 4, 4).getInt();
        }
        return bytes;
    }
}
