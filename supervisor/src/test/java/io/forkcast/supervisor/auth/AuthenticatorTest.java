package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.auth.Authenticator.Outcome;
import io.forkcast.supervisor.auth.Authenticator.Settings;
import io.forkcast.supervisor.auth.Authenticator.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AuthenticatorTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    private ExecutorService loop;
    private final List<Authenticator> opened = new ArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    /** Runs on the pool thread right after a failure was logged (and counted). */
    private volatile Consumer<String> onLog = line -> {};

    /** What a verify delivered: the verdict, the thread it ran on, and how long after verify it came. */
    record Delivered(Verdict verdict, String thread, long elapsedNanos) {}

    @BeforeEach
    void startLoop() {
        loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    }

    @AfterEach
    void stop() {
        opened.forEach(Authenticator::close);
        loop.shutdownNow();
    }

    private UsersFile users(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "users", ".htpasswd");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return UsersFile.load(file, logged::add);
    }

    private Authenticator authenticator(UsersFile users, Settings settings) {
        var a = new Authenticator(
                users,
                loop,
                line -> {
                    logged.add(line);
                    onLog.accept(line);
                },
                settings,
                System::nanoTime);
        opened.add(a);
        return a;
    }

    private static Settings settings(int threads, int queueMax, long firstMillis, long maxMillis) {
        return new Settings(threads, queueMax, Duration.ofMillis(firstMillis), Duration.ofMillis(maxMillis));
    }

    private static CompletableFuture<Delivered> verify(Authenticator a, String user, char[] password, String address) {
        var done = new CompletableFuture<Delivered>();
        long start = System.nanoTime();
        a.verify(
                user,
                password,
                address + ":4000",
                address,
                v -> done.complete(new Delivered(v, Thread.currentThread().getName(), System.nanoTime() - start)));
        return done;
    }

    private static Delivered verify(Authenticator a, String user, String password, String address) throws Exception {
        return verify(a, user, password.toCharArray(), address).get(30, TimeUnit.SECONDS);
    }

    @Test
    void theRightPasswordIsOkWithTheFilesSpellingOnTheLoopThreadAndTheArrayIsWiped() throws Exception {
        var a = authenticator(users(Htpasswd.line("B", "Alice", "pä ss")), settings(2, 8, 0, 0));
        char[] password = "pä ss".toCharArray();
        var d = verify(a, "ALICE", password, "10.0.0.1").get(30, TimeUnit.SECONDS);
        assertEquals(new Verdict("Alice", Outcome.OK), d.verdict());
        assertEquals("test-loop", d.thread());
        assertTrue(new String(password).chars().allMatch(c -> c == 0), "password not wiped");
        assertEquals(new Authenticator.Stats(1, 0, 0, 0), a.stats());
        assertTrue(logged.isEmpty(), "a success logs nothing here: " + logged);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAndAreLoggedWithoutThePassword() throws Exception {
        var a = authenticator(users(Htpasswd.line("m", "alice", "right")), settings(2, 8, 0, 0));
        assertEquals(
                new Verdict("alice", Outcome.BAD_PASSWORD),
                verify(a, "alice", "wrong-pw", "10.0.0.1").verdict());
        assertEquals(
                new Verdict("mal lory", Outcome.UNKNOWN_USER),
                verify(a, "mal lory", "wrong-pw", "10.0.0.2").verdict());
        assertEquals(
                List.of(
                        "event=login_failed user=alice peer=10.0.0.1:4000 reason=bad_password delay_ms=0",
                        "event=login_failed user=\"mal lory\" peer=10.0.0.2:4000 reason=unknown_user delay_ms=0"),
                logged);
        assertEquals(new Authenticator.Stats(0, 2, 0, 0), a.stats());
    }

    @Test
    void aFailedVerdictComesNoEarlierThanItsDelayWhichDoublesPerUserAndPerAddress() throws Exception {
        var a = authenticator(users(Htpasswd.line("m", "alice", "right")), settings(2, 8, 40, 160));
        var first = verify(a, "alice", "wrong", "10.0.0.1");
        assertTrue(first.elapsedNanos() >= 40 * MS, () -> "first failure after " + first.elapsedNanos() / MS);
        var otherAddress = verify(a, "alice", "wrong", "10.0.0.2");
        assertTrue(otherAddress.elapsedNanos() >= 80 * MS, "alice's second failure: 80 ms");
        var otherUser = verify(a, "bob", "wrong", "10.0.0.1");
        assertTrue(otherUser.elapsedNanos() >= 80 * MS, "10.0.0.1's second failure: 80 ms");
        assertEquals(
                Outcome.OK, verify(a, "alice", "right", "10.0.0.1").verdict().outcome());
        assertEquals(
                Outcome.BAD_PASSWORD,
                verify(a, "alice", "wrong", "10.0.0.1").verdict().outcome());
        assertEquals(
                List.of("delay_ms=40", "delay_ms=80", "delay_ms=80", "delay_ms=40"),
                logged.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList(),
                "the success reset alice and 10.0.0.1: " + logged);
    }

    @Test
    void aCheckDoesNotStartBeforeItsUsersDelayHasPassedEvenFromAnotherAddress() throws Exception {
        var a = authenticator(users(Htpasswd.line("m", "alice", "right")), settings(2, 8, 400, 400));
        var next = new CompletableFuture<CompletableFuture<Delivered>>();
        onLog = line -> next.complete(verify(a, "alice", "right".toCharArray(), "10.0.0.2"));
        verify(a, "alice", "wrong", "10.0.0.1");
        var ok = next.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        assertEquals(Outcome.OK, ok.verdict().outcome());
        // asked right after the failure was counted, 400 ms before alice may try again
        assertTrue(ok.elapsedNanos() >= 300 * MS, () -> "started after " + ok.elapsedNanos() / MS + " ms");
    }

    @Test
    void pastTheQueueTheVerdictIsBusyAtOnceOnTheLoop() throws Exception {
        var a = authenticator(users(Htpasswd.line("m", "alice", "right")), settings(1, 2, 10_000, 10_000));
        var failedOnce = new CompletableFuture<String>();
        onLog = failedOnce::complete;
        var _ = verify(a, "alice", "wrong".toCharArray(), "10.0.0.1"); // fails, then its verdict is held for 10 s
        failedOnce.get(30, TimeUnit.SECONDS);
        char[] waiting = "wrong".toCharArray();
        var _ = verify(a, "alice", waiting, "10.0.0.2"); // waits 10 s for alice's delay before it is checked
        char[] refused = "right".toCharArray();
        var busy = verify(a, "alice", refused, "10.0.0.3").get(5, TimeUnit.SECONDS);
        assertEquals(new Verdict("alice", Outcome.BUSY), busy.verdict());
        assertEquals("test-loop", busy.thread());
        assertTrue(new String(refused).chars().allMatch(c -> c == 0), "a refused password is wiped too");
        assertTrue(logged.contains("event=login_failed user=alice peer=10.0.0.3:4000 reason=busy"), logged::toString);
        assertEquals(new Authenticator.Stats(0, 1, 1, 2), a.stats());
        assertEquals("wrong", new String(waiting), "not checked yet");
        a.close();
        assertTrue(new String(waiting).chars().allMatch(c -> c == 0), "close wipes what it drops");
        assertEquals(
                Outcome.BUSY, verify(a, "alice", "right", "10.0.0.4").verdict().outcome(), "closed");
    }

    @Test
    void oneAddressHoldsAtMostAQuarterOfTheQueue() throws Exception {
        var a = authenticator(
                users(Htpasswd.line("m", "alice", "right"), Htpasswd.line("m", "bob", "right")),
                settings(2, 8, 10_000, 10_000));
        var _ = verify(a, "alice", "wrong".toCharArray(), "10.0.0.1");
        var _ = verify(a, "alice", "wrong".toCharArray(), "10.0.0.1");
        assertEquals(
                Outcome.BUSY, verify(a, "bob", "right", "10.0.0.1").verdict().outcome());
        assertEquals(Outcome.OK, verify(a, "bob", "right", "10.0.0.2").verdict().outcome());
    }

    @Test
    void checksAlreadyAcceptedFinishOnTheFileTheyStartedWith() throws Exception {
        var a = authenticator(users(Htpasswd.line("m", "alice", "right")), settings(2, 8, 200, 200));
        var waiting = new CompletableFuture<CompletableFuture<Delivered>>();
        onLog = line -> {
            var check = verify(a, "alice", "right".toCharArray(), "10.0.0.2"); // waits out alice's delay
            a.replace(UsersFile.empty());
            waiting.complete(check);
        };
        verify(a, "alice", "wrong", "10.0.0.1");
        assertEquals(
                new Verdict("alice", Outcome.OK),
                waiting.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS).verdict());
        assertEquals(0, a.users().size());
        onLog = line -> {};
        assertEquals(
                Outcome.UNKNOWN_USER,
                verify(a, "alice", "right", "10.0.0.3").verdict().outcome());
    }

    @Test
    void anUnknownUserCostsAboutWhatAKnownOneDoes() throws Exception {
        var a = authenticator(users(Htpasswd.line("B", "alice", "right", "-C", "8")), settings(1, 8, 0, 0));
        long[] known = new long[5];
        long[] unknown = new long[5];
        for (int i = 0; i < known.length; i++) {
            known[i] = verify(a, "alice", "wrong", "10.0.0.1").elapsedNanos();
            unknown[i] = verify(a, "nobody", "wrong", "10.0.0.1").elapsedNanos();
        }
        Arrays.sort(known);
        Arrays.sort(unknown);
        // Without the decoy an unknown name is answered in microseconds, a cost-8 bcrypt check in milliseconds.
        assertTrue(
                unknown[2] * 3 >= known[2],
                () -> "median unknown " + unknown[2] / 1000 + " us, known " + known[2] / 1000 + " us");
    }

    @Test
    void settingsOutsideTheirRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings(0, 8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> settings(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> settings(1, 8, 100, 50));
        assertThrows(IllegalArgumentException.class, () -> settings(1, 8, -1, 50));
        var d = Settings.defaults();
        assertEquals(settings(2, 64, 500, 30_000), d);
        assertFalse(d.firstDelay().isZero());
    }
}
