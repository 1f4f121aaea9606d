package io.forkcast.worker.front.telnet;

import io.forkcast.protocol.text.SafeText;

/**
 * Makes decoded client text safe to show on other people's terminals: applies BS/DEL as "erase the previous code
 * point", then the shared {@link SafeText} rule: C0 controls except TAB, DEL and C1 controls are dropped (so ANSI
 * sequences lose their ESC), and so are bidi overrides, zero-width characters and long runs of combining marks.
 * Stateless; safe on any thread.
 */
public final class TextCleaner {
    private static final char BS = '\b';
    private static final char DEL = 0x7F;

    private TextCleaner() {}

    /** The cleaned form of {@code decoded}; returns {@code decoded} itself when nothing needs removing. */
    public static String clean(String decoded) {
        if (SafeText.isClean(decoded)) {
            return decoded;
        }
        var out = new StringBuilder(decoded.length());
        cleanInto(decoded, out);
        return out.toString();
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
        SafeText.cleanFrom(out, floor);
    }

    /** True for the control characters {@link #clean} removes: C0 except TAB, DEL, and C1 (U+0080 to U+009F). */
    public static boolean isControl(char c) {
        return SafeText.isControl(c);
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
