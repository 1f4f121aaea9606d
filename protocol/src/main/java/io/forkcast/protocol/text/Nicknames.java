package io.forkcast.protocol.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for nicknames, shared by the worker (to answer at once) and the supervisor (the authority, which
 * also enforces uniqueness): 1 to 32 characters, each printable and none of them white space, invisible (see
 * {@link SafeText}) or a combining mark past {@link SafeText#MAX_COMBINING_RUN} in a row; and nothing that reads
 * as an {@code ip:port}, the name a client without a nickname is shown by. Two nicknames are the same when their
 * {@link #key} is: compatibility-normalised (NFKC) and case-folded, so {@code ＡＬＩＣＥ} is {@code alice}.
 */
public final class Nicknames {
    public static final int MAX_CODE_POINTS = 32;

    /** Digits and dots, or a bracketed anything, then a colon and a port: how an address reads to people. */
    private static final Pattern PEER_LIKE = Pattern.compile("(?:[0-9.]+|\\[.*]):[0-9]+");

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
                    || SafeText.isInvisible(cp)
                    || !Character.isDefined(cp)
                    || cp == 0xFFFD
                    || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.PRIVATE_USE
                    || Character.getType(cp) == Character.SURROGATE) {
                return "a nickname can only contain printable characters";
            }
            i += Character.charCount(cp);
        }
        if (SafeText.isCombining(nick.codePointAt(0))
                || SafeText.longestCombiningRun(nick) > SafeText.MAX_COMBINING_RUN) {
            return "a nickname cannot start with a combining mark or stack more than " + SafeText.MAX_COMBINING_RUN;
        }
        String plain = Normalizer.normalize(nick, Normalizer.Form.NFKC);
        if (Peers.isPeer(plain) || PEER_LIKE.matcher(plain).matches()) {
            return "a nickname cannot look like an address (ip:port)";
        }
        return null;
    }

    /**
     * The form two nicknames are compared in for uniqueness: NFKC, then case-folded (upper then lower case,
     * which folds {@code ß} into {@code ss} as full case folding does), then NFKC again.
     */
    public static String key(String nick) {
        String compatible = Normalizer.normalize(nick, Normalizer.Form.NFKC);
        String folded = compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }
}
