package io.forkcast.supervisor.systemd;

/**
 * Syslog priority prefixes for the few lines the supervisor writes to stderr itself rather than through
 * {@code EventLog} (which prefixes its own): journald reads {@code <3>} at the start of a line as "error" when
 * the service's stderr is a journal stream ({@code JOURNAL_STREAM} set). Thread-safe.
 */
public final class Journal {
    private static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null;

    private Journal() {}

    /** {@code line} as an error line: prefixed with {@code <3>} under journald, as it is elsewhere. */
    public static String error(String line) {
        return JOURNAL ? "<3>" + line : line;
    }
}
