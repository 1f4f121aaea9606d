package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.TestFrames.MAX;
import static io.forkcast.protocol.frame.TestFrames.decode;
import static io.forkcast.protocol.frame.TestFrames.frame;
import static io.forkcast.protocol.frame.TestFrames.header;
import static io.forkcast.protocol.frame.TestFrames.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.KryoRegistry;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.WorkerMessage.ClientSaid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCorruptionTest {

    private static byte[] validFrame() throws ProtocolException {
        return TestFrames.encode(new Say(7, "ann", 4121, 1, "a line long enough to fill more than thirty-two bytes"));
    }

    /** Feeds {@code pieces} to a fresh decoder and returns what it threw. */
    private static ProtocolException rejection(byte[]... pieces) {
        return assertThrows(ProtocolException.class, () -> decode(new FrameDecoder(MAX), pieces));
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void decoderRejectsBadMagicOnceTheHeaderIsIn() throws ProtocolException {
        var frame = validFrame();
        frame[0] = 'G';
        frame[1] = 'E';

        var e = rejection(Arrays.copyOf(frame, FrameFormat.HEADER_BYTES));

        assertInstanceOf(BadHeaderException.class, e);
        assertEquals("bad_magic", e.reason());
        assertEquals("magic 4745, expected 4643", e.getMessage());
        assertEquals(HexFormat.of().formatHex(frame, 0, FrameFormat.HEADER_BYTES), e.headHex());
    }

    @Test
    void decoderRejectsUnsupportedVersion() throws ProtocolException {
        var frame = validFrame();
        frame[2] = 2;

        var e = rejection(Arrays.copyOf(frame, FrameFormat.HEADER_BYTES));

        assertInstanceOf(BadHeaderException.class, e);
        assertEquals("bad_version", e.reason());
        assertEquals("version 2 unsupported, expected 1", e.getMessage());
    }

    @Test
    void decoderRejectsNonzeroFlags() throws ProtocolException {
        var frame = validFrame();
        frame[3] = (byte) 0x80;

        var e = rejection(Arrays.copyOf(frame, FrameFormat.HEADER_BYTES));

        assertInstanceOf(BadHeaderException.class, e);
        assertEquals("bad_flags", e.reason());
        assertTrue(e.getMessage().startsWith("flags 80 set"), e.getMessage());
    }

    @Test
    void decoderRejectsLengthAboveMaxBeforeReadingPayload() {
        var e = rejection(header(MAX - FrameFormat.HEADER_BYTES + 1)); // the header alone: no payload sent

        assertInstanceOf(FrameTooLargeException.class, e);
        assertEquals("too_large", e.reason());
        assertEquals("frame of 65537 bytes exceeds limit of 65536", e.getMessage());
        assertTrue(e.headHex().startsWith("4643"), e.headHex());
    }

    @Test
    void decoderReadsLengthAsUnsigned() {
        var e = rejection(header(0xffff_ffff));

        assertEquals("frame of 4294967307 bytes exceeds limit of 65536", e.getMessage());
    }

    @Test
    void frameOfExactlyMaxBytesIsAcceptedAndOneMoreIsNot() throws ProtocolException {
        var message = new ClientSaid(1, "just fits");
        var frame = TestFrames.encode(message);

        assertEquals(List.of(message), decode(new FrameDecoder(frame.length), frame));
        assertInstanceOf(
                FrameTooLargeException.class,
                assertThrows(ProtocolException.class, () -> decode(new FrameDecoder(frame.length - 1), frame)));
        assertThrows(FrameTooLargeException.class, () -> new FrameEncoder(frame.length - 1).encode(message));
    }

    @Test
    void decoderRejectsFlippedPayloadByte() throws ProtocolException {
        var frame = validFrame();
        frame[frame.length - 1] ^= 0x01;

        var e = rejection(frame);

        assertInstanceOf(ChecksumMismatchException.class, e);
        assertEquals("bad_crc", e.reason());
        assertTrue(e.headHex().startsWith("4643"), e.headHex());
        assertEquals(2 * 32, e.headHex().length(), "head is the first 32 bytes");
        assertEquals(HexFormat.of().formatHex(frame, 0, 32), e.headHex());
    }

    @Test
    void decoderRejectsUnregisteredClassId() {
        // Kryo writes class id N as the varint N + 2; 63 is not in KryoRegistry (the worker block ends there).
        var e = rejection(frame(new byte[] {63 + 2}));

        assertInstanceOf(UnknownMessageException.class, e);
        assertEquals("unknown_message", e.reason());
        assertEquals("unregistered class id 63", e.getMessage());
        assertTrue(e.headHex().startsWith("4643"), e.headHex());
    }

    @Test
    void decoderRejectsUnregisteredClassIdSpanningTwoVarintBytes() {
        var e = rejection(frame(hex("ae02"))); // 0xae 0x02 = 302 = id 300 + 2

        assertEquals("unregistered class id 300", e.getMessage());
    }

    @Test
    void decoderRejectsRegisteredClassThatIsNotAMessage() {
        var kryo = KryoRegistry.newKryo();
        var output = new Output(64);
        kryo.writeClassAndObject(output, new WhoEntry(1, "ann", "127.0.0.1:1", 10));

        var e = rejection(frame(output.toBytes()));

        assertInstanceOf(UnknownMessageException.class, e);
        assertEquals("class id 74 (WhoEntry) is not a Message", e.getMessage());
    }

    @Test
    void decoderRejectsKryosOwnTypes() {
        var kryo = KryoRegistry.newKryo();
        var output = new Output(64);
        kryo.writeClassAndObject(output, "just a string");

        assertEquals("unknown_message", rejection(frame(output.toBytes())).reason());
    }

    @Test
    void decoderRejectsNullPayload() {
        var e = rejection(frame(new byte[] {0}));

        assertEquals("unknown_message", e.reason());
        assertEquals("payload holds null, not a Message", e.getMessage());
    }

    @Test
    void decoderRejectsTruncatedPayload() throws ProtocolException {
        var payload = payload(validFrame());

        var e = rejection(frame(Arrays.copyOf(payload, payload.length - 5)));

        assertInstanceOf(CorruptPayloadException.class, e);
        assertEquals("corrupt_payload", e.reason());
        assertTrue(e.getMessage().startsWith("Kryo could not read the "), e.getMessage());
    }

    @Test
    void decoderRejectsEmptyPayload() {
        assertEquals("corrupt_payload", rejection(frame(new byte[0])).reason());
    }

    @Test
    void decoderRejectsGarbagePayload() {
        // Say (id 66 -> 0x44), then bytes that end inside the first varint.
        assertEquals("corrupt_payload", rejection(frame(hex("44ffffffff"))).reason());
    }

    @Test
    void decoderRejectsTrailingBytesAfterTheMessage() throws ProtocolException {
        var payload = payload(TestFrames.encode(new Notice("hi")));
        var padded = Arrays.copyOf(payload, payload.length + 3);

        var e = rejection(frame(padded));

        assertInstanceOf(CorruptPayloadException.class, e);
        assertEquals("3 bytes left after Notice in a " + padded.length + "-byte payload", e.getMessage());
    }

    @Test
    void decoderRejectsArrayLengthBeyondPayloadWithoutAllocatingIt() {
        // WhoList (id 76 -> 0x4e) claiming 2^31 - 2 entries; unguarded, Kryo would allocate the array first.
        var e = rejection(frame(hex("4effffffff07")));

        assertEquals("corrupt_payload", e.reason());
        assertTrue(e.getMessage().contains("WhoEntry[] of 2147483646 elements claimed"), e.getMessage());
    }

    @Test
    void decoderRejectsListCountBeyondPayloadWithoutAllocatingIt() {
        // RoomList (id 86 -> 0x58): total 0, offset 0, then a list claiming 2^31 - 1 rooms.
        var e = rejection(frame(hex("580000ffffffff07")));

        assertEquals("corrupt_payload", e.reason());
        assertTrue(
                e.getMessage().contains("list of 2147483647 elements claimed with 0 payload bytes left"),
                e.getMessage());
    }

    @Test
    void decoderRejectsStringLengthBeyondPayloadWithoutAllocatingIt() {
        // Notice (id 71 -> 0x49) whose text claims about 2^32 UTF-8 chars.
        var e = rejection(frame(hex("49ffffffff0f")));

        assertEquals("corrupt_payload", e.reason());
        assertTrue(e.getMessage().contains("chars claimed with 5 payload bytes left"), e.getMessage());
    }

    @Test
    void poisonedDecoderRefusesFurtherInput() throws ProtocolException {
        var decoder = new FrameDecoder(MAX);
        var bad = validFrame();
        bad[0] = 0;
        assertThrows(BadHeaderException.class, () -> decode(decoder, bad));

        assertThrows(IllegalStateException.class, () -> decode(decoder, validFrame()));
        assertThrows(IllegalStateException.class, () -> decoder.feed(ByteBuffer.allocate(0), m -> {}));
    }

    @Test
    void framesBeforeTheBadOneAreStillDelivered() throws ProtocolException {
        var good = TestFrames.encode(new Notice("first"));
        var bad = validFrame();
        bad[bad.length - 1] ^= 0x01;
        var stream = TestFrames.concat(List.of(good, bad));
        var out = new ArrayList<Object>();
        var decoder = new FrameDecoder(MAX);

        assertThrows(ChecksumMismatchException.class, () -> decoder.feed(ByteBuffer.wrap(stream), out::add));
        assertEquals(List.of(new Notice("first")), out);
    }

    @Test
    void rejectionIsTheSameHoweverTheStreamIsSplit() throws ProtocolException {
        var bad = validFrame();
        bad[bad.length - 1] ^= 0x01;
        for (int split = 0; split <= bad.length; split++) {
            var e = rejection(Arrays.copyOf(bad, split), Arrays.copyOfRange(bad, split, bad.length));
            assertEquals("bad_crc", e.reason(), "split=" + split);
        }
    }
}
