package io.forkcast.supervisor.auth;

import java.util.regex.Pattern;

/**
 * Reads the hash field of a users file line: the formats {@link PasswordHash} accepts, and for every other one
 * a reason word that names the format, never the text. Stateless; called wherever the file is loaded.
 */
final class HashFormat {
    /** htpasswd's own range for {@code -C}; a cost of 20 would hold a pool thread for a minute per attempt. */
    static final int BCRYPT_COST_MIN = 4;

    static final int BCRYPT_COST_MAX = 17;
    /** commons-codec's range for SHA-crypt rounds: it refuses more than a million, glibc raises less to 1000. */
    static final long ROUNDS_MIN = 1000;

    static final long ROUNDS_MAX = 1_000_000;

    private static final Pattern APR1 = Pattern.compile("\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./0-9A-Za-z]{53}");
    private static final Pattern SHA1 = Pattern.compile("\\{SHA\\}[A-Za-z0-9+/]{27}=");
    private static final Pattern SHA_CRYPT =
            Pattern.compile("\\$([56])\\$(rounds=([0-9]{1,9})\\$)?[./0-9A-Za-z]{1,16}\\$([./0-9A-Za-z]+)");
    private static final Pattern DES = Pattern.compile("[./0-9A-Za-z]{13}");

    private HashFormat() {}

    /** A hash of the users file, or ({@code hash} null) why its line is refused: one word. */
    record Parsed(PasswordHash hash, String refusal) {
        @Override
        public String toString() {
            return hash != null ? hash.shape() : "refused " + refusal;
        }
    }

    static Parsed parse(String text) {
        if (text.startsWith("$apr1$")) {
            return APR1.matcher(text).matches() ? ok(new PasswordHash.Apr1(text)) : refused("malformed_apr1");
        }
        if (text.startsWith("$2")) {
            return bcrypt(text);
        }
        if (text.startsWith("{SHA}")) {
            return SHA1.matcher(text).matches() ? ok(new PasswordHash.Sha1(text)) : refused("malformed_sha1");
        }
        if (text.startsWith("$5$") || text.startsWith("$6$")) {
            return shaCrypt(text);
        }
        if (text.startsWith("$1$")) {
            return refused("md5_crypt");
        }
        if (text.startsWith("$") || text.startsWith("{")) {
            return refused("unknown_scheme");
        }
        if (text.isEmpty()) {
            return refused("empty_hash");
        }
        // htpasswd -p writes the password itself; a 13-character word of the crypt alphabet is DES crypt (-d).
        return refused(DES.matcher(text).matches() ? "des_crypt" : "not_a_hash");
    }

    private static Parsed bcrypt(String text) {
        var m = BCRYPT.matcher(text);
        if (!m.matches()) {
            return refused(text.startsWith("$2x$") ? "bcrypt_2x" : "malformed_bcrypt");
        }
        int cost = Integer.parseInt(m.group(1));
        return cost < BCRYPT_COST_MIN || cost > BCRYPT_COST_MAX
                ? refused("bcrypt_cost_out_of_range")
                : ok(new PasswordHash.Bcrypt(text, cost));
    }

    private static Parsed shaCrypt(String text) {
        var m = SHA_CRYPT.matcher(text);
        boolean sha512 = text.charAt(1) == '6';
        if (!m.matches() || m.group(4).length() != (sha512 ? 86 : 43)) {
            return refused("malformed_sha_crypt");
        }
        String roundsField = m.group(2) == null ? "" : m.group(2);
        if (m.group(3) != null) {
            long rounds = Long.parseLong(m.group(3));
            if (rounds < ROUNDS_MIN || rounds > ROUNDS_MAX) {
                return refused("sha_crypt_rounds_out_of_range");
            }
        }
        return ok(new PasswordHash.ShaCrypt(text, sha512, roundsField));
    }

    private static Parsed ok(PasswordHash hash) {
        return new Parsed(hash, null);
    }

    private static Parsed refused(String reason) {
        return new Parsed(null, reason);
    }
}
