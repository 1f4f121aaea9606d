package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.TestFrames.MAX;
import static io.forkcast.protocol.frame.TestFrames.assertSameMessages;
import static io.forkcast.protocol.frame.TestFrames.bytes;
import static io.forkcast.protocol.frame.TestFrames.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.message.WorkerMessage.Hello;
import io.forkcast.protocol.message.WorkerMessage.WhoRequested;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameRoundTripTest {

    static List<Message> samples() {
        return TestFrames.samples();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageSurvivesEncodeThenDecode(Message message) throws ProtocolException {
        var frame = new FrameEncoder(MAX).encode(message);
        var decoder = new FrameDecoder(MAX);

        assertSameMessages(List.of(message), decode(decoder, bytes(frame)));
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void samplesCoverEveryMessageRecord() {
        var records = new HashSet<Class<?>>();
        collectRecords(Message.class, records);
        var sampled = new HashSet<Class<?>>();
        samples().forEach(m -> sampled.add(m.getClass()));

        assertEquals(records, sampled);
    }

    private static void collectRecords(Class<?> type, Set<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
        }
        if (type.isSealed()) {
            for (var permitted : type.getPermittedSubclasses()) {
                collectRecords(permitted, records);
            }
        }
    }

    @Test
    void frameIsReadOnlyAtPositionZeroAndSizedExactly() throws ProtocolException {
        var frame = new FrameEncoder(MAX).encode(new Hello(4121, "127.0.0.1:50412"));

        assertTrue(frame.isReadOnly());
        assertEquals(0, frame.position());
        assertEquals(frame.capacity(), frame.limit());
        assertEquals((byte) 'F', frame.get(0));
        assertEquals((byte) 'C', frame.get(1));
        assertEquals(1, frame.get(2));
        assertEquals(0, frame.get(3));
        int payloadLength = frame.getInt(4);
        assertEquals(FrameFormat.HEADER_BYTES + payloadLength, frame.limit());
        var crc = new CRC32C();
        crc.update(frame.duplicate().position(FrameFormat.HEADER_BYTES));
        assertEquals((int) crc.getValue(), frame.getInt(8));
    }

    @Test
    void oneSharedFrameDecodesForEveryRecipientThroughDuplicates() throws ProtocolException {
        var message = new WhoList(new WhoEntry[] {new WhoEntry(1, "ann", "127.0.0.1:1", 10)});
        var frame = new FrameEncoder(MAX).encode(message);

        for (int recipient = 0; recipient < 3; recipient++) {
            var out = new ArrayList<Message>();
            new FrameDecoder(MAX).feed(frame.duplicate(), out::add);
            assertSameMessages(List.of(message), out);
        }
        assertEquals(0, frame.position());
    }

    @Test
    void laterEncodesLeaveEarlierFramesIntact() throws ProtocolException {
        var encoder = new FrameEncoder(MAX);
        var first = encoder.encode(new Hello(1, "a:1"));
        var firstBytes = bytes(first);

        encoder.encode(new Hello(2, "somewhere.else:2"));
        encoder.encode(new WhoRequested());

        assertArrayEquals(firstBytes, bytes(first));
        assertEquals(List.of(new Hello(1, "a:1")), decode(new FrameDecoder(MAX), firstBytes));
    }

    /**
     * The wire format as it is today (CRCs computed outside Java); a change here breaks links between builds.
     * Payloads read: class id as varint (id + 2), then components sorted by NAME; ASCII strings of 2-32 chars end
     * with the high bit set, others carry a flagged length (0x80 | chars + 1); numbers are zigzag varints; a
     * component of a final type starts with a 01 not-null byte.
     */
    @Test
    void framesMatchTheGoldenBytes() throws ProtocolException {
        var encoder = new FrameEncoder(MAX);
        // Hello id 32 -> 22; peer "1.2.3.4:5" (last byte 0x35 | 0x80); pid 42 -> zigzag 84 = 54.
        assertEquals(
                "4643" + "01" + "00" + "0000000b" + "f2728bd7" + "22" + "312e322e332e343ab5" + "54",
                hex(encoder.encode(new Hello(42, "1.2.3.4:5"))));
        // Welcome id 65 -> 43; clientId 7 -> 0e; limits: 01, then clientBufferBytes 5, floodBurst 3,
        // floodDropsBeforeDisconnect 4, floodLinesPerSecond 2, maxLineBytes 1 (alphabetical, not declared, order).
        assertEquals(
                "4643" + "01" + "00" + "00000008" + "7f771d8f" + "43" + "0e" + "01" + "0a" + "06" + "08" + "04" + "02",
                hex(encoder.encode(new Welcome(7, new Limits(1, 2, 3, 4, 5)))));
        // WhoList id 76 -> 4e; entries: count + 1 = 02; entry 01, id 02, name "a" 8261, peer "p" 8270, pid 04.
        assertEquals(
                "4643" + "01" + "00" + "00000009" + "c33040a8" + "4e" + "02" + "01" + "02" + "8261" + "8270" + "04",
                hex(encoder.encode(new WhoList(new WhoEntry[] {new WhoEntry(1, "a", "p", 2)}))));
    }

    private static String hex(ByteBuffer frame) {
        return HexFormat.of().formatHex(bytes(frame));
    }
}
