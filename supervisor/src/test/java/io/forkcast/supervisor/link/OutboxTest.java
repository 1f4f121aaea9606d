package io.forkcast.supervisor.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A channel that takes {@code budget} bytes in all (a socket buffer with that much room) and counts calls. */
    static final class ThrottledChannel implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        final List<Integer> buffersPerCall = new ArrayList<>();
        int budget;

        ThrottledChannel(int budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            buffersPerCall.add(length);
            long total = 0;
            for (int i = offset; i < offset + length && total < budget; i++) {
                while (srcs[i].hasRemaining() && total < budget) {
                    taken.write(srcs[i].get());
                    total++;
                }
            }
            budget -= (int) total;
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static ByteBuffer frame(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8)).asReadOnlyBuffer();
    }

    @Test
    void offerRefusesAFrameThatWouldPassTheLimit() {
        var outbox = new Outbox(10);
        assertTrue(outbox.offer(frame("12345")));
        assertTrue(outbox.offer(frame("67890")));
        assertFalse(outbox.offer(frame("x")));
        assertEquals(10, outbox.queuedBytes());
    }

    @Test
    void oneSharedFrameIsWrittenWholeToEveryOutbox() throws Exception {
        var shared = frame("hello");
        var a = new Outbox(100);
        var b = new Outbox(100);
        a.offer(shared);
        b.offer(shared);
        var ca = new ThrottledChannel(100);
        var cb = new ThrottledChannel(100);
        a.writeTo(ca);
        b.writeTo(cb);
        assertEquals("hello", ca.taken.toString(UTF_8));
        assertEquals("hello", cb.taken.toString(UTF_8));
        assertEquals(5, shared.remaining(), "the shared frame itself is never consumed");
    }

    @Test
    void queuedFramesGoOutInOneGatheringWrite() throws Exception {
        var outbox = new Outbox(1000);
        for (int i = 0; i < 10; i++) {
            outbox.offer(frame("f" + i));
        }
        var channel = new ThrottledChannel(1000);
        outbox.writeTo(channel);
        assertEquals(List.of(10), channel.buffersPerCall);
        assertEquals("f0f1f2f3f4f5f6f7f8f9", channel.taken.toString(UTF_8));
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.queuedBytes());
    }

    @Test
    void aPartialWriteResumesWhereItStopped() throws Exception {
        var outbox = new Outbox(1000);
        outbox.offer(frame("abcdef"));
        outbox.offer(frame("ghij"));
        var channel = new ThrottledChannel(4);
        outbox.writeTo(channel);
        assertEquals(6, outbox.queuedBytes());
        channel.budget = 100;
        outbox.writeTo(channel);
        assertEquals("abcdefghij", channel.taken.toString(UTF_8));
        assertTrue(outbox.isEmpty());
    }

    @Test
    void discardKeepsOnlyAPartlyWrittenHeadSoTheStreamStaysWhole() throws Exception {
        var outbox = new Outbox(1000);
        outbox.offer(frame("abcdef"));
        outbox.offer(frame("ghij"));
        var channel = new ThrottledChannel(2);
        outbox.writeTo(channel);
        outbox.discardUnstarted();
        assertEquals(4, outbox.queuedBytes());
        outbox.force(frame("BYE"));
        channel.budget = 100;
        outbox.writeTo(channel);
        assertArrayEquals("abcdefBYE".getBytes(UTF_8), channel.taken.toByteArray());
    }

    @Test
    void discardDropsEverythingWhenNothingWasStarted() {
        var outbox = new Outbox(1000);
        outbox.offer(frame("abc"));
        outbox.discardUnstarted();
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.queuedBytes());
    }

    @Test
    void moreThanMaxGatherFramesTakeSeveralWritesInOrder() throws Exception {
        var outbox = new Outbox(100_000);
        var expected = new StringBuilder();
        for (int i = 0; i < Outbox.MAX_GATHER * 2 + 5; i++) {
            outbox.offer(frame(i + ","));
            expected.append(i).append(',');
        }
        var channel = new ThrottledChannel(1_000_000);
        outbox.writeTo(channel);
        assertEquals(expected.toString(), channel.taken.toString(UTF_8));
        assertEquals(List.of(Outbox.MAX_GATHER, Outbox.MAX_GATHER, 5), channel.buffersPerCall);
    }
}
