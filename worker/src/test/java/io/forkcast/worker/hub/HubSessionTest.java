package io.forkcast.worker.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.WorkerMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub session over a real Unix socket pair in this JVM: the test plays the supervisor by hand, frame by frame,
 * and owns the clock, so that backoff and timeouts are checked without waiting for them.
 */
@Timeout(20)
class HubSessionTest {
    private static final int MAX_FRAME_BYTES = 65536;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);
    private static final HubSession.Identity ME = new HubSession.Identity(4242, "127.0.0.1:5", "telnet");

    @TempDir
    Path dir;

    private Path socket;
    private ServerSocketChannel server;
    private Selector selector;
    private final List<Object> heard = new ArrayList<>();
    private long now = 1_000_000 * MS; // the session's clock, moved by hand
    private int attempts;

    @BeforeEach
    void listen() throws IOException {
        socket = dir.resolve("hub.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        selector = Selector.open();
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        server.close();
    }

    @Test
    void helloTwoIsTheFirstFrame() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = accept();
        hub.flush();
        assertEquals(new WorkerMessage.Hello2(ProtocolLevel.CURRENT, 4242, "127.0.0.1:5", "telnet"), supervisor.next());
    }

    @Test
    void welcomeTwoAgreesOnTheLowerLevelAndNamesTheNode() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = accept();
        supervisor.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT + 5, 7, "node-a", LIMITS));
        pumpUntil(hub, () -> !heard.isEmpty());
        assertEquals(List.of("welcomed 7"), heard);
        assertEquals(ProtocolLevel.CURRENT, hub.level());
        assertEquals("node-a", hub.node());
        assertEquals(7, hub.clientId());
    }

    @Test
    void aWelcomeFromAnOlderSupervisorMeansLevelOne() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = accept();
        supervisor.send(new SupervisorMessage.Welcome(7, LIMITS));
        pumpUntil(hub, () -> !heard.isEmpty());
        assertEquals(List.of("welcomed 7"), heard);
        assertEquals(ProtocolLevel.BASE, hub.level());
        assertEquals("", hub.node());
    }

    @Test
    void unackedLinesAreResentAfterAReconnectAndForgottenAfterAck() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var first = welcomed(hub);
        assertTrue(hub.say("one"));
        assertTrue(hub.say("two"));
        assertTrue(hub.act("waves"));
        hub.flush();
        assertEquals(new WorkerMessage.ClientSaid(1, "one"), first.next());
        assertEquals(new WorkerMessage.ClientSaid(2, "two"), first.next());
        assertEquals(new WorkerMessage.ClientActed(3, "waves"), first.next());
        first.send(new SupervisorMessage.Ack(1));
        first.send(new SupervisorMessage.NickAccepted(4, "carol"));
        pumpUntil(hub, () -> hub.unackedLines() == 2 && heard.size() == 2);

        first.close();
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        assertFalse(
                hub.requestNumbered(seq -> new WorkerMessage.NickRequested(seq, "dave")), "no link while reconnecting");
        assertTrue(hub.say("three"), "kept while reconnecting");
        now += Retry.FIRST_NANOS;
        assertTrue(hub.tick());
        var second = accept();
        hub.flush();
        assertEquals(
                new WorkerMessage.Resume4(
                        ProtocolLevel.CURRENT, 4242, "127.0.0.1:5", 7, "carol", "telnet", List.of(), null),
                second.next());
        assertEquals(new WorkerMessage.ClientSaid(2, "two"), second.next());
        assertEquals(new WorkerMessage.ClientActed(3, "waves"), second.next());
        assertEquals(new WorkerMessage.ClientSaid(4, "three"), second.next());
        second.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 7, "node-b", LIMITS));
        second.send(new SupervisorMessage.Ack(4));
        pumpUntil(hub, () -> heard.contains("resumed") && hub.unackedLines() == 0);
        assertEquals("node-b", hub.node());

        second.close();
        pumpUntil(hub, () -> heard.stream().filter("reconnecting"::equals).count() == 2);
        now += Retry.FIRST_NANOS;
        assertTrue(hub.tick());
        var third = accept();
        assertTrue(hub.say("four"));
        hub.flush();
        assertInstanceOf(WorkerMessage.Resume4.class, third.next());
        assertEquals(new WorkerMessage.ClientSaid(5, "four"), third.next(), "acknowledged lines are not resent");
    }

    @Test
    void theRoomEnteredIsBroughtBackWithItsTopicAndItsAnswerAcksTheLinesBeforeIt() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var first = welcomed(hub);
        first.send(new SupervisorMessage.Entered(0, "lobby", null));
        pumpUntil(hub, () -> heard.contains(new SupervisorMessage.Entered(0, "lobby", null)));
        assertTrue(hub.speaksRooms());
        assertTrue(hub.say("in the lobby"));
        assertTrue(hub.requestNumbered(seq -> new WorkerMessage.JoinRequested(seq, "dev")));
        assertTrue(hub.say("in dev"));
        hub.flush();
        assertEquals(new WorkerMessage.ClientSaid(1, "in the lobby"), first.next());
        assertEquals(new WorkerMessage.JoinRequested(2, "dev"), first.next());
        assertEquals(new WorkerMessage.ClientSaid(3, "in dev"), first.next());
        // No Ack yet: the answer to the join alone says line 1 was relayed, before the move.
        first.send(new SupervisorMessage.Entered(2, "Dev", "ship it"));
        first.send(new SupervisorMessage.TopicChanged(new Sender("node-a", 9, "bob", 99), "DEV", "shipped"));
        pumpUntil(hub, () -> hub.unackedLines() == 1 && heard.size() == 4);
        first.close();
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        now += Retry.FIRST_NANOS;
        assertTrue(hub.tick());
        var second = accept();
        hub.flush();
        assertEquals(
                new WorkerMessage.Resume4(
                        ProtocolLevel.CURRENT,
                        4242,
                        "127.0.0.1:5",
                        7,
                        null,
                        "telnet",
                        List.of(new RoomEntry("Dev", 0, "shipped")),
                        null),
                second.next());
        assertEquals(new WorkerMessage.ClientSaid(3, "in dev"), second.next(), "only the line after the move");
        second.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 7, "node-a", LIMITS));
        second.send(new SupervisorMessage.Entered(0, "Dev", "shipped"));
        second.send(new SupervisorMessage.Notice("after"));
        pumpUntil(hub, () -> heard.contains(new SupervisorMessage.Notice("after")));
        assertEquals(
                2,
                heard.stream()
                        .filter(SupervisorMessage.Entered.class::isInstance)
                        .count(),
                "put back in the same room: not told again");
    }

    @Test
    void aPrivateLineIsKeptItsConfirmationShownOnceAndItsSenderIsTheOneToReplyTo() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        assertTrue(hub.privately("bob", null, "psst"));
        hub.flush();
        assertEquals(new WorkerMessage.PrivateSaid(1, "bob", null, "psst"), supervisor.next());
        assertEquals(1, hub.unackedLines());
        var confirmed = new SupervisorMessage.PrivateSent(1, "Bob", "psst");
        var bob = new Sender("node-a", 9, "Bob", 99);
        supervisor.send(confirmed);
        supervisor.send(confirmed);
        supervisor.send(new SupervisorMessage.Deliver(
                new Address.Room("lobby"), new Sender("node-a", 8, "x", 8), 1, Style.SAY, "public"));
        supervisor.send(new SupervisorMessage.Deliver(new Address.Client("node-a", 7), bob, 4, Style.SAY, "hi back"));
        supervisor.send(new SupervisorMessage.Ack(1));
        pumpUntil(hub, () -> hub.unackedLines() == 0 && heard.size() == 4);
        assertEquals(1, heard.stream().filter(confirmed::equals).count());
        assertEquals(bob, hub.lastPrivateFrom());
    }

    @Test
    void aLineResentAfterARestartIsHandedOnOnce() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        var bob = new Sender("node-a", 9, "bob", 99);
        var say1 = new SupervisorMessage.Say(9, "bob", 99, 1, "hi");
        var say2 = new SupervisorMessage.Say(9, "bob", 99, 2, "again");
        var deliver1 = new SupervisorMessage.Deliver(new Address.Everyone(), bob, 1, Style.SAY, "hi");
        var deliver2 = new SupervisorMessage.Deliver(new Address.Everyone(), bob, 2, Style.ACT, "waves");
        var elsewhere = new SupervisorMessage.Deliver(
                new Address.Everyone(), new Sender("node-b", 9, "bob", 99), 1, Style.SAY, "hi");
        var left = new SupervisorMessage.Left(9, "bob", 99);
        for (var order :
                List.of(say1, say1, say2, say1, deliver1, deliver1, deliver2, deliver1, elsewhere, elsewhere)) {
            supervisor.send(order);
        }
        supervisor.send(left);
        supervisor.send(say1);
        supervisor.send(deliver1);
        supervisor.send(new SupervisorMessage.Notice("end"));
        pumpUntil(hub, () -> heard.contains(new SupervisorMessage.Notice("end")));
        assertEquals(
                List.of(
                        "welcomed 7",
                        say1,
                        say2,
                        deliver1,
                        deliver2,
                        elsewhere,
                        left,
                        say1,
                        deliver1,
                        new SupervisorMessage.Notice("end")),
                heard);
    }

    @Test
    void aRenderedLineResentAfterARestartIsHandedOnOnceAndSharesTheFilterWithDeliver() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        var bob = new Sender("node-a", 9, "bob", 99);
        byte[] text = "[bob] (99): hi\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var rendered1 = new SupervisorMessage.DeliverRendered("node-a", 9, 1, text);
        var rendered2 = new SupervisorMessage.DeliverRendered("node-a", 9, 2, text);
        var deliver2 = new SupervisorMessage.Deliver(new Address.Everyone(), bob, 2, Style.SAY, "hi");
        var deliver3 = new SupervisorMessage.Deliver(new Address.Everyone(), bob, 3, Style.SAY, "hi");
        var rendered3 = new SupervisorMessage.DeliverRendered("node-a", 9, 3, text);
        var elsewhere = new SupervisorMessage.DeliverRendered("node-b", 9, 1, text);
        var left = new SupervisorMessage.Left(9, "bob", 99);
        for (var order : List.of(
                rendered1, rendered1, rendered2, deliver2, deliver3, rendered3, rendered1, elsewhere, elsewhere)) {
            supervisor.send(order);
        }
        supervisor.send(left);
        supervisor.send(rendered1);
        supervisor.send(new SupervisorMessage.Notice("end"));
        pumpUntil(hub, () -> heard.contains(new SupervisorMessage.Notice("end")));
        assertEquals(
                List.of(
                        "welcomed 7",
                        rendered1,
                        rendered2,
                        deliver3,
                        elsewhere,
                        left,
                        rendered1,
                        new SupervisorMessage.Notice("end")),
                heard);
    }

    @Test
    void ordersForTheLoopAreHandedOn() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        var orders = List.<SupervisorMessage>of(
                new SupervisorMessage.Joined(8, "bob", 99),
                new SupervisorMessage.Renamed(8, "bob", "rob", 99),
                LIMITS,
                new SupervisorMessage.NickRefused(1, "x", "taken"),
                new SupervisorMessage.Disconnect("bye"));
        for (var order : orders) {
            supervisor.send(order);
        }
        supervisor.send(new SupervisorMessage.Ack(0));
        pumpUntil(hub, () -> heard.size() == orders.size() + 1);
        assertEquals(orders, heard.subList(1, heard.size()));
        assertTrue(hub.requestNumbered(seq -> new WorkerMessage.NickRequested(seq, "dave")));
        assertTrue(hub.request(new WorkerMessage.WhoRequested()));
        hub.flush();
        assertEquals(new WorkerMessage.NickRequested(1, "dave"), supervisor.next());
        assertEquals(new WorkerMessage.WhoRequested(), supervisor.next());
    }

    @Test
    void reconnectsBackOffFromATenthOfASecondDoublingToTwoSeconds() throws Exception {
        var hub = session(Duration.ofSeconds(60));
        var supervisor = welcomed(hub);
        server.close();
        Files.delete(socket); // every attempt from now on is refused
        supervisor.close();
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        long lostAt = now;
        assertEquals(lostAt + 100 * MS, hub.nextAttemptNanos());
        now = hub.nextAttemptNanos() - 1;
        assertFalse(hub.tick());
        assertEquals(0, attempts);
        var waits = new ArrayList<Long>();
        for (int i = 1; i <= 7; i++) {
            now = hub.nextAttemptNanos();
            assertTrue(hub.tick());
            assertEquals(i, attempts);
            waits.add((hub.nextAttemptNanos() - now) / MS);
        }
        assertEquals(List.of(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L), waits);
        assertEquals(List.of("welcomed 7", "reconnecting"), heard);
    }

    @Test
    void givesUpOnceTheReconnectTimeoutHasPassed() throws Exception {
        var hub = session(Duration.ofSeconds(5));
        var supervisor = welcomed(hub);
        server.close();
        Files.delete(socket);
        supervisor.close();
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        long lostAt = now;
        while (hub.nextAttemptNanos() <= lostAt + TimeUnit.SECONDS.toNanos(5)) {
            now = hub.nextAttemptNanos();
            assertTrue(hub.tick());
        }
        now = lostAt + TimeUnit.SECONDS.toNanos(5);
        assertFalse(hub.tick(), "not before the timeout");
        now += 1;
        assertTrue(hub.tick());
        assertEquals(List.of("welcomed 7", "reconnecting", "gaveUp hub_gone"), heard);
        now += TimeUnit.SECONDS.toNanos(60);
        assertFalse(hub.tick(), "given up once");
    }

    @Test
    void withoutAReconnectTimeoutALostLinkEndsTheSession() throws Exception {
        var hub = session(Duration.ZERO);
        welcomed(hub).close();
        pumpUntil(hub, () -> heard.size() == 2);
        assertEquals(List.of("welcomed 7", "gaveUp hub_closed"), heard);
    }

    @Test
    void aLinkLostBeforeTheWelcomeEndsTheSession() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        accept().close();
        pumpUntil(hub, () -> !heard.isEmpty());
        assertEquals(List.of("gaveUp hub_closed"), heard);
        assertEquals(0, attempts);
    }

    @Test
    void aCorruptFrameCountsAsALostLink() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        var frame = new FrameEncoder(MAX_FRAME_BYTES).encode(new SupervisorMessage.Notice("x"));
        var bad = ByteBuffer.allocate(frame.remaining()).put(frame).flip();
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 0x55));
        supervisor.channel.write(bad);
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        now += Retry.FIRST_NANOS;
        assertTrue(hub.tick());
        accept();
        assertEquals(1, attempts);
    }

    @Test
    void noWelcomeWithinTenSecondsIsOverdueOnce() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        accept();
        now += TimeUnit.SECONDS.toNanos(10);
        assertFalse(hub.welcomeOverdue());
        now += 1;
        assertTrue(hub.welcomeOverdue());
        assertFalse(hub.welcomeOverdue());
    }

    @Test
    void theBacklogOfUnackedLinesIsBounded() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        welcomed(hub).close();
        pumpUntil(hub, () -> heard.contains("reconnecting"));
        for (int i = 0; i < Backlog.MAX_LINES; i++) {
            assertTrue(hub.say("line " + i));
        }
        assertFalse(hub.say("one too many"));
        assertEquals(Backlog.MAX_LINES, hub.unackedLines());
    }

    @Test
    void aFullBacklogHasNoRoomUntilAnAckMakesSome() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        var supervisor = welcomed(hub);
        for (int i = 0; i < Backlog.MAX_LINES; i++) {
            assertTrue(hub.hasRoom());
            assertTrue(hub.say("line " + i));
        }
        assertFalse(hub.hasRoom());
        assertEquals(TimeUnit.SECONDS.toMillis(30), hub.waitMillis(), "the loop wakes up for the stall timeout");
        supervisor.send(new SupervisorMessage.Ack(10));
        pumpUntil(hub, hub::hasRoom);
        assertEquals(Backlog.MAX_LINES - 10, hub.unackedLines());
        assertEquals(0, hub.waitMillis());
    }

    @Test
    void longLinesFillTheBacklogBeforeTheLineCountDoes() throws Exception {
        var hub = session(Duration.ofSeconds(30));
        welcomed(hub);
        var line = "x".repeat(4096);
        int lines = 0;
        while (hub.hasRoom()) {
            assertTrue(hub.say(line));
            lines++;
        }
        assertEquals(Backlog.MAX_CHARS / line.length(), lines);
        assertFalse(hub.say(line));
    }

    @Test
    void aLinkedSessionWhoseFullBacklogGetsNoAckGivesUpAfterTheReconnectTimeout() throws Exception {
        var hub = session(Duration.ofSeconds(5));
        var supervisor = welcomed(hub);
        for (int i = 0; i < Backlog.MAX_LINES - 1; i++) {
            assertTrue(hub.say("line " + i));
        }
        now += TimeUnit.SECONDS.toNanos(60);
        assertFalse(hub.tick(), "a backlog with room never stalls");
        assertTrue(hub.say("the last that fits"));
        supervisor.send(new SupervisorMessage.Ack(1));
        pumpUntil(hub, hub::hasRoom);
        assertTrue(hub.say("full again"));
        long fullAt = now;
        now = fullAt + TimeUnit.SECONDS.toNanos(5);
        assertFalse(hub.tick(), "not before the timeout");
        now += 1;
        assertTrue(hub.tick());
        assertEquals(List.of("welcomed 7", "gaveUp hub_backlog"), heard);
        assertFalse(hub.tick(), "given up once");
    }

    // ---- the supervisor's side, by hand

    private HubSession session(Duration reconnectTimeout) throws IOException {
        HubSession.Connector connector = () -> {
            attempts++;
            return HubLink.connect(socket, MAX_FRAME_BYTES);
        };
        var hub = new HubSession(
                ME,
                HubLink.connect(socket, MAX_FRAME_BYTES),
                connector,
                reconnectTimeout,
                () -> now,
                EventLog.of("role=test"),
                new Recorder());
        hub.start(selector);
        return hub;
    }

    private Supervisor welcomed(HubSession hub) throws Exception {
        var supervisor = accept();
        hub.flush();
        assertInstanceOf(WorkerMessage.Hello2.class, supervisor.next());
        supervisor.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 7, "node-a", LIMITS));
        pumpUntil(hub, () -> heard.contains("welcomed 7"));
        return supervisor;
    }

    private Supervisor accept() throws IOException {
        return new Supervisor(server.accept());
    }

    /** Runs the session's side of the loop until {@code done}: select, read, flush. */
    private void pumpUntil(HubSession hub, BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out; heard " + heard);
            selector.select(100);
            for (var key : selector.selectedKeys()) {
                if (key.isValid() && hub.owns(key) && key.isReadable()) {
                    hub.onReadable();
                }
            }
            selector.selectedKeys().clear();
            hub.flush();
        }
    }

    private final class Recorder implements HubListener {
        @Override
        public void welcomed(long clientId, Limits limits) {
            heard.add("welcomed " + clientId);
        }

        @Override
        public void reconnecting() {
            heard.add("reconnecting");
        }

        @Override
        public void resumed(Limits limits) {
            heard.add("resumed");
        }

        @Override
        public void gaveUp(String cause) {
            heard.add("gaveUp " + cause);
        }

        @Override
        public void order(SupervisorMessage order) {
            heard.add(order);
        }
    }

    /** The accepted end of a hub link: blocking reads of whole frames, writes of single frames. */
    private static final class Supervisor {
        final SocketChannel channel;
        final FrameEncoder encoder = new FrameEncoder(MAX_FRAME_BYTES);
        final FrameDecoder decoder = new FrameDecoder(MAX_FRAME_BYTES);
        final ArrayDeque<Message> received = new ArrayDeque<>();
        final ByteBuffer buffer = ByteBuffer.allocate(MAX_FRAME_BYTES);

        Supervisor(SocketChannel channel) {
            this.channel = channel;
        }

        Message next() throws IOException, ProtocolException {
            while (received.isEmpty()) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    throw new IOException("the worker closed the link");
                }
                buffer.flip();
                decoder.feed(buffer, received::add);
            }
            return received.poll();
        }

        void send(SupervisorMessage message) throws IOException, ProtocolException {
            var frame = encoder.encode(message);
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        }

        void close() throws IOException {
            channel.close();
        }
    }
}
