package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientIdsTest {
    private static final Duration WINDOW = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aLaterSupervisorMayAdoptOnlyIdsTheEarlierOneHadOut() throws Exception {
        var first = new ClientIds(dir, WINDOW);
        long a = first.next();
        long b = first.next();
        long c = first.next();
        first.released(b);
        first.flush();

        var second = new ClientIds(dir, WINDOW);
        long now = System.nanoTime();
        assertTrue(second.adoptionOpen(now));
        assertFalse(second.claim(b, now), "a departed id is not taken again");
        assertFalse(second.claim(Long.MAX_VALUE, now), "an id never handed out");
        assertFalse(second.claim(0, now));
        assertTrue(second.claim(a, now));
        assertFalse(second.claim(a, now), "an id is claimed once");
        assertTrue(second.next() > c, "new ids stay above every id handed out");
    }

    @Test
    void aForgedHugeIdCannotPushLaterIdsPastTheMark() throws Exception {
        var first = new ClientIds(dir, WINDOW);
        first.next();
        first.flush();
        var second = new ClientIds(dir, WINDOW);
        assertFalse(second.claim(Long.MAX_VALUE, System.nanoTime()));
        long next = second.next();
        assertTrue(next > 0 && next < 10_000, "next id " + next);
    }

    @Test
    void theWindowClosesWhenItsTimeIsUpOrEveryWorkerCameBack() throws Exception {
        var first = new ClientIds(dir, WINDOW);
        long a = first.next();
        long b = first.next();
        first.flush();

        var second = new ClientIds(dir, WINDOW);
        long now = System.nanoTime();
        assertEquals(-1, second.closeWindowIfOver(now));
        assertTrue(second.claim(a, now));
        long late = now + WINDOW.toNanos() + 1;
        assertFalse(second.claim(b, late), "too late");
        assertEquals(1, second.closeWindowIfOver(late));
        second.flush();
        // b never came back: a third supervisor does not take it either, but a (adopted by the second) it does.
        var third = new ClientIds(dir, WINDOW);
        assertFalse(third.claim(b, System.nanoTime()));
        assertTrue(third.claim(a, System.nanoTime()));
        assertTrue(third.closeWindowIfOver(System.nanoTime()) == 0, "everyone came back: closed early");
    }

    @Test
    void whoTheUnclaimedWereIsHandedOverWhenTheWindowCloses() throws Exception {
        var first = new ClientIds(dir, WINDOW);
        long a = first.next();
        long b = first.next();
        long c = first.next();
        first.flush(id -> id == c ? null : new ClientIds.Seen(id, 100 + id, "nick" + id, "lobby"));

        var second = new ClientIds(dir, WINDOW);
        long now = System.nanoTime();
        assertTrue(second.claim(a, now));
        // Not resumed yet: a restart in the window keeps who b was.
        second.flush(id -> null);
        var third = new ClientIds(dir, WINDOW);
        var gone = new java.util.ArrayList<ClientIds.Seen>();
        assertEquals(3, third.closeWindowIfOver(System.nanoTime() + WINDOW.toNanos() + 1, gone::add));
        assertEquals(List.of(new ClientIds.Seen(b, 100 + b, "nick" + b, "lobby")), gone);
    }

    @Test
    void aFreshRuntimeDirectoryAdoptsNobody() throws Exception {
        var ids = new ClientIds(dir, WINDOW);
        assertFalse(ids.adoptionOpen(System.nanoTime()));
        assertFalse(ids.claim(1, System.nanoTime()));
    }

    @Test
    void aRuntimeDirectoryFromBeforeTheClientsFileAdoptsIdsBelowTheMarkOnce() throws Exception {
        Files.writeString(dir.resolve("client-ids"), "1025\n");
        var ids = new ClientIds(dir, WINDOW);
        long now = System.nanoTime();
        assertTrue(ids.claim(7, now));
        assertFalse(ids.claim(7, now));
        assertFalse(ids.claim(1025, now));
        assertFalse(ids.claim(Long.MAX_VALUE, now));
    }
}
