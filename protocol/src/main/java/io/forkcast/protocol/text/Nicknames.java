package io.forkcast.protocol.text;

/**
 * The rule for nicknames, shared by the worker (to answer at once) and the supervisor (the authority, which
 * also enforces uniqueness): 1 to 32 characters, each printable and none of them white space.
 */
public final class Nicknames {
    public static final int MAX_CODE_POINTS = 32;

    private Nicknames() {}

    /** Why {@code nick} is not acceptable, or {@code null} when it is. */
    public static String problem(String nick) {
        if (nick == null || nick.isEmpty()) {
            return "a nickname needs 1 to " + MAX_CODE_POINTS + " characters";
        }
        int count = nick.codePointCount(0, nick.length());
        if (count > MAX_CODE_POINTS) {
            return "a nickname has at most " + MAX_CODE_POINTS + " characters, this one has " + count;
        }
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return "a nickname cannot contain spaces";
            }
            if (Character.isISOControl(cp)
                    || !Character.isDefined(cp)
                    || cp == 0xFFFD
                    || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.PRIVATE_USE
                    || Character.getType(cp) == Character.SURROGATE) {
                return "a nickname can only contain printable characters";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** The form two nicknames are compared in for uniqueness. */
    public static String key(String nick) {
        return nick.toLowerCase(java.util.Locale.ROOT);
    }
}
