package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455's framing rules, from the client's side: each frame fed whole and a byte at a time. */
class WsFrameDecoderTest {
    /** What the decoder told its sink, one string per event. */
    private final List<String> seen = new ArrayList<>();

    private final WsFrameDecoder.Sink sink = new WsFrameDecoder.Sink() {
        @Override
        public void text(String message) {
            seen.add("text " + message);
        }

        @Override
        public void ping(byte[] payload) {
            seen.add("ping " + new String(payload, UTF_8));
        }

        @Override
        public void pong() {
            seen.add("pong");
        }

        @Override
        public void close(int code, String reason) {
            seen.add("close " + code + " " + reason);
        }

        @Override
        public void violation(int code, String reason) {
            seen.add("violation " + code);
        }
    };

    /** A client frame: {@code b0} (FIN, RSV, opcode), masked unless {@code masked} is false. */
    static byte[] frame(int b0, byte[] payload, boolean masked) {
        var out = new ByteArrayOutputStream();
        out.write(b0);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            out.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            for (int i = 0; i < 8; i++) {
                out.write((int) ((long) n >> (56 - 8 * i)));
            }
        }
        byte[] key = {0x37, (byte) 0xfa, 0x21, 0x3d};
        if (masked) {
            out.write(key, 0, 4);
        }
        for (int i = 0; i < n; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] frame(int b0, String text) {
        return frame(b0, text.getBytes(UTF_8), true);
    }

    private List<String> feedWhole(int max, byte[]... frames) {
        var decoder = new WsFrameDecoder(max);
        for (byte[] f : frames) {
            decoder.feed(ByteBuffer.wrap(f), sink);
        }
        return seen;
    }

    private List<String> feedByteByByte(int max, byte[]... frames) {
        var decoder = new WsFrameDecoder(max);
        for (byte[] f : frames) {
            for (byte b : f) {
                decoder.feed(ByteBuffer.wrap(new byte[] {b}), sink);
            }
        }
        return seen;
    }

    @Test
    void maskedTextIsUnmasked() {
        assertEquals(List.of("text Hello"), feedWhole(100, frame(0x81, "Hello")));
    }

    @Test
    void rfcExampleOfAMaskedHello() {
        // RFC 6455 section 5.7: a single-frame masked text message containing "Hello".
        byte[] rfc = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        assertEquals(List.of("text Hello"), feedByteByByte(100, rfc));
    }

    @Test
    void unmaskedFrameIsAProtocolError() {
        assertEquals(List.of("violation 1002"), feedWhole(100, frame(0x81, "Hello".getBytes(UTF_8), false)));
    }

    @Test
    void reservedBitsAndOpcodesAreProtocolErrors() {
        for (int b0 : new int[] {0xC1, 0xA1, 0x91, 0x83, 0x87, 0x8B, 0x8F}) {
            seen.clear();
            assertEquals(List.of("violation 1002"), feedWhole(100, frame(b0, "x")), "b0=" + b0);
        }
    }

    @Test
    void binaryIsUnsupportedData() {
        assertEquals(List.of("violation 1003"), feedWhole(100, frame(0x82, "x")));
    }

    @Test
    void controlFramesAreShortAndWhole() {
        assertEquals(List.of("violation 1002"), feedWhole(1000, frame(0x89, "x".repeat(126))));
        seen.clear();
        assertEquals(List.of("violation 1002"), feedWhole(1000, frame(0x09, "x")));
        seen.clear();
        assertEquals(List.of("ping " + "x".repeat(125)), feedWhole(1000, frame(0x89, "x".repeat(125))));
    }

    @Test
    void fragmentedTextWithACharacterSplitAcrossFramesAndAPingBetween() {
        byte[] euro = "€".getBytes(UTF_8); // three bytes: the first in one fragment, the rest in the next
        byte[] first = {'a', euro[0]};
        byte[] second = {euro[1], euro[2], 'b'};
        var frames = new byte[][] {frame(0x01, first, true), frame(0x89, "p"), frame(0x80, second, true)};
        assertEquals(List.of("ping p", "text a€b"), feedByteByByte(100, frames));
        seen.clear();
        assertEquals(List.of("ping p", "text a€b"), feedWhole(100, frames));
    }

    @Test
    void continuationOutOfPlaceIsAProtocolError() {
        assertEquals(List.of("violation 1002"), feedWhole(100, frame(0x80, "x")));
        seen.clear();
        assertEquals(List.of("violation 1002"), feedWhole(100, frame(0x01, "x"), frame(0x81, "y")));
    }

    @Test
    void invalidUtf8IsRefusedAtTheFirstBadByteEvenInAnUnfinishedMessage() {
        assertEquals(List.of("violation 1007"), feedWhole(100, frame(0x01, new byte[] {'a', (byte) 0xC0}, true)));
        seen.clear();
        // A surrogate (ED A0 80) and an overlong form (E0 80 80), and a message ending mid-character.
        assertEquals(
                List.of("violation 1007"), feedWhole(100, frame(0x81, new byte[] {(byte) 0xED, (byte) 0xA0}, true)));
        seen.clear();
        assertEquals(
                List.of("violation 1007"), feedWhole(100, frame(0x81, new byte[] {(byte) 0xE0, (byte) 0x80}, true)));
        seen.clear();
        assertEquals(
                List.of("violation 1007"), feedWhole(100, frame(0x81, new byte[] {(byte) 0xE2, (byte) 0x82}, true)));
    }

    @Test
    void sizeIsCheckedFromTheHeaderBeforeAnyPayloadIsBuffered() {
        // A header announcing 16 MiB, with no payload at all: refused at once.
        byte[] head = {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4};
        assertEquals(List.of("violation 1009"), feedWhole(65536, head));
        seen.clear();
        // Over the limit only with its fragments together.
        assertEquals(List.of("violation 1009"), feedWhole(10, frame(0x01, "123456"), frame(0x80, "78901")));
        seen.clear();
        assertEquals(List.of("text " + "x".repeat(10)), feedWhole(10, frame(0x81, "x".repeat(10))));
    }

    @Test
    void closeFramesAndTheirCodes() {
        assertEquals(
                List.of("close 1000 bye"),
                feedWhole(100, frame(0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, true)));
        seen.clear();
        assertEquals(List.of("close 1005 "), feedWhole(100, frame(0x88, new byte[0], true)));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 2999, 5000}) {
            seen.clear();
            byte[] body = {(byte) (code >> 8), (byte) code};
            assertEquals(List.of("violation 1002"), feedWhole(100, frame(0x88, body, true)), "code " + code);
        }
        seen.clear();
        assertEquals(List.of("violation 1002"), feedWhole(100, frame(0x88, new byte[] {3}, true)));
        seen.clear();
        assertEquals(
                List.of("violation 1002"), feedWhole(100, frame(0x88, new byte[] {3, (byte) 0xE8, (byte) 0xFF}, true)));
    }

    @Test
    void nothingIsReadAfterAClose() {
        var decoder = new WsFrameDecoder(100);
        byte[] close = frame(0x88, new byte[] {0x03, (byte) 0xE8}, true);
        byte[] text = frame(0x81, "late");
        var both = ByteBuffer.allocate(close.length + text.length)
                .put(close)
                .put(text)
                .flip();
        decoder.feed(both, sink);
        assertTrue(decoder.done());
        assertEquals(List.of("close 1000 "), seen);
    }

    @Test
    void utf8ValidatorTakesAFourByteCharacterByteByByte() {
        var v = new Utf8Validator();
        byte[] b = "😀".getBytes(UTF_8);
        for (byte x : b) {
            assertTrue(v.accept(new byte[] {x}, 0, 1));
        }
        assertTrue(v.complete());
        assertFalse(new Utf8Validator().accept(new byte[] {(byte) 0xF5}, 0, 1));
    }
}
