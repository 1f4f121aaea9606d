package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {
    private static final String PASSWORD = "s3cret pä€ 🐈";

    private static PasswordHash parse(String line) {
        var parsed = HashFormat.parse(line.substring(line.indexOf(':') + 1));
        assertNull(parsed.refusal(), () -> "refused " + line + ": " + parsed.refusal());
        return parsed.hash();
    }

    private static boolean matches(PasswordHash hash, String password) {
        return hash.matches(Authenticator.utf8(password.toCharArray()));
    }

    @ParameterizedTest(name = "htpasswd -nb{0} {1}")
    @CsvSource({
        "m,,apr1",
        "B,,bcrypt cost=5",
        "B,-C 10,bcrypt cost=10",
        "s,,sha1",
        "2,,sha256",
        "5,,sha512",
        "2,-r 20000,sha256 rounds=20000",
        "5,-r 1000,sha512 rounds=1000",
    })
    void everyFormatHtpasswdWritesMatchesItsPasswordAndNoOther(String flags, String extra, String shape)
            throws IOException {
        String[] options = extra == null ? new String[0] : extra.split(" ");
        var hash = parse(Htpasswd.line(flags, "alice", PASSWORD, options));
        assertEquals(shape, hash.shape());
        assertTrue(matches(hash, PASSWORD));
        assertFalse(matches(hash, PASSWORD + "x"));
        assertFalse(matches(hash, "s3cret pa€ 🐈"));
        assertFalse(matches(hash, ""));
        assertEquals(shape, hash.toString(), "toString never shows the hash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2a$", "$2b$"})
    void bcryptVersions2aAnd2bAreCheckedLike2y(String prefix) throws IOException {
        String line = Htpasswd.line("B", "alice", PASSWORD);
        var hash = parse(line.replace("$2y$", prefix));
        assertTrue(matches(hash, PASSWORD));
        assertFalse(matches(hash, "wrong"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"B", "m", "5"})
    void anEmptyPasswordMatchesOnlyItself(String flags) throws IOException {
        var hash = parse(Htpasswd.line(flags, "alice", ""));
        assertTrue(matches(hash, ""));
        assertFalse(matches(hash, " "));
    }

    @Test
    void bcryptCutsAPasswordAt72BytesAsHtpasswdDoes() throws IOException {
        String long80 = "0123456789".repeat(8);
        var hash = parse(Htpasswd.line("B", "alice", long80));
        assertTrue(matches(hash, long80));
        assertTrue(matches(hash, long80.substring(0, 72) + "anything"));
        assertFalse(matches(hash, long80.substring(0, 71)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"B", "m", "s", "2", "5"})
    void aDecoyHasTheShapeOfItsModelAndMatchesNoKnownPassword(String flags) throws IOException {
        var hash = parse(Htpasswd.line(flags, "alice", PASSWORD));
        var decoy = hash.decoy(new SecureRandom());
        assertEquals(hash.shape(), decoy.shape());
        assertNotNull(HashFormat.parse(text(decoy)).hash(), "a decoy is a well-formed hash: " + decoy);
        assertFalse(matches(decoy, PASSWORD));
        assertFalse(matches(decoy, ""));
    }

    @Test
    void withNoHashToCopyUnknownUsersCostABcryptCheckOfHtpasswdsDefaultCost() {
        var decoy = PasswordHash.defaultDecoy(new SecureRandom());
        assertEquals("bcrypt cost=5", decoy.shape());
        assertFalse(matches(decoy, PASSWORD));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "plain text password|not_a_hash",
                "SDKq16pZFgimE|des_crypt",
                "$1$abcdefgh$0123456789012345678901|md5_crypt",
                "$apr1$FC4Qtb5G$aqVhV8JbYVJYt53XKv2ac|malformed_apr1",
                "$2y$05$adIdN7qsaL/tnmJ7C5gt7.jo7YEWVagTZ16viroBg38.OPFtysJA|malformed_bcrypt",
                "$2x$05$adIdN7qsaL/tnmJ7C5gt7.jo7YEWVagTZ16viroBg38.OPFtysJAq|bcrypt_2x",
                "$2y$18$adIdN7qsaL/tnmJ7C5gt7.jo7YEWVagTZ16viroBg38.OPFtysJAq|bcrypt_cost_out_of_range",
                "$2y$03$adIdN7qsaL/tnmJ7C5gt7.jo7YEWVagTZ16viroBg38.OPFtysJAq|bcrypt_cost_out_of_range",
                "{SHA}fH+L/uNkkInTbTNdLxFcwsiqYy=|malformed_sha1",
                "{SSHA}fH+L/uNkkInTbTNdLxFcwsiqYyE=|unknown_scheme",
                "$5$hUQueGfFxD8je9pf$mS85fBmh4SLWbYUyvcDC1FlI.BO3.n41Unz.M0XW9w|malformed_sha_crypt",
                "$6$hUQueGfFxD8je9pf$mS85fBmh4SLWbYUyvcDC1FlI.BO3.n41Unz.M0XW9w9|malformed_sha_crypt",
                "$5$rounds=999$hUQueGfFxD8je9pf$mS85fBmh4SLWbYUyvcDC1FlI.BO3.n41Unz.M0XW9w9|sha_crypt_rounds_out_of_range",
                "$5$rounds=1000001$hUQueGfFxD8je9pf$mS85fBmh4SLWbYUyvcDC1FlI.BO3.n41Unz.M0XW9w9|sha_crypt_rounds_out_of_range",
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG|unknown_scheme",
            })
    void everyOtherFormatIsRefusedWithAReasonThatNamesTheFormatOnly(String text, String reason) {
        var parsed = HashFormat.parse(text);
        assertNull(parsed.hash());
        assertEquals(reason, parsed.refusal());
    }

    @Test
    void anEmptyHashIsRefused() {
        assertEquals("empty_hash", HashFormat.parse("").refusal());
    }

    private static String text(PasswordHash hash) {
        return switch (hash) {
            case PasswordHash.Apr1 h -> h.text();
            case PasswordHash.Bcrypt h -> h.text();
            case PasswordHash.Sha1 h -> h.text();
            case PasswordHash.ShaCrypt h -> h.text();
        };
    }
}
