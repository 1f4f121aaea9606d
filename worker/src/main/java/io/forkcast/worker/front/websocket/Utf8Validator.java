package io.forkcast.worker.front.websocket;

/**
 * Checks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) one byte at a time, so that a
 * text message is refused at its first bad byte, even when a character is split across frames or reads.
 * Confined to the worker's loop thread.
 */
final class Utf8Validator {
    /** Continuation bytes still expected for the character under way; 0 between characters. */
    private int needed;
    /** The range the next continuation byte must fall in; narrower after E0, ED, F0 and F4. */
    private int lower = 0x80;

    private int upper = 0xBF;

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; false at the first that is not UTF-8. */
    boolean accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!accept(bytes[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private boolean accept(int b) {
        if (needed == 0) {
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                lower = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                upper = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                lower = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                upper = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be past U+10FFFF
            } else {
                return false; // a stray continuation byte, C0, C1, or F5..FF
            }
            return true;
        }
        if (b < lower || b > upper) {
            return false;
        }
        lower = 0x80;
        upper = 0xBF;
        needed--;
        return true;
    }

    /** True between characters: a message may end here. */
    boolean complete() {
        return needed == 0;
    }

    /** Forgets the character under way, for the next message. */
    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
