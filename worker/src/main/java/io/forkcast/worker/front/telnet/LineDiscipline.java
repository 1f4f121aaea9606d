package io.forkcast.worker.front.telnet;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * Turns one telnet client's bytes into complete, cleaned lines plus the telnet replies owed to it (RFC 854/855:
 * every option refused except TIMING-MARK). Pure logic, no I/O; confined to the worker's event-loop thread.
 */
public final class LineDiscipline {
    /** The line limit the server uses unless configured otherwise. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;

    /** Receives what {@link #feed} finds, synchronously and in input order. */
    public interface Sink {
        /** A complete line, decoded as UTF-8 and cleaned by {@link TextCleaner}; empty for a blank line. */
        void line(String text);

        /** Telnet bytes to send back to the client; a fresh array the sink may keep. */
        void reply(byte[] telnetBytes);

        /** A line passed {@code maxLineBytes} raw bytes; it was dropped whole and has now ended. */
        void lineTooLong(int maxLineBytes);
    }

    private static final int IAC = 255;
    private static final int DONT = 254;
    private static final int DO = 253;
    private static final int WONT = 252;
    private static final int WILL = 251;
    private static final int SB = 250;
    private static final int EL = 248;
    private static final int EC = 247;
    private static final int IP = 244;
    private static final int SE = 240;
    private static final int ECHO = 1;
    private static final int TIMING_MARK = 6;
    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int NUL = 0;

    private enum State {
        DATA,
        COMMAND, // after IAC
        OPTION, // after IAC WILL/WONT/DO/DONT
        SUBNEGOTIATION, // after IAC SB, content ignored
        SUBNEGOTIATION_IAC // after IAC inside SB
    }

    private final CharsetDecoder decoder = UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final StringBuilder cleaned = new StringBuilder();
    private int maxLineBytes;
    private byte[] line;
    private ByteBuffer lineView;
    private CharBuffer chars;
    private int length; // raw data bytes of the current line held in `line`
    private boolean overflowed; // the current line passed the limit: discard until its end
    private int overflowLimit; // the limit it passed, reported at its end
    private boolean afterCr; // a CR just ended a line: a following LF or NUL belongs to that ending
    private State state = State.DATA;
    private int verb;
    private boolean stopped; // the sink asked the feed under way to stop; cleared by the next feed
    private boolean echoOffered; // we sent WILL ECHO (a password prompt): the client's DO ECHO is its yes

    /** A discipline whose lines may hold up to {@code maxLineBytes} raw data bytes; allocates its buffers now. */
    public LineDiscipline(int maxLineBytes) {
        requireValid(maxLineBytes);
        resize(maxLineBytes);
    }

    /** The current limit on a line's raw data bytes (line ending and telnet commands not counted). */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Changes the limit from the next byte on. A partial line already longer than the new limit is dropped and
     * reported when it ends. Reallocates the line buffer; call it when the limit changes, not per line.
     */
    public void setMaxLineBytes(int maxLineBytes) {
        requireValid(maxLineBytes);
        if (maxLineBytes == this.maxLineBytes) {
            return;
        }
        if (!overflowed && length > maxLineBytes) {
            overflowed = true;
            overflowLimit = maxLineBytes;
            length = 0;
        }
        resize(maxLineBytes);
        cleaned.setLength(0);
        cleaned.trimToSize();
    }

    /**
     * Consumes every remaining byte of {@code in}, calling {@code sink} for each line ending, overlong line and
     * telnet request found. Anything incomplete (a partial line, half a telnet command, half a UTF-8 character)
     * carries over to the next call. If the sink throws, or calls {@link #stop}, the bytes after the one being
     * handled stay in {@code in}.
     */
    public void feed(ByteBuffer in, Sink sink) {
        stopped = false;
        while (!stopped && in.hasRemaining()) {
            int b = in.get() & 0xFF;
            switch (state) {
                case DATA -> {
                    if (b == IAC) {
                        state = State.COMMAND;
                    } else {
                        data(b, sink);
                    }
                }
                case COMMAND -> command(b, sink);
                case OPTION -> negotiate(b, sink);
                case SUBNEGOTIATION -> {
                    if (b == IAC) {
                        state = State.SUBNEGOTIATION_IAC;
                    }
                }
                case SUBNEGOTIATION_IAC -> {
                    if (b == SE) {
                        state = State.DATA;
                    } else if (b == IAC) {
                        state = State.SUBNEGOTIATION; // an escaped 255 inside SB
                    } else {
                        command(b, sink); // a malformed SB: end it at the next command, as libtelnet does
                    }
                }
            }
        }
    }

    /**
     * Called by the sink from inside a callback: the feed under way returns after the byte being handled, leaving
     * the rest in its buffer for a later call (the worker holds a client's input while its hub backlog is full).
     */
    public void stop() {
        stopped = true;
    }

    /**
     * The bytes that ask the client to stop echoing what it types (IAC WILL ECHO: the server echoes, and will echo
     * nothing), for a password; the client's DO ECHO that follows is taken as its agreement, not answered.
     */
    public byte[] hideInput() {
        echoOffered = true;
        return new byte[] {(byte) IAC, (byte) WILL, (byte) ECHO};
    }

    /**
     * The bytes that give the client its own echo back (IAC WONT ECHO), after a password: sent whether or not it
     * agreed to {@link #hideInput}, since a client that never stopped echoing simply ignores it.
     */
    public byte[] showInput() {
        echoOffered = false;
        return new byte[] {(byte) IAC, (byte) WONT, (byte) ECHO};
    }

    private void command(int b, Sink sink) {
        state = State.DATA;
        switch (b) {
            case IAC -> data(IAC, sink);
            case WILL, WONT, DO, DONT -> {
                verb = b;
                state = State.OPTION;
            }
            case SB -> state = State.SUBNEGOTIATION;
            case EC -> eraseCharacter();
            case EL, IP -> discardLine();
            default -> {} // NOP, DM, BRK, AO, AYT, GA, a stray SE, unassigned codes: nothing to do
        }
    }

    private void negotiate(int option, Sink sink) {
        state = State.DATA;
        if (verb == WILL) {
            sink.reply(new byte[] {(byte) IAC, (byte) DONT, (byte) option});
        } else if (verb == DO && option == TIMING_MARK) {
            // Debian's telnet sends IAC IP IAC DO TIMING-MARK on Ctrl-C and shows nothing until answered.
            sink.reply(new byte[] {(byte) IAC, (byte) WILL, (byte) TIMING_MARK});
        } else if (verb == DO && option == ECHO && echoOffered) {
            // The client agrees to our WILL ECHO for a password: agreement is not answered.
        } else if (verb == DO) {
            sink.reply(new byte[] {(byte) IAC, (byte) WONT, (byte) option});
        }
        // WONT and DONT are never answered: acknowledging a refusal invites a negotiation loop.
    }

    private void data(int b, Sink sink) {
        if (afterCr) {
            afterCr = false;
            if (b == LF || b == NUL) {
                return;
            }
        }
        if (b == CR) {
            afterCr = true; // deliver now; a client that ends lines with a bare CR gets served without waiting
            endLine(sink);
        } else if (b == LF) {
            endLine(sink);
        } else if (overflowed) {
            // discarding until the end of the overlong line
        } else if (length == maxLineBytes) {
            overflowed = true;
            overflowLimit = maxLineBytes;
            length = 0;
        } else {
            line[length++] = (byte) b;
        }
    }

    private void endLine(Sink sink) {
        if (overflowed) {
            overflowed = false;
            sink.lineTooLong(overflowLimit);
            return;
        }
        String text = length == 0 ? "" : decodeAndClean();
        length = 0;
        sink.line(text);
    }

    private String decodeAndClean() {
        lineView.clear().limit(length);
        chars.clear();
        decoder.reset();
        // UTF-8 yields at most one char per byte (a replacement consumes at least one), so `chars` cannot overflow.
        decoder.decode(lineView, chars, true);
        decoder.flush(chars);
        chars.flip();
        cleaned.setLength(0);
        TextCleaner.cleanInto(chars, cleaned);
        return cleaned.toString();
    }

    private void eraseCharacter() {
        if (overflowed || length == 0) {
            return;
        }
        // Erase a whole UTF-8 sequence: trailing continuation bytes plus their lead byte, at most 4 bytes.
        int start = length - 1;
        while (start > 0 && length - start < 4 && (line[start] & 0xC0) == 0x80) {
            start--;
        }
        if (start < length - 1 && (line[start] & 0xC0) != 0xC0) {
            start = length - 1; // stray continuation bytes with no lead: erase just the last one
        }
        length = start;
    }

    private void discardLine() {
        length = 0;
        overflowed = false;
    }

    private void resize(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        line = line == null ? new byte[maxLineBytes] : Arrays.copyOf(line, maxLineBytes);
        lineView = ByteBuffer.wrap(line);
        chars = CharBuffer.allocate(maxLineBytes);
    }

    private static void requireValid(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes=" + maxLineBytes + " must be at least 1");
        }
    }
}
