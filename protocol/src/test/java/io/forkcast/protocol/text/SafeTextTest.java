package io.forkcast.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void plainTextIsReturnedAsTheSameInstance() {
        var text = "hello, w\u00f6rld \u20ac \uD83D\uDE00\tend cafe\u0301";
        assertSame(text, SafeText.clean(text));
    }

    @Test
    void bidiOverridesAndIsolatesAreRemoved() {
        for (int cp : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
            assertEquals("abcdef", SafeText.clean("abc" + Character.toString(cp) + "def"), Integer.toHexString(cp));
        }
    }

    @Test
    void zeroWidthCharactersAreRemoved() {
        for (int cp : new int[] {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}) {
            assertEquals("ab", SafeText.clean("a" + Character.toString(cp) + "b"), Integer.toHexString(cp));
        }
    }

    @Test
    void combiningMarksPastThreeInARowAreRemoved() {
        String three = "e\u0301\u0302\u0303";
        assertSame(three, SafeText.clean(three));
        assertEquals("e\u0301\u0302\u0303x", SafeText.clean("e\u0301\u0302\u0303\u0304\u0305\u0306x"));
        // The count starts again on each base character.
        assertEquals(
                "a\u0301\u0301\u0301b\u0301\u0301\u0301",
                SafeText.clean("a\u0301\u0301\u0301\u0301b\u0301\u0301\u0301\u0301"));
    }

    @Test
    void controlsAreRemovedAsTheTelnetCleanerDoes() {
        assertEquals("[1mbold\tx", SafeText.clean("\u001b[1mbold\u0085\tx\u007f"));
    }

    @Test
    void supplementaryCharactersSurviveCleaningAroundThem() {
        assertEquals("\uD83D\uDE00\uD83D\uDE01", SafeText.clean("\uD83D\uDE00\u202E\uD83D\uDE01"));
    }

    @Test
    void cleanFromKeepsWhatCameBefore() {
        var out = new StringBuilder("\u202Ekept:");
        int from = out.length();
        out.append("a\u200Bb");
        SafeText.cleanFrom(out, from);
        assertEquals("\u202Ekept:ab", out.toString());
    }

    @Test
    void nullStaysNull() {
        assertNull(SafeText.clean(null));
    }
}
