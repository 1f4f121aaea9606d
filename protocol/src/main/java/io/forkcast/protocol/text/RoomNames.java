package io.forkcast.protocol.text;

import java.util.Locale;

/**
 * The rule for room names, shared by the worker (to answer at once) and the supervisor (the authority): 1 to 32
 * characters from the ASCII letters, digits, {@code -}, {@code _} and {@code .}; a leading {@code #} is accepted
 * and ignored. Names are case-insensitive: {@link #key} is the form rooms are compared in, and a room is shown as
 * it was typed first.
 */
public final class RoomNames {
    public static final int MAX_CHARS = 32;

    /** The rule in one line, as a client is told it. */
    public static final String RULE =
            "a room name has 1 to " + MAX_CHARS + " letters, digits, '-', '_' or '.' (a leading # is ignored)";

    private RoomNames() {}

    /** {@code name} without its leading {@code #}, if any; null stays null. */
    public static String strip(String name) {
        return name != null && name.startsWith("#") ? name.substring(1) : name;
    }

    /** Why {@code name} (already {@link #strip stripped}) is not a room name, or {@code null} when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_CHARS) {
            return RULE;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.';
            if (!allowed) {
                return RULE;
            }
        }
        return null;
    }

    /** The form two room names are compared in. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
