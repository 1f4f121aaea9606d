package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Style;
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
    void theReplayBufferKeepsTheNewestLinesWithinItsBytesAndSendsEachItsLevelAndKind() {
        var frames = new Frames(65536, EventLog.of("role=test"));
        var room = new Address.Room("lobby");
        var sample = line(frames, room, 1);
        int largest = Math.max(
                Math.max(sample.level1().remaining(), sample.level2().remaining()),
                sample.rendered().remaining());
        var delivery = new Delivery(Long.MAX_VALUE, 2L * largest + 1);
        for (int i = 1; i <= 5; i++) {
            delivery.remember(i, "lobby", line(frames, room, i));
        }
        assertEquals(2, delivery.recentLines());
        var lobby = new Room("lobby", "lobby", true, null);
        var level1 = new Recording();
        var nine = new Member(new ClientRef("n", 9, "p", 9, 1, "telnet"), level1);
        nine.room = lobby;
        delivery.replay(nine, 0);
        int size1 = sample.level1().remaining();
        assertEquals(List.of(size1, size1), level1.sizes);
        var level2 = new Recording();
        var five = new Member(new ClientRef("n", 5, "p", 5, 2, "telnet"), level2);
        five.room = lobby;
        delivery.replay(five, 0);
        assertEquals(List.of(sample.level2().remaining()), level2.sizes, "its own line (from 5) is not replayed to it");
        var rendered = new Recording();
        var seven = new Member(new ClientRef("n", 7, "p", 7, LineFrames.RENDERED_LEVEL, "telnet"), rendered);
        seven.room = lobby;
        delivery.replay(seven, 0);
        int sizeRendered = sample.rendered().remaining();
        assertEquals(List.of(sizeRendered, sizeRendered), rendered.sizes, "a telnet worker of level 8: rendered");
        var webSocket = new Recording();
        var eight = new Member(new ClientRef("n", 8, "p", 8, LineFrames.RENDERED_LEVEL, "websocket"), webSocket);
        eight.room = lobby;
        delivery.replay(eight, 0);
        int size2 = sample.level2().remaining();
        assertEquals(List.of(size2, size2), webSocket.sizes, "another kind gets Deliver at any level");
        var elsewhere = new Recording();
        var six = new Member(new ClientRef("n", 6, "p", 6, 2, "telnet"), elsewhere);
        six.room = new Room("dev", "dev", false, null);
        delivery.replay(six, 0);
        assertEquals(List.of(), elsewhere.sizes, "a room's lines are replayed to its members only");
    }

    /** A line of client {@code from} (one digit, so every line's frames have the same sizes). */
    private static LineFrames line(Frames frames, Address.Room room, int from) {
        var sender = new Sender("n", from, "peer" + from, 100 + from);
        return new LineFrames(frames, room, sender, "peer" + from, 1, Style.SAY, "a line of text");
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
