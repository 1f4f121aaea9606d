package io.forkcast.supervisor.systemd;

/**
 * The syslog priority prefix for the few lines the supervisor writes to stderr itself rather than through
 * {@code EventLog} (which prefixes its own): under journald ({@code JOURNAL_STREAM} set) {@code <3>} makes a line
 * an error. Thread-safe.
 */
public final class Journal {
    private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;

    private Journal() {}

    /** {@code line} as an error line: prefixed with {@code <3>} under journald, as it is elsewhere. */
    public static String error(String line) {
        return JOURNAL ? "<3>" + line : line;
    }
}
