package io.forkcast.it;

import static io.forkcast.it.Accounts.answerPassword;
import static io.forkcast.it.Accounts.htpasswd;
import static io.forkcast.it.Accounts.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Accounts from a users file made by htpasswd, as telnet users and operators meet them, against the real server. */
@Timeout(180)
class LoginIT {
    private static final byte[] LOGIN_PROMPT = "login: ".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Path users() throws Exception {
        Path file = dir.resolve("users.htpasswd");
        htpasswd(file, "alice", "wonderland", "-c"); // htpasswd -c: apr1, the default
        htpasswd(file, "bob", "builder", "-B"); // bcrypt
        return file;
    }

    @Test
    void aGuestLogsInWithTheEchoOffTakesItsUserNameAndOthersSeeTheRename() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString());
                var other = server.join();
                var alice = server.join()) {
            other.expect("*** " + alice.address() + " (" + alice.pid() + ") joined");
            login(alice, "alice", "wonderland");
            alice.expect("*** you are logged in as alice");
            other.expect("*** " + alice.address() + " (" + alice.pid() + ") is now known as alice");
            alice.send("hello as alice");
            other.expect("[alice] (" + alice.pid() + "): hello as alice");
            assertFalse(server.logText().contains("wonderland"), "the password is never logged");
            assertTrue(server.logText().contains("event=login user=alice"), server.logText());

            try (var admin = AdminClient.connect(server.runtimeDir().resolve("admin.sock"))) {
                var list = admin.command("LIST");
                assertTrue(
                        list.stream().anyMatch(l -> l.contains("pid=" + alice.pid()) && l.contains(" user=alice ")),
                        list.toString());
                assertTrue(
                        list.stream().anyMatch(l -> l.contains("pid=" + other.pid()) && l.contains(" user=- ")),
                        list.toString());
            }
        }
    }

    @Test
    void aGuestCannotTakeARegisteredNameAndTwoSessionsOfOneUserBothShow() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString());
                var guest = server.join();
                var first = server.join();
                var second = server.join()) {
            guest.send("/nick Bob");
            guest.expect("*** nickname Bob refused: it belongs to a registered user (/login Bob)");
            login(first, "bob", "builder");
            first.expect("*** you are logged in as bob");
            login(second, "BOB", "builder");
            second.expect("*** you are logged in as bob");
            guest.send("/who");
            guest.expect("*** 3 people in #lobby:");
            var who = List.of(guest.readLine(), guest.readLine(), guest.readLine());
            assertEquals(2, who.stream().filter(l -> l.startsWith("***   bob ")).count(), who.toString());
            guest.send("/msg bob to both of you");
            first.expect("[" + guest.address() + "] (" + guest.pid() + ") privately: to both of you");
            second.expect("[" + guest.address() + "] (" + guest.pid() + ") privately: to both of you");
            guest.expect("*** to bob: to both of you");
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrongAndIsCounted() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString());
                var client = server.join()) {
            login(client, "alice", "not her password");
            client.expect("*** login incorrect");
            login(client, "nobody", "whatever");
            client.expect("*** login incorrect");
            server.awaitLog("event=login_failed user=\"?alice\"? .*reason=bad_password");
            server.awaitLog("event=login_failed user=\"?nobody\"? .*reason=unknown_user");
            try (var admin = AdminClient.connect(server.runtimeDir().resolve("admin.sock"))) {
                assertEquals(2, admin.stats().get("logins_failed"));
            }
            assertFalse(server.logText().contains("not her password"));
            client.send("still a guest");
        }
    }

    @Test
    void whenALoginIsRequiredTheBannerIsFollowedByThePromptsAndThreeFailuresDisconnect() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString(), "--login", "required");
                var watcher = server.connect()) {
            watcher.expectLine(l -> l.startsWith("Welcome to forkcast"));
            watcher.expectBytes(LOGIN_PROMPT);
            watcher.send("bob");
            answerPassword(watcher, "builder");
            watcher.expect("*** you are logged in as bob");
            watcher.expect("*** you are in #lobby");

            try (var stranger = server.connect()) {
                String banner = stranger.expectLine(l -> l.startsWith("Welcome to forkcast"));
                stranger.expectBytes(LOGIN_PROMPT);
                stranger.send("alice");
                answerPassword(stranger, "wrong once");
                stranger.expect("*** login incorrect");
                stranger.expectBytes(LOGIN_PROMPT);
                stranger.send("alice");
                answerPassword(stranger, "wrong twice");
                stranger.expect("*** login incorrect");
                stranger.expectBytes(LOGIN_PROMPT);
                stranger.send("mallory");
                answerPassword(stranger, "wrong thrice");
                stranger.expect("*** login incorrect");
                stranger.expect("*** too many failed logins");
                stranger.expectClosed(Duration.ofSeconds(20));
                assertTrue(banner.contains("you are"), banner);
            }
            // The stranger never entered a room: nobody was told it came or went.
            watcher.send("/who");
            watcher.expect("*** 1 person in #lobby:");
            assertTrue(
                    watcher.seen().stream().noneMatch(l -> l.contains("joined")),
                    watcher.seen().toString());
        }
    }

    @Test
    void whenALoginIsRequiredNothingElseIsTakenBeforeIt() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString(), "--login", "required");
                var client = server.connect()) {
            client.expectLine(l -> l.startsWith("Welcome to forkcast"));
            client.expectBytes(LOGIN_PROMPT);
            client.send("alice");
            answerPassword(client, "wonderland");
            client.expect("*** you are logged in as alice");
            client.expect("*** you are in #lobby");
            client.send("/who");
            client.expect("*** 1 person in #lobby:");
        }
    }

    @Test
    void aUserRemovedFromTheFileIsDisconnectedOnReload() throws Exception {
        Path file = users();
        try (var server = ForkcastServer.start("--users-file", file.toString());
                var alice = server.join();
                var bob = server.join()) {
            login(alice, "alice", "wonderland");
            alice.expect("*** you are logged in as alice");
            login(bob, "bob", "builder");
            bob.expect("*** you are logged in as bob");
            var kept = Files.readAllLines(file).stream()
                    .filter(l -> !l.startsWith("alice:"))
                    .toList();
            Files.write(file, kept);
            server.signal("HUP");
            alice.expect("*** your account was removed");
            alice.expectClosed(Duration.ofSeconds(20));
            bob.send("still here");
            bob.send("/who");
            bob.expect("*** 1 person in #lobby:");
            server.awaitLog("event=account_removed user=alice");
        }
    }

    @Test
    void aBadUsersFileStopsTheServerAtStartWithItsReason() throws Exception {
        var missing = dir.resolve("no-such-file");
        var result = ConfigIT.run(
                java.util.Map.of(),
                "run",
                "--port",
                "0",
                "--ws-port",
                "0",
                "--runtime-dir",
                dir.resolve("run").toString(),
                "--users-file",
                missing.toString());
        assertEquals(2, result.code(), result.stderr());
        assertTrue(result.stderr().contains("users_file " + missing + " cannot be read"), result.stderr());
    }
}
