package io.forkcast.worker.front.telnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LineDisciplineTest {
    private static final int IAC = 255;
    private static final int DONT = 254;
    private static final int DO = 253;
    private static final int WONT = 252;
    private static final int WILL = 251;
    private static final int SB = 250;
    private static final int GA = 249;
    private static final int EL = 248;
    private static final int EC = 247;
    private static final int AYT = 246;
    private static final int AO = 245;
    private static final int IP = 244;
    private static final int BRK = 243;
    private static final int DM = 242;
    private static final int NOP = 241;
    private static final int SE = 240;
    private static final int ECHO = 1;
    private static final int TIMING_MARK = 6;
    private static final int TERMINAL_TYPE = 24;
    private static final int NAWS = 31;
    private static final int MAX = LineDiscipline.DEFAULT_MAX_LINE_BYTES;

    // ---- line endings

    @Test
    void crLfEndsALine() {
        assertEquals(List.of("line:hello"), allWays(bytes("hello\r\n")));
    }

    @Test
    void lfEndsALine() {
        assertEquals(List.of("line:hello"), allWays(bytes("hello\n")));
    }

    @Test
    void crNulEndsALine() {
        assertEquals(List.of("line:hello", "line:again"), allWays(bytes("hello\r", 0, "again\r", 0)));
    }

    @Test
    void crFollowedByAnotherByteEndsTheLineAndThatByteStartsTheNext() {
        assertEquals(List.of("line:one", "line:two"), allWays(bytes("one\rtwo\n")));
    }

    @Test
    void crAtTheEndOfOneFeedAndLfAtTheStartOfTheNextAreOneLineEnding() {
        assertEquals(List.of("line:a", "line:b"), feedChunks(MAX, bytes("a\r"), bytes("\nb\r"), bytes("\n")));
    }

    @Test
    void twoCrsInARowEndTwoLines() {
        assertEquals(List.of("line:a", "line:"), allWays(bytes("a\r\r\n")));
    }

    @Test
    void emptyLinesAreDeliveredAsEmptyStrings() {
        assertEquals(List.of("line:", "line:", "line:", "line:x"), allWays(bytes("\r\n\n\r", 0, "x\n")));
    }

    @Test
    void manyLinesInOneFeedAreDeliveredInOrder() {
        assertEquals(List.of("line:1", "line:2", "line:3"), allWays(bytes("1\r\n2\n3\r", 0)));
    }

    @Test
    void aPartialLineIsHeldUntilItsEnd() {
        var discipline = new LineDiscipline(MAX);
        var sink = new Recorder();
        discipline.feed(ByteBuffer.wrap(bytes("no end yet")), sink);
        assertEquals(List.of(), sink.calls);
        discipline.feed(ByteBuffer.wrap(bytes(" now\r\n")), sink);
        assertEquals(List.of("line:no end yet now"), sink.calls);
    }

    @Test
    void feedConsumesEveryByteOfHeapDirectAndReadOnlyBuffers() {
        byte[] input = bytes("a\r\nb", IAC, DO);
        var direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        for (var in :
                List.of(ByteBuffer.wrap(input), direct, ByteBuffer.wrap(input).asReadOnlyBuffer())) {
            var sink = new Recorder();
            new LineDiscipline(MAX).feed(in, sink);
            assertEquals(0, in.remaining());
            assertEquals(List.of("line:a"), sink.calls);
        }
    }

    // ---- the same bytes give the same calls however they are split

    static Stream<Arguments> corpus() {
        return Stream.of(
                corpusEntry(MAX, "plain\r\n"),
                corpusEntry(MAX, "a\rb\r", 0, "c\n\r\n\n"),
                corpusEntry(MAX, "x", IAC, WILL, ECHO, "y", IAC, DO, NAWS, IAC, WONT, ECHO, IAC, DONT, ECHO, "z\r\n"),
                corpusEntry(MAX, "half", IAC, IP, IAC, DO, TIMING_MARK, "next\r\n"),
                corpusEntry(MAX, "a", IAC, SB, TERMINAL_TYPE, 0, "xterm", IAC, IAC, 9, IAC, SE, "b\r\n"),
                corpusEntry(MAX, "a", IAC, IAC, "b\r\n"),
                corpusEntry(MAX, "caf\u00e9 \u20ac \uD83D\uDE00\r\n"),
                corpusEntry(MAX, "bad ", 0xC3, " ", 0xC0, 0xAF, " ", 0xE2, 0x82, "\r\n"),
                corpusEntry(MAX, "\u001b[31mred\u001b[0m\t\u0085\r\n"),
                corpusEntry(MAX, "abc\b\b", 0x7F, "d\r\n"),
                corpusEntry(MAX, "ab", IAC, EC, "c", IAC, EL, "fresh\r\n"),
                corpusEntry(MAX, "a\r", IAC, NOP, "\nb\r\n"),
                corpusEntry(MAX, IAC, NOP, IAC, DM, IAC, BRK, IAC, AO, IAC, AYT, IAC, GA, IAC, SE, "ok\n"),
                corpusEntry(MAX, IAC, SB, NAWS, 0, 80, IAC, DO, ECHO, "after\r\n"),
                corpusEntry(8, "12345678\r\n123456789\r", 0, "z\n", "123456789", IAC, DO, ECHO, "\n"),
                corpusEntry(8, "123456789", IAC, IP, "ok\n\u20ac\u20ac\u20ac\r\n"));
    }

    private static Arguments corpusEntry(int maxLineBytes, Object... parts) {
        return Arguments.of(maxLineBytes, bytes(parts));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void wholeOneByteAtATimeAndSplitAnywhereGiveTheSameCalls(int maxLineBytes, byte[] input) {
        var whole = feedChunks(maxLineBytes, input);
        assertEquals(whole, feedOneByteAtATime(maxLineBytes, input), "one byte at a time");
        for (int at = 0; at <= input.length; at++) {
            var head = Arrays.copyOfRange(input, 0, at);
            var tail = Arrays.copyOfRange(input, at, input.length);
            assertEquals(whole, feedChunks(maxLineBytes, head, tail), "split at " + at);
        }
        for (int first = 1; first < input.length; first++) {
            for (int second = first + 1; second < input.length; second++) {
                var chunks = new byte[][] {
                    Arrays.copyOfRange(input, 0, first),
                    Arrays.copyOfRange(input, first, second),
                    Arrays.copyOfRange(input, second, input.length)
                };
                assertEquals(whole, feedChunks(maxLineBytes, chunks), "split at " + first + " and " + second);
            }
        }
    }

    // ---- option negotiation

    @Test
    void iacWillIsRefusedWithDont() {
        assertEquals(List.of("reply:ff fe 01"), allWays(bytes(IAC, WILL, ECHO)));
    }

    @Test
    void iacDoIsRefusedWithWont() {
        assertEquals(List.of("reply:ff fc 1f"), allWays(bytes(IAC, DO, NAWS)));
    }

    @Test
    void wontAndDontGetNoReply() {
        assertEquals(List.of("line:ok"), allWays(bytes(IAC, WONT, ECHO, IAC, DONT, ECHO, "ok\n")));
    }

    @Test
    void doTimingMarkIsAnswered() {
        assertEquals(List.of("reply:ff fb 06"), allWays(bytes(IAC, DO, TIMING_MARK)));
    }

    @Test
    void willTimingMarkIsRefused() {
        assertEquals(List.of("reply:ff fe 06"), allWays(bytes(IAC, WILL, TIMING_MARK)));
    }

    @Test
    void negotiationInTheMiddleOfALineLeavesTheLineWhole() {
        assertEquals(List.of("reply:ff fc 01", "line:hello"), allWays(bytes("hel", IAC, DO, ECHO, "lo\r\n")));
    }

    @Test
    void eachReplyIsAFreshArray() {
        var replies = new ArrayList<byte[]>();
        var sink = new Recorder() {
            @Override
            public void reply(byte[] telnetBytes) {
                replies.add(telnetBytes);
            }
        };
        new LineDiscipline(MAX).feed(ByteBuffer.wrap(bytes(IAC, DO, TIMING_MARK, IAC, DO, TIMING_MARK)), sink);
        assertEquals(2, replies.size());
        assertNotSame(replies.get(0), replies.get(1));
    }

    // ---- subnegotiation and other commands

    @Test
    void subnegotiationIsSwallowed() {
        assertEquals(List.of("line:abcd"), allWays(bytes("ab", IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE, "cd\r\n")));
    }

    @Test
    void iacIacInsideSubnegotiationIsAnEscapedByteNotItsEnd() {
        assertEquals(
                List.of("line:ok"),
                allWays(bytes(IAC, SB, TERMINAL_TYPE, IAC, IAC, SE, "still inside", IAC, SE, "ok\r\n")));
    }

    @Test
    void subnegotiationSplitAcrossFeedsIsSwallowed() {
        assertEquals(
                List.of("line:ab"),
                feedChunks(
                        MAX,
                        bytes("a", IAC),
                        bytes(SB, TERMINAL_TYPE),
                        bytes(0, "vt1"),
                        bytes("00", IAC),
                        bytes(SE, "b\n")));
    }

    @Test
    void subnegotiationContentIsNotBufferedHoweverLong() {
        var big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        var calls = feedChunks(16, bytes(IAC, SB, TERMINAL_TYPE), big, big, bytes(IAC, SE, "short\n"));
        assertEquals(List.of("line:short"), calls);
    }

    @Test
    void aCommandInsideAnUnterminatedSubnegotiationEndsIt() {
        assertEquals(
                List.of("reply:ff fc 01", "line:after"), allWays(bytes(IAC, SB, NAWS, 0, IAC, DO, ECHO, "after\n")));
    }

    @Test
    void iacIacIsALiteral0xFF() {
        // 0xFF alone is never valid UTF-8, so the data byte shows as U+FFFD rather than vanishing.
        assertEquals(List.of("line:a\uFFFDb"), allWays(bytes("a", IAC, IAC, "b\r\n")));
    }

    @Test
    void twoByteCommandsAreSwallowed() {
        assertEquals(
                List.of("line:abcdefgh"),
                allWays(bytes(
                        "a", IAC, NOP, "b", IAC, DM, "c", IAC, BRK, "d", IAC, AO, "e", IAC, AYT, "f", IAC, GA, "g", IAC,
                        SE, "h\n")));
    }

    @Test
    void unassignedCommandCodesAreSwallowed() {
        assertEquals(List.of("line:ab"), allWays(bytes("a", IAC, 0, IAC, (int) 'x', IAC, 200, "b\n")));
    }

    @Test
    void debianCtrlCDiscardsThePartialLineAndAnswersTimingMark() {
        assertEquals(
                List.of("reply:ff fb 06", "line:next"),
                allWays(bytes("half typed", IAC, IP, IAC, DO, TIMING_MARK, "next\r\n")));
    }

    @Test
    void interruptForgetsAnOverlongLine() {
        assertEquals(List.of("line:ok"), feedChunks(8, bytes("0123456789", IAC, IP, "ok\n")));
    }

    @Test
    void eraseCharacterRemovesTheLastCharacterOfTheLine() {
        assertEquals(List.of("line:ab"), allWays(bytes("abc", IAC, EC, "\r\n")));
    }

    @Test
    void eraseCharacterRemovesAWholeMultiByteCharacter() {
        assertEquals(List.of("line:a"), allWays(bytes("a\u20ac", IAC, EC, "\r\n")));
        assertEquals(List.of("line:a"), allWays(bytes("a\uD83D\uDE00", IAC, EC, "\r\n")));
    }

    @Test
    void eraseCharacterOnAnEmptyLineDoesNothing() {
        assertEquals(List.of("line:x"), allWays(bytes(IAC, EC, IAC, EC, "x\n")));
    }

    @Test
    void eraseLineDiscardsTheCurrentLine() {
        assertEquals(List.of("line:kept", "line:new"), allWays(bytes("kept\nold", IAC, EL, "new\n")));
    }

    @Test
    void aCommandBetweenCrAndLfDoesNotSplitTheLineEnding() {
        assertEquals(List.of("line:a", "line:b"), allWays(bytes("a\r", IAC, NOP, "\nb\r\n")));
    }

    // ---- decoding

    @Test
    void multiByteCharactersSurviveSplitsAcrossFeeds() {
        var input = bytes("caf\u00e9 \u20ac \uD83D\uDE00\r\n");
        assertEquals(List.of("line:caf\u00e9 \u20ac \uD83D\uDE00"), allWays(input));
        assertEquals(List.of("line:caf\u00e9 \u20ac \uD83D\uDE00"), feedOneByteAtATime(MAX, input));
    }

    @Test
    void aLoneLeadByteBecomesAReplacementCharacter() {
        assertEquals(List.of("line:x\uFFFDy"), allWays(bytes("x", 0xC3, "y\n")));
    }

    @Test
    void anOverlongEncodingBecomesReplacementCharactersNotASlash() {
        for (var overlong : List.of(bytes(0xC0, 0xAF), bytes(0xE0, 0x80, 0xAF), bytes(0xF0, 0x80, 0x80, 0xAF))) {
            var calls = allWays(bytes(overlong, "\n"));
            assertEquals(1, calls.size());
            var text = calls.getFirst().substring("line:".length());
            assertTrue(!text.isEmpty() && text.chars().allMatch(c -> c == 0xFFFD), calls.toString());
        }
    }

    @Test
    void anEncodedSurrogateBecomesReplacementCharacters() {
        var text = allWays(bytes(0xED, 0xA0, 0x80, "\n")).getFirst().substring("line:".length());
        assertTrue(!text.isEmpty() && text.chars().allMatch(c -> c == 0xFFFD), text);
    }

    @Test
    void aTruncatedCharacterAtTheEndOfALineBecomesAReplacementCharacter() {
        assertEquals(List.of("line:a\uFFFD", "line:b"), allWays(bytes("a", 0xE2, 0x82, "\r\nb\n")));
    }

    // ---- cleaning

    @Test
    void escapeIsRemovedSoAnsiSequencesBecomePlainText() {
        assertEquals(List.of("line:[31mred[0m [2J"), allWays(bytes("\u001b[31mred\u001b[0m \u001b[2J\r\n")));
    }

    @Test
    void c1ControlsAreRemoved() {
        assertEquals(List.of("line:ab"), allWays(bytes("a\u0085\u009b\u0080\u009fb\n")));
    }

    @Test
    void c0ControlsAreRemovedButTabIsKept() {
        assertEquals(List.of("line:abc\td"), allWays(bytes("a", 0, "b\u0007\u0001c\t\u000b\u000cd\n")));
    }

    @Test
    void backspaceErasesThePreviousCharacter() {
        assertEquals(List.of("line:ad"), allWays(bytes("abc\b\bd\r", 0)));
    }

    @Test
    void delErasesThePreviousCodePointNotByte() {
        assertEquals(List.of("line:a"), allWays(bytes("a\u20ac", 0x7F, "\r", 0)));
        assertEquals(List.of("line:a"), allWays(bytes("a\uD83D\uDE00", 0x7F, "\r", 0)));
    }

    @Test
    void backspaceAtTheStartOfALineErasesNothing() {
        assertEquals(List.of("line:x"), allWays(bytes("\b\b", 0x7F, "x\n")));
    }

    // ---- length limit

    @Test
    void aLineOfExactlyTheLimitIsAccepted() {
        var text = "a".repeat(MAX);
        assertEquals(List.of("line:" + text), feedChunks(MAX, bytes(text, "\r\n")));
    }

    @Test
    void aLineOneByteOverTheLimitIsDroppedWithOneNoticeAndTheNextLineIsIntact() {
        var input = bytes("a".repeat(MAX + 1), "\r\nnext line\r\n");
        assertEquals(List.of("tooLong:" + MAX, "line:next line"), feedChunks(MAX, input));
        assertEquals(List.of("tooLong:" + MAX, "line:next line"), feedOneByteAtATime(MAX, input));
    }

    @Test
    void aTenKilobyteLineSplitOverManyFeedsGivesOneNotice() {
        var discipline = new LineDiscipline(MAX);
        var sink = new Recorder();
        var chunk = bytes("0123456789".repeat(10));
        for (int i = 0; i < 100; i++) {
            discipline.feed(ByteBuffer.wrap(chunk), sink);
        }
        discipline.feed(ByteBuffer.wrap(bytes("\r")), sink);
        discipline.feed(ByteBuffer.wrap(bytes("\nafter\r\n")), sink);
        assertEquals(List.of("tooLong:" + MAX, "line:after"), sink.calls);
    }

    @Test
    void theLimitCountsRawBytesBeforeCleaning() {
        assertEquals(List.of("tooLong:5"), feedChunks(5, bytes("ab\b\b\bcd\n")));
        assertEquals(
                List.of("tooLong:8", "line:\u20ac\u20ac"), feedChunks(8, bytes("\u20ac\u20ac\u20ac\n\u20ac\u20ac\n")));
    }

    @Test
    void telnetCommandsAndLineEndingsDoNotCountTowardsTheLimit() {
        assertEquals(
                List.of("reply:ff fc 01", "line:abcd"), feedChunks(4, bytes("ab", IAC, DO, ECHO, IAC, NOP, "cd\r\n")));
    }

    @Test
    void raisingTheLimitMidLineKeepsThePartialLine() {
        var discipline = new LineDiscipline(4);
        var sink = new Recorder();
        discipline.feed(ByteBuffer.wrap(bytes("abcd")), sink);
        discipline.setMaxLineBytes(8);
        discipline.feed(ByteBuffer.wrap(bytes("efgh\n")), sink);
        assertEquals(List.of("line:abcdefgh"), sink.calls);
    }

    @Test
    void loweringTheLimitBelowAPartialLineDropsItWhenItEnds() {
        var discipline = new LineDiscipline(16);
        var sink = new Recorder();
        discipline.feed(ByteBuffer.wrap(bytes("abcdef")), sink);
        discipline.setMaxLineBytes(4);
        discipline.feed(ByteBuffer.wrap(bytes("g\nabcd\n")), sink);
        assertEquals(List.of("tooLong:4", "line:abcd"), sink.calls);
        assertEquals(4, discipline.maxLineBytes());
    }

    @Test
    void theSinkMayChangeTheLimitFromInsideACallback() {
        var discipline = new LineDiscipline(4);
        var sink = new Recorder() {
            @Override
            public void line(String text) {
                super.line(text);
                discipline.setMaxLineBytes(2);
            }
        };
        discipline.feed(ByteBuffer.wrap(bytes("abcd\nabc\nab\n")), sink);
        assertEquals(List.of("line:abcd", "tooLong:2", "line:ab"), sink.calls);
    }

    @Test
    void stopFromInsideACallbackLeavesTheRestForTheNextFeed() {
        var discipline = new LineDiscipline(MAX);
        var sink = new Recorder() {
            @Override
            public void line(String text) {
                super.line(text);
                if (text.equals("two")) {
                    discipline.stop();
                }
            }
        };
        var in = ByteBuffer.wrap(bytes("one\r\ntwo\r\nthree\r\n"));
        discipline.feed(in, sink);
        assertEquals(List.of("line:one", "line:two"), sink.calls);
        assertEquals(8, in.remaining(), "the LF after two's CR and three's line stay");
        discipline.feed(in, sink);
        assertEquals(List.of("line:one", "line:two", "line:three"), sink.calls);
        assertFalse(in.hasRemaining());
    }

    @Test
    void aLimitBelowOneIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LineDiscipline(0));
        assertEquals("maxLineBytes=0 must be at least 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LineDiscipline(MAX).setMaxLineBytes(-1));
    }

    // ---- helpers

    /** Records every sink call as one string: {@code line:<text>}, {@code reply:<hex>}, {@code tooLong:<max>}. */
    static class Recorder implements LineDiscipline.Sink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void line(String text) {
            calls.add("line:" + text);
        }

        @Override
        public void reply(byte[] telnetBytes) {
            calls.add("reply:" + HexFormat.ofDelimiter(" ").formatHex(telnetBytes));
        }

        @Override
        public void lineTooLong(int maxLineBytes) {
            calls.add("tooLong:" + maxLineBytes);
        }
    }

    /** The calls for {@code input} fed whole, after checking that every other way of feeding it agrees. */
    private static List<String> allWays(byte[] input) {
        var whole = feedChunks(MAX, input);
        assertEquals(whole, feedOneByteAtATime(MAX, input), "one byte at a time");
        for (int at = 1; at < input.length; at++) {
            var head = Arrays.copyOfRange(input, 0, at);
            var tail = Arrays.copyOfRange(input, at, input.length);
            assertEquals(whole, feedChunks(MAX, head, tail), "split at " + at);
        }
        return whole;
    }

    private static List<String> feedChunks(int maxLineBytes, byte[]... chunks) {
        var discipline = new LineDiscipline(maxLineBytes);
        var sink = new Recorder();
        for (var chunk : chunks) {
            var in = ByteBuffer.wrap(chunk);
            discipline.feed(in, sink);
            assertEquals(0, in.remaining(), "feed must consume every byte");
        }
        return sink.calls;
    }

    private static List<String> feedOneByteAtATime(int maxLineBytes, byte[] input) {
        var chunks = new byte[input.length][];
        for (int i = 0; i < input.length; i++) {
            chunks[i] = new byte[] {input[i]};
        }
        return feedChunks(maxLineBytes, chunks);
    }

    /** Concatenates parts: a String as UTF-8, an Integer as one byte, a byte[] as is. */
    private static byte[] bytes(Object... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            switch (part) {
                case String s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                case Integer i -> out.write(i);
                case byte[] b -> out.writeBytes(b);
                default -> throw new IllegalArgumentException("cannot turn into bytes: " + part);
            }
        }
        return out.toByteArray();
    }
}
