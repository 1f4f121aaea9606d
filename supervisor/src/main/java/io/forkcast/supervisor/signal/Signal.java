package io.forkcast.supervisor.signal;

/** The POSIX signals the supervisor handles, by the JDK's name for each ("TERM"). Immutable. */
public enum Signal {
    /** Stop gracefully (systemd, kill). */
    TERM,
    /** Stop gracefully (Ctrl-C). */
    INT,
    /** Reload the configuration. */
    HUP;

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
