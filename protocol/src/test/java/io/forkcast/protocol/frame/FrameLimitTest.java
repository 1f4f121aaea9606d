package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.TestFrames.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.SupervisorMessage.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLimitTest {

    @Test
    void encoderRejectsFrameAboveTheLimit() {
        var encoder = new FrameEncoder(MAX);

        var e = assertThrows(FrameTooLargeException.class, () -> encoder.encode(new Notice("x".repeat(70_000))));

        assertEquals("too_large", e.reason());
        // class id 1 byte + length varint 3 bytes + 70000 chars
        assertEquals("frame of 70016 bytes exceeds limit of 65536", e.getMessage());
        assertTrue(e.headHex().startsWith("4643"), e.headHex());
    }

    @Test
    void encoderStillWorksAfterRejecting() throws ProtocolException {
        var encoder = new FrameEncoder(MAX);
        assertThrows(FrameTooLargeException.class, () -> encoder.encode(new Notice("x".repeat(70_000))));

        var frame = encoder.encode(new Notice("ok"));

        assertEquals(List.of(new Notice("ok")), TestFrames.decode(new FrameDecoder(MAX), TestFrames.bytes(frame)));
    }

    @Test
    void largestMessageUnderTheDefaultLimitRoundTrips() throws ProtocolException {
        var text = "y".repeat(MAX - FrameFormat.HEADER_BYTES - 4); // class id 1 byte + length varint 3 bytes
        var frame = new FrameEncoder(MAX).encode(new Notice(text));

        assertEquals(MAX, frame.limit());
        assertEquals(List.of(new Notice(text)), TestFrames.decode(new FrameDecoder(MAX), TestFrames.bytes(frame)));
    }

    @Test
    void limitWithNoRoomForAPayloadIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrameEncoder(FrameFormat.HEADER_BYTES));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(FrameFormat.HEADER_BYTES));
    }
}
