package io.forkcast.protocol.text;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The bytes a telnet client is written for a room line: {@code [name] (pid): text} for a line, {@code * name
 * (pid) action} for {@code /me}, in UTF-8 and ended by CR LF, exactly as the worker's telnet front door renders a
 * {@code Deliver}. The supervisor renders each line once with it for every telnet receiver ({@code
 * DeliverRendered}); a test holds it to the worker's own rendering. Nothing in it depends on the receiver: no
 * colours, no width, and no telnet escaping, since UTF-8 never has a 0xFF byte. Stateless; safe on any thread.
 */
public final class TelnetLine {
    private TelnetLine() {}

    /** The line {@code name (pid)} said, or (with {@code act}) the action it did, as the client is written it. */
    public static byte[] render(String name, long pid, boolean act, String text) {
        String line = act
                ? "* " + name + " (" + pid + ") " + text + "\r\n"
                : "[" + name + "] (" + pid + "): " + text + "\r\n";
        return line.getBytes(UTF_8);
    }
}
