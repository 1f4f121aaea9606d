package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static Member member(long id, int level, TestMailbox mailbox) {
        return new Member(new ClientRef("n", id, "p", id, level, "telnet"), mailbox);
    }

    @Test
    void eachMemberIsAckedOncePerTurnUpToItsLastLine() {
        var delivery = new Delivery(0, 1000);
        var a = member(1, 1, new TestMailbox());
        var b = member(2, 1, new TestMailbox());
        assertTrue(delivery.fresh(a, 1));
        assertTrue(delivery.fresh(a, 2));
        assertTrue(delivery.fresh(b, 5));
        assertFalse(delivery.fresh(a, 2));
        var acked = new ArrayList<String>();
        delivery.acks(m -> acked.add(m.clientId() + ":" + m.lastSeq));
        delivery.acks(m -> acked.add("again " + m.clientId()));
        assertEquals(List.of("1:2", "2:5"), acked);
        assertEquals(1, delivery.duplicatesDropped());
    }

    @Test
    void aMemberGoneBeforeTheEndOfTheTurnIsNotAcked() {
        var delivery = new Delivery(0, 1000);
        var a = member(1, 1, new TestMailbox());
        delivery.fresh(a, 1);
        a.present = false;
        var acked = new ArrayList<Member>();
        delivery.acks(acked::add);
        assertTrue(acked.isEmpty());
    }

    @Test
    void theReplayBufferKeepsTheNewestLinesWithinItsBytesAndSendsEachItsLevel() {
        var delivery = new Delivery(Long.MAX_VALUE, 10);
        for (int i = 1; i <= 5; i++) {
            delivery.remember(i, "lobby", ByteBuffer.allocate(4), ByteBuffer.allocate(3));
        }
        assertEquals(2, delivery.recentLines());
        var lobby = new Room("lobby", "lobby", true, null);
        var level1 = new Recording();
        var nine = new Member(new ClientRef("n", 9, "p", 9, 1, "telnet"), level1);
        nine.room = lobby;
        delivery.replay(nine, 0);
        assertEquals(List.of(4, 4), level1.sizes);
        var level2 = new Recording();
        var five = new Member(new ClientRef("n", 5, "p", 5, 2, "telnet"), level2);
        five.room = lobby;
        delivery.replay(five, 0);
        assertEquals(List.of(3), level2.sizes, "its own line (from 5) is not replayed to it");
        var elsewhere = new Recording();
        var six = new Member(new ClientRef("n", 6, "p", 6, 2, "telnet"), elsewhere);
        six.room = new Room("dev", "dev", false, null);
        delivery.replay(six, 0);
        assertEquals(List.of(), elsewhere.sizes, "a room's lines are replayed to its members only");
    }

    /** Records the size of each frame. */
    private static final class Recording implements Mailbox {
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public boolean post(ByteBuffer frame) {
            sizes.add(frame.remaining());
            return true;
        }
    }
}
