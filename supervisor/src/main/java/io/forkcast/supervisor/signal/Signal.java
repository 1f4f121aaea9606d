package io.forkcast.supervisor.signal;

/** The POSIX signals the supervisor handles, by the JDK's name for each ("TERM"). Immutable. */
public enum Signal {
    /** Stop gracefully (systemd, kill). */
    TERM(15),
    /** Stop gracefully (Ctrl-C). */
    INT(2),
    /** Reload the configuration. */
    HUP(1),
    /** Hand over to a new supervisor (a planned restart, an upgrade). */
    USR2(12);

    /** The signal's number on Linux. */
    public final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The signal named {@code name} ("TERM"), or null if it is none of these. */
    public static Signal named(String name) {
        for (var signal : values()) {
            if (signal.name().equals(name)) {
                return signal;
            }
        }
        return null;
    }
}
