package io.forkcast.protocol.text;

/**
 * The rule for text shown on other people's screens, applied by the worker to what its client typed and again by
 * the supervisor to every line, action and topic a worker sends it (a worker may be forged, or old): control
 * characters (C0 but TAB, DEL, C1), bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 * zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and combining marks past {@value #MAX_COMBINING_RUN} in a
 * row are removed. Stateless; safe on any thread.
 */
public final class SafeText {
    /** Most combining marks kept on one base character; more make "Zalgo" text that spills over other lines. */
    public static final int MAX_COMBINING_RUN = 3;

    private SafeText() {}

    /** The safe form of {@code text}: {@code text} itself when nothing needs removing; null stays null. */
    public static String clean(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        var out = new StringBuilder(text);
        cleanFrom(out, 0);
        return out.toString();
    }

    /** Cleans {@code out} in place from index {@code from} on; what it holds before {@code from} is kept. */
    public static void cleanFrom(StringBuilder out, int from) {
        int write = from;
        int run = 0;
        for (int read = from; read < out.length(); ) {
            int cp = out.codePointAt(read);
            int width = Character.charCount(cp);
            boolean combining = isCombining(cp);
            run = combining ? run + 1 : 0;
            boolean keep = !isControl(cp) && !isInvisible(cp) && (!combining || run <= MAX_COMBINING_RUN);
            if (keep) {
                for (int k = 0; k < width; k++) {
                    out.setCharAt(write++, out.charAt(read + k));
                }
            }
            read += width;
        }
        out.setLength(write);
    }

    /** True when {@link #clean} would leave {@code text} as it is. */
    public static boolean isClean(CharSequence text) {
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            run = isCombining(cp) ? run + 1 : 0;
            if (isControl(cp) || isInvisible(cp) || run > MAX_COMBINING_RUN) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** The longest run of combining marks in {@code text}. */
    public static int longestCombiningRun(CharSequence text) {
        int run = 0;
        int longest = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            run = isCombining(cp) ? run + 1 : 0;
            longest = Math.max(longest, run);
            i += Character.charCount(cp);
        }
        return longest;
    }

    /** C0 controls but TAB, DEL, and C1 controls (U+0080 to U+009F): what makes a terminal escape sequence. */
    public static boolean isControl(int cp) {
        return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    }

    /** Bidirectional overrides, embeddings and isolates, and zero-width characters: text that hides or reorders. */
    public static boolean isInvisible(int cp) {
        return (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069)
                || (cp >= 0x200B && cp <= 0x200D)
                || cp == 0x2060
                || cp == 0xFEFF;
    }

    /** A combining mark: one that draws on the character before it. */
    public static boolean isCombining(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }
}
