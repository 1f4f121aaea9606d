package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    @TempDir
    Path dir;

    private final List<String> logged = new ArrayList<>();

    private UsersFile load(String... lines) throws IOException {
        Path file = dir.resolve("users.htpasswd");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return UsersFile.load(file, logged::add);
    }

    @Test
    void refusedLinesAreLoggedOnceEachWithTheirNumberAndReasonButNeverTheirHash() throws IOException {
        String alice = Htpasswd.line("m", "Alice", "pw-a");
        String bob = Htpasswd.line("B", "bob", "pw-b");
        String plain = Htpasswd.line("p", "carol", "plain-secret");
        String des = Htpasswd.line("d", "dave", "desword");
        String badName = "bad\u0007name:" + alice.substring(alice.indexOf(':') + 1);
        String duplicate = Htpasswd.line("s", "ALICE", "pw-other");
        var users = load(
                "# made with htpasswd", // 1
                alice, // 2
                "", // 3
                plain, // 4
                des, // 5
                "garbage without a colon", // 6
                badName, // 7
                duplicate, // 8
                "   ", // 9
                bob, // 10
                "erin:$1$abcdefgh$0123456789012345678901"); // 11
        String file = dir.resolve("users.htpasswd").toString();
        assertEquals(
                List.of(
                        "event=users_file_line_refused file=" + file + " line=4 reason=not_a_hash user=carol",
                        "event=users_file_line_refused file=" + file + " line=5 reason=des_crypt user=dave",
                        "event=users_file_line_refused file=" + file + " line=6 reason=no_colon",
                        "event=users_file_line_refused file=" + file
                                + " line=7 reason=bad_user_name problem=\"a nickname can only contain printable characters\"",
                        "event=users_file_line_refused file=" + file
                                + " line=8 reason=duplicate_user user=ALICE first_line=2",
                        "event=users_file_line_refused file=" + file + " line=11 reason=md5_crypt user=erin"),
                logged);
        for (String hashed : List.of(plain, des, duplicate, badName)) {
            String hash = hashed.substring(hashed.indexOf(':') + 1);
            logged.forEach(l -> assertFalse(l.contains(hash), () -> "hash logged: " + l));
        }
        assertFalse(String.join("\n", logged).contains("garbage"), "a line without a colon may be a password");
        assertEquals(2, users.size());
        assertEquals(6, users.refused());
        assertEquals(Set.of("Alice", "bob"), users.users());
        assertTrue(users.hash("alice").orElseThrow().matches("pw-a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void namesCompareCaseInsensitivelyAndKeepTheFilesSpelling() throws IOException {
        var users = load(Htpasswd.line("m", "Alice", "pw"), Htpasswd.line("m", "ÉMILE", "pw"));
        assertTrue(users.contains("alice"));
        assertTrue(users.contains("ALICE"));
        assertTrue(users.contains("émile"));
        assertFalse(users.contains("bob"));
        assertEquals(Optional.of("Alice"), users.canonical("aLiCe"));
        assertEquals(Optional.of("ÉMILE"), users.canonical("Émile"));
        assertEquals(Optional.empty(), users.canonical("bob"));
        assertEquals(List.of("Alice", "ÉMILE"), List.copyOf(users.users()));
        assertTrue(logged.isEmpty(), logged::toString);
    }

    @Test
    void crlfLinesTrailingFieldsAndSurroundingBlanksAreReadAsApacheReadsThem() throws IOException {
        String alice = Htpasswd.line("B", "alice", "pw");
        Path file = dir.resolve("crlf.htpasswd");
        Files.writeString(file, "  " + alice + "\r\n" + Htpasswd.line("2", "bob", "pw") + ":comment field\r\n");
        var users = UsersFile.load(file, logged::add);
        assertEquals(Set.of("alice", "bob"), users.users());
        assertTrue(users.hash("bob").orElseThrow().matches("pw".getBytes(StandardCharsets.UTF_8)));
        assertTrue(logged.isEmpty(), logged::toString);
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedAndTheRestIsRead() throws IOException {
        Path file = dir.resolve("latin1.htpasswd");
        byte[] bad = "\u00e9ve:xx\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] good = (Htpasswd.line("m", "alice", "pw") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(good, 0, both, bad.length, good.length);
        Files.write(file, both);
        var users = UsersFile.load(file, logged::add);
        assertEquals(Set.of("alice"), users.users());
        assertEquals(List.of("event=users_file_line_refused file=" + file + " line=1 reason=not_utf8"), logged);
    }

    @Test
    void anOverlongLineIsRefusedWithItsLength() throws IOException {
        var users = load("x".repeat(5000));
        assertEquals(0, users.size());
        assertTrue(logged.getFirst().endsWith(" line=1 reason=line_too_long bytes=5000 limit=4096"), logged::toString);
    }

    @Test
    void aMissingFileThrows() {
        assertThrows(NoSuchFileException.class, () -> UsersFile.load(dir.resolve("none"), logged::add));
    }

    @Test
    void unknownUsersAreCheckedAgainstADecoyOfTheShapeMostUsersHave() throws IOException {
        var users = load(
                Htpasswd.line("B", "a", "pw", "-C", "10"),
                Htpasswd.line("B", "b", "pw", "-C", "10"),
                Htpasswd.line("m", "c", "pw"));
        assertEquals("bcrypt cost=10", users.decoy().shape());
        assertEquals("apr1", load(Htpasswd.line("m", "c", "pw")).decoy().shape());
        assertEquals("bcrypt cost=5", UsersFile.empty().decoy().shape());
        assertEquals(0, UsersFile.empty().size());
    }
}
