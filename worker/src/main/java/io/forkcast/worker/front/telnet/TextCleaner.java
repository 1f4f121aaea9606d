package io.forkcast.worker.front.telnet;

/**
 * Makes decoded client text safe to show on other people's terminals: drops C0 controls except TAB, DEL and C1
 * controls (so ANSI sequences lose their ESC), and applies BS/DEL as "erase the previous code point".
 * Stateless; safe on any thread.
 */
public final class TextCleaner {
    private static final char BS = '\b';
    private static final char TAB = '\t';
    private static final char DEL = 0x7F;

    private TextCleaner() {}

    /** The cleaned form of {@code decoded}; returns {@code decoded} itself when nothing needs removing. */
    public static String clean(String decoded) {
        for (int i = 0; i < decoded.length(); i++) {
            if (isControl(decoded.charAt(i))) {
                var out = new StringBuilder(decoded.length());
                cleanInto(decoded, out);
                return out.toString();
            }
        }
        return decoded;
    }

    /**
     * Appends the cleaned form of {@code decoded} to {@code out}. A BS or DEL erases only characters this call
     * appended, never what {@code out} held before.
     */
    public static void cleanInto(CharSequence decoded, StringBuilder out) {
        int floor = out.length();
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == BS || c == DEL) {
                erasePreviousCodePoint(out, floor);
            } else if (!isControl(c)) {
                out.append(c);
            }
        }
    }

    /** True for the characters {@link #clean} removes: C0 except TAB, DEL, and C1 (U+0080 to U+009F). */
    public static boolean isControl(char c) {
        return (c < 0x20 && c != TAB) || (c >= DEL && c <= 0x9F);
    }

    private static void erasePreviousCodePoint(StringBuilder out, int floor) {
        int end = out.length();
        if (end == floor) {
            return;
        }
        int start = end - 1;
        // A supplementary character is two chars; erase both halves of the pair.
        if (start > floor
                && Character.isLowSurrogate(out.charAt(start))
                && Character.isHighSurrogate(out.charAt(start - 1))) {
            start--;
        }
        out.setLength(start);
    }
}
