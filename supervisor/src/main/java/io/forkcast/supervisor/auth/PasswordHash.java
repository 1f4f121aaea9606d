package io.forkcast.supervisor.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.BCryptFormatter;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.Radix64Encoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * One password hash of the users file, in a format Apache's {@code htpasswd} writes: {@code $apr1$} (its
 * default), {@code $2y$}/{@code $2a$}/{@code $2b$} bcrypt ({@code -B}), {@code {SHA}} ({@code -s}) and
 * {@code $5$}/{@code $6$} SHA-crypt ({@code -2}/{@code -5}); {@link HashFormat} reads them. Immutable;
 * {@link #matches} runs on the authenticator's pool threads, never the loop's. {@code toString} never shows
 * the hash.
 */
sealed interface PasswordHash {
    /** True if {@code password} (UTF-8) hashes to this; compares in constant time. May wipe {@code password}. */
    boolean matches(byte[] password);

    /** Scheme and cost, e.g. {@code bcrypt cost=10}: hashes of one shape cost the same to check. */
    String shape();

    /** A hash of this shape that no known password matches: what an unknown user is checked against. */
    PasswordHash decoy(SecureRandom random);

    /** {@code $apr1$salt$digest}: 1000 rounds of MD5. */
    record Apr1(String text) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            return constantTimeEquals(Md5Crypt.apr1Crypt(password, text), text);
        }

        @Override
        public String shape() {
            return "apr1";
        }

        @Override
        public PasswordHash decoy(SecureRandom random) {
            return new Apr1("$apr1$" + crypt64(random, 8) + "$" + crypt64(random, 22));
        }

        @Override
        public String toString() {
            return shape();
        }
    }

    /** {@code $2y$NN$} followed by 22 characters of salt and 31 of digest. */
    record Bcrypt(String text, int cost) implements PasswordHash {
        /** Takes the version from each hash; past 72 bytes a password is cut, as OpenBSD's and htpasswd's are. */
        private static final BCrypt.Verifyer VERIFYER =
                BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

        @Override
        public boolean matches(byte[] password) {
            return VERIFYER.verify(password, text.getBytes(StandardCharsets.US_ASCII)).verified;
        }

        @Override
        public String shape() {
            return "bcrypt cost=" + cost;
        }

        @Override
        public PasswordHash decoy(SecureRandom random) {
            return bcryptDecoy(random, cost);
        }

        @Override
        public String toString() {
            return shape();
        }
    }

    /** {@code {SHA}} and the Base64 of an unsalted SHA-1 digest. */
    record Sha1(String text) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            return constantTimeEquals("{SHA}" + Base64.getEncoder().encodeToString(DigestUtils.sha1(password)), text);
        }

        @Override
        public String shape() {
            return "sha1";
        }

        @Override
        public PasswordHash decoy(SecureRandom random) {
            byte[] digest = new byte[20];
            random.nextBytes(digest);
            return new Sha1("{SHA}" + Base64.getEncoder().encodeToString(digest));
        }

        @Override
        public String toString() {
            return shape();
        }
    }

    /** {@code $5$} (SHA-256) or {@code $6$} (SHA-512), an optional {@code rounds=N$}, salt, digest. */
    record ShaCrypt(String text, boolean sha512, String roundsField) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            try {
                String computed =
                        sha512 ? Sha2Crypt.sha512Crypt(password, text) : Sha2Crypt.sha256Crypt(password, text);
                return constantTimeEquals(computed, text);
            } catch (IllegalArgumentException e) { // a password past commons-codec's 4096 bytes
                return false;
            }
        }

        @Override
        public String shape() {
            String rounds = roundsField.isEmpty() ? "" : " " + roundsField.substring(0, roundsField.length() - 1);
            return (sha512 ? "sha512" : "sha256") + rounds;
        }

        @Override
        public PasswordHash decoy(SecureRandom random) {
            String prefix = (sha512 ? "$6$" : "$5$") + roundsField;
            return new ShaCrypt(
                    prefix + crypt64(random, 16) + "$" + crypt64(random, sha512 ? 86 : 43), sha512, roundsField);
        }

        @Override
        public String toString() {
            return shape();
        }
    }

    /** What unknown users are checked against when the file has no hash to copy: htpasswd -B's default cost. */
    static PasswordHash defaultDecoy(SecureRandom random) {
        return bcryptDecoy(random, 5);
    }

    private static PasswordHash bcryptDecoy(SecureRandom random, int cost) {
        byte[] salt = new byte[16];
        byte[] digest = new byte[23];
        random.nextBytes(salt);
        random.nextBytes(digest);
        var data = new BCrypt.HashData(cost, BCrypt.Version.VERSION_2Y, salt, digest);
        var formatter = new BCryptFormatter.Default(new Radix64Encoder.Default(), StandardCharsets.UTF_8);
        return new Bcrypt(new String(formatter.createHashMessage(data), StandardCharsets.US_ASCII), cost);
    }

    private static String crypt64(SecureRandom random, int length) {
        String alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static boolean constantTimeEquals(String computed, String stored) {
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }
}
