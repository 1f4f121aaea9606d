package io.forkcast.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameFormatTest {

    @Test
    void hexHeadRendersFromPositionInLowercaseWithoutMovingIt() {
        var buf = ByteBuffer.wrap(new byte[] {0x00, 0x46, 0x43, (byte) 0xAB, 0x0F})
                .position(1);

        assertEquals("4643ab0f", FrameFormat.hexHead(buf, 32));
        assertEquals(1, buf.position());
        assertEquals(5, buf.limit());
    }

    @Test
    void hexHeadStopsAtMaxBytes() {
        var buf = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});

        assertEquals("0102", FrameFormat.hexHead(buf, 2));
        assertEquals("", FrameFormat.hexHead(buf, 0));
        assertEquals("", FrameFormat.hexHead(buf.position(4), 8));
    }

    @Test
    void headerIsTwelveBytesAndDefaultLimitIs64KiB() {
        assertEquals(12, FrameFormat.HEADER_BYTES);
        assertEquals(65536, FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        assertEquals('F', FrameFormat.MAGIC_0);
        assertEquals('C', FrameFormat.MAGIC_1);
        assertEquals(1, FrameFormat.VERSION);
    }
}
