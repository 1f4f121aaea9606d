package io.forkcast.protocol.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per event on stderr, {@code key=value} style: {@code event=join worker=7 pid=4121 peer=...}.
 * Under systemd ({@code JOURNAL_STREAM} set) each line starts with its syslog priority ({@code <6>}) and has
 * no timestamp, since the journal adds one; elsewhere it starts with an ISO-8601 timestamp and the level.
 * Thread-safe: each line is written with one call.
 */
public final class EventLog {
    private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;
    private static final PrintStream OUT = System.err;

    private final String component;

    private EventLog(String component) {
        this.component = component;
    }

    /** A log whose lines all carry {@code fields}, e.g. {@code "role=worker pid=4121"}. */
    public static EventLog of(String fields) {
        return new EventLog(fields);
    }

    public void info(String fields) {
        write(6, "INFO", fields);
    }

    public void warn(String fields) {
        write(4, "WARN", fields);
    }

    public void error(String fields) {
        write(3, "ERROR", fields);
    }

    private void write(int priority, String level, String fields) {
        String line = JOURNAL
                ? "<" + priority + ">" + component + " " + fields
                : Instant.now() + " " + level + " " + component + " " + fields;
        OUT.println(line);
    }

    /**
     * A value fit for a {@code key=value} field: as it is when it holds no space, quote, backslash or control
     * character, otherwise in double quotes with those escaped.
     */
    public static String quote(String value) {
        if (value == null) {
            return "-";
        }
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            return value;
        }
        var sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
