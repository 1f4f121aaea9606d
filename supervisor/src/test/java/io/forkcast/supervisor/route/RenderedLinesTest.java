package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.TelnetLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room line reaches a level 8 telnet worker rendered (the bytes its client is written, encoded once for every such
 * receiver), and every other worker as before: Deliver from level 2, Say or Act at level 1 (a worker of another
 * kind gets Deliver at any level: {@code DeliveryTest}). Replayed lines follow the same rule.
 */
class RenderedLinesTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    private static Router router(long windowEndsNanos) {
        return new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(windowEndsNanos, 1 << 20),
                new RoomBook("lobby", List.of(), 5),
                LIMITS,
                List.of());
    }

    private static ClientRef ref(long id, int level, String kind) {
        return new ClientRef("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id, level, kind);
    }

    @Test
    void aTelnetWorkerOfLevelEightGetsTheRenderedLineAndTheOthersTheirOwn() {
        var router = router(System.nanoTime() - 1);
        var speaker = router.join(ref(1, 8, "telnet"), new TestMailbox());
        var rendered1 = new TestMailbox();
        var rendered2 = new TestMailbox();
        var level7 = new TestMailbox();
        var level1 = new TestMailbox();
        router.join(ref(2, 8, "telnet"), rendered1);
        router.join(ref(3, 8, "telnet"), rendered2);
        router.join(ref(4, 7, "telnet"), level7);
        router.join(ref(6, 1, "telnet"), level1);
        List.of(rendered1, rendered2, level7, level1).forEach(TestMailbox::clear);
        router.said(speaker, 1, "h\u00e9llo \u00ff");
        router.acted(speaker, 2, "waves");
        var sender = new Sender("node-a", 1, "127.0.0.1:5001", 101);
        assertEquals(
                List.of(
                        new DeliverRendered(
                                "node-a",
                                1,
                                1,
                                "[127.0.0.1:5001] (101): h\u00e9llo \u00ff\r\n".getBytes(StandardCharsets.UTF_8)),
                        new DeliverRendered("node-a", 1, 2, TelnetLine.render("127.0.0.1:5001", 101, true, "waves"))),
                rendered1.received);
        assertEquals(
                "* 127.0.0.1:5001 (101) waves\r\n",
                new String(((DeliverRendered) rendered1.received.get(1)).text(), StandardCharsets.UTF_8));
        assertSame(rendered1.frames.getFirst(), rendered2.frames.getFirst(), "one encoding for every telnet receiver");
        var delivered = List.of(
                new Deliver(new Address.Room("lobby"), sender, 1, Style.SAY, "h\u00e9llo \u00ff"),
                new Deliver(new Address.Room("lobby"), sender, 2, Style.ACT, "waves"));
        assertEquals(delivered, level7.received, "a worker of level 7 gets Deliver");
        assertEquals(new Say(1, "127.0.0.1:5001", 101, 1, "h\u00e9llo \u00ff"), level1.received.getFirst());
    }

    @Test
    void aLineReplayedToAResumedTelnetWorkerIsTheRenderedOne() {
        var router = router(System.nanoTime() + 3_600_000_000_000L);
        var speaker = router.join(ref(1, 8, "telnet"), new TestMailbox());
        router.said(speaker, 1, "kept for the window");
        var back = new TestMailbox();
        router.resume(ref(2, 8, "telnet"), null, List.of(), back);
        var olderBack = new TestMailbox();
        router.resume(ref(3, 7, "telnet"), null, List.of(), olderBack);
        assertEquals(1, back.all(DeliverRendered.class).size());
        assertEquals(
                "[127.0.0.1:5001] (101): kept for the window\r\n",
                new String(back.all(DeliverRendered.class).getFirst().text(), StandardCharsets.UTF_8));
        assertEquals(1, olderBack.all(Deliver.class).size());
        assertEquals(0, olderBack.all(DeliverRendered.class).size());
    }
}
