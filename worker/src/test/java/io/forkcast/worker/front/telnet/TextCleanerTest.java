package io.forkcast.worker.front.telnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TextCleanerTest {
    @Test
    void plainTextIsReturnedAsTheSameInstance() {
        var text = "hello, w\u00f6rld \u20ac \uD83D\uDE00\tend";
        assertSame(text, TextCleaner.clean(text));
    }

    @Test
    void escapeIsRemovedSoAnsiSequencesBecomePlainText() {
        assertEquals("[1;31mbold[0m]0;title", TextCleaner.clean("\u001b[1;31mbold\u001b[0m\u001b]0;title\u0007"));
    }

    @Test
    void everyC0ControlExceptTabIsRemoved() {
        var all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            if (c != '\b') {
                all.append(c);
            }
        }
        assertEquals("\t", TextCleaner.clean(all.toString()));
    }

    @Test
    void everyC1ControlIsRemoved() {
        var all = new StringBuilder("a");
        for (char c = 0x80; c <= 0x9F; c++) {
            all.append(c);
        }
        assertEquals("ab", TextCleaner.clean(all.append('b').toString()));
    }

    @Test
    void charactersNextToTheControlRangesAreKept() {
        assertEquals(" ~\u00a0\u00ff", TextCleaner.clean(" ~\u00a0\u00ff"));
    }

    @Test
    void backspaceAndDelEraseThePreviousCodePoint() {
        assertEquals("ad", TextCleaner.clean("abc\b\u007fd"));
        assertEquals("a", TextCleaner.clean("a\uD83D\uDE00\b"));
        assertEquals("", TextCleaner.clean("\b\u007fx\b\b"));
    }

    @Test
    void backspaceErasesAKeptCharacterNotARemovedControl() {
        assertEquals("a", TextCleaner.clean("ab\u001b\b"));
    }

    @Test
    void cleanIntoNeverErasesWhatTheBuilderAlreadyHeld() {
        var out = new StringBuilder("prefix:");
        TextCleaner.cleanInto("x\b\b\b", out);
        assertEquals("prefix:", out.toString());
    }

    @Test
    void isControlMatchesWhatCleanRemoves() {
        for (char c = 0; c < 0x200; c++) {
            boolean expected = c != '\t' && (c < 0x20 || (c >= 0x7F && c <= 0x9F));
            assertEquals(expected, TextCleaner.isControl(c), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void bidiOverridesZeroWidthCharactersAndLongCombiningRunsAreRemoved() {
        assertEquals("evil.exe", TextCleaner.clean("evil\u202Eexe.\u202C".replace("exe.", ".exe")));
        assertEquals("ab", TextCleaner.clean("a\u200B\u200D\uFEFF\u2068b"));
        assertEquals("Z\u0301\u0302\u0303", TextCleaner.clean("Z\u0301\u0302\u0303\u0304\u0305"));
    }

    @Test
    void backspaceErasesAnInvisibleCharacterBeforeItIsRemoved() {
        assertEquals("ab", TextCleaner.clean("a\u200B\bb"));
    }
}
