package io.forkcast.worker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.OutputCapture;
import io.forkcast.worker.front.broker.BrokerFrontDoor;
import io.forkcast.worker.hub.HubLink;
import io.forkcast.worker.hub.HubListener;
import io.forkcast.worker.hub.HubSession;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * A broker client's login, sends and acks, from its intents to the frames a supervisor gets and back to the JSON
 * lines the client is shown: the real front door and hub session over a Unix socket in this JVM, the test playing
 * the supervisor frame by frame, as the loop would wire them.
 */
@Timeout(20)
class BrokerFlowTest {
    private static final int MAX_FRAME_BYTES = 65536;
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);
    private static final HubSession.Identity ME = new HubSession.Identity(4242, "127.0.0.1:5", "broker");

    @TempDir
    Path dir;

    private Path socket;
    private ServerSocketChannel server;
    private Selector selector;
    private final ClientOutput out = new ClientOutput();
    private final BrokerFrontDoor front = new BrokerFrontDoor(out, 65536);
    private final List<String> heard = new ArrayList<>();
    private HubSession hub;
    private BrokerFlow flow;
    private Supervisor supervisor;

    @BeforeEach
    void listen() throws IOException {
        socket = dir.resolve("hub.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        selector = Selector.open();
        front.limits(LIMITS);
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        server.close();
    }

    @Test
    void aLoginIsTheAccountThenTheRoleAndOnlyTheRoleIsShown() throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        act(new Intent.BrokerLogin("u", "p", "receiver", "sms"));
        assertEquals(new WorkerMessage.LoginRequested(1, "u", "p"), supervisor.next());
        order(new SupervisorMessage.LoggedIn(1, "u"));
        assertEquals(new WorkerMessage.BrokerAttach(2, "receiver", "sms"), supervisor.next());
        assertEquals("", taken());
        order(new SupervisorMessage.BrokerAttached(2, "receiver", "SMS"));
        assertEquals(
                "{\"command\":\"login\",\"username\":\"u\",\"role\":\"receiver\",\"channel\":\"SMS\"}\r\n", taken());
        act(new Intent.BrokerLogin("u", "p", "receiver", "sms"));
        assertEquals("{\"command\":\"login\",\"error\":\"already logged in\"}\r\n", taken());
    }

    @Test
    void aRefusedLoginCanBeTriedAgain() throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        act(new Intent.BrokerLogin("u", "bad", "sender", null));
        act(new Intent.BrokerLogin("u", "p", "sender", null));
        assertEquals("{\"command\":\"login\",\"error\":\"a login is already under way\"}\r\n", taken());
        assertInstanceOf(WorkerMessage.LoginRequested.class, supervisor.next());
        order(new SupervisorMessage.LoginRefused(1, "u", "wrong user name or password"));
        assertEquals("{\"command\":\"login\",\"error\":\"wrong user name or password\"}\r\n", taken());
        act(new Intent.BrokerLogin("u", "p", "sender", null));
        assertEquals(new WorkerMessage.LoginRequested(2, "u", "p"), supervisor.next());
    }

    @Test
    void aRefusedRoleIsAskedAgainWithoutTheAccount() throws Exception {
        loggedIn("receiver", "sms");
        order(new SupervisorMessage.BrokerRefused(2, "login", "channel sms is full"));
        assertEquals("{\"command\":\"login\",\"error\":\"channel sms is full\"}\r\n", taken());
        act(new Intent.BrokerLogin("someone", "p", "receiver", "sms"));
        assertEquals("{\"command\":\"login\",\"error\":\"already logged in as u\"}\r\n", taken());
        act(new Intent.BrokerLogin("u", "p", "receiver", "mms"));
        assertEquals(new WorkerMessage.BrokerAttach(3, "receiver", "mms"), supervisor.next());
    }

    @Test
    void aServerBelowLevelFiveHasNoBroker() throws Exception {
        welcomed(4);
        act(new Intent.BrokerLogin("u", "p", "sender", null));
        assertEquals(
                "{\"command\":\"login\",\"error\":\"this server does not speak the broker protocol\"}\r\n", taken());
    }

    @Test
    void sendAndAckNeedALoginAndTheRightRole() throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        act(new Intent.BrokerSend("sms", "1"));
        act(new Intent.BrokerAck(List.of(1L)));
        String refused = taken();
        logIn("sender", null);
        act(new Intent.BrokerAck(List.of(1L)));
        act(new Intent.BrokerSend(null, "1"));
        assertEquals("""
                {"command":"send","error":"log in first"}\r
                {"command":"ack","error":"log in first"}\r
                """, refused);
        assertEquals("""
                {"command":"ack","error":"a sender has nothing to ack"}\r
                {"command":"send","error":"no channel: name one here or at login"}\r
                """, taken());
    }

    @Test
    void aReceiverAcksAndCannotSend() throws Exception {
        loggedIn("receiver", "sms");
        act(new Intent.BrokerSend("sms", "1"));
        assertEquals("{\"command\":\"send\",\"error\":\"a receiver cannot send\"}\r\n", taken());
        act(new Intent.BrokerAck(List.of(17L, 18L)));
        assertEquals(new WorkerMessage.BrokerAck(List.of(17L, 18L)), supervisor.next());
    }

    @Test
    void sendsAreKeptUntilAckedAndResentAfterTheRoleWhenTheSupervisorComesBack() throws Exception {
        loggedIn("sender", "sms");
        act(new Intent.BrokerSend(null, "{\"a\":1}"));
        act(new Intent.BrokerSend("mms", "2"));
        act(new Intent.BrokerSend(null, "3"));
        assertEquals(new WorkerMessage.BrokerSend(3, "sms", "{\"a\":1}"), supervisor.next());
        assertEquals(new WorkerMessage.BrokerSend(4, "mms", "2"), supervisor.next());
        assertEquals(new WorkerMessage.BrokerSend(5, "sms", "3"), supervisor.next());
        supervisor.send(new SupervisorMessage.Ack(3));
        order(new SupervisorMessage.BrokerSent(3, 17, "sms", 1, false));
        assertEquals("{\"command\":\"sent\",\"id\":17,\"channel\":\"sms\",\"receivers\":1}\r\n", taken());

        supervisor.close();
        pumpUntil(() -> heard.contains("reconnecting"));
        var second = new Supervisor(acceptWhileTicking());
        var resume = assertInstanceOf(WorkerMessage.Resume4.class, second.next());
        assertEquals("u", resume.user());
        assertEquals(new WorkerMessage.BrokerAttach(0, "sender", "sms"), second.next());
        assertEquals(new WorkerMessage.BrokerSend(4, "mms", "2"), second.next());
        assertEquals(new WorkerMessage.BrokerSend(5, "sms", "3"), second.next());
        second.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 7, "node-b", LIMITS));
        pumpUntil(() -> heard.contains("resumed"));
        supervisor = second;
        order(new SupervisorMessage.BrokerAttached(0, "sender", "sms"));
        assertEquals("", taken(), "the login line is not shown again");
    }

    @Test
    void aLoginUnderWayWhenTheSupervisorWentAwayIsToldToTryAgain() throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        act(new Intent.BrokerLogin("u", "p", "sender", null));
        assertInstanceOf(WorkerMessage.LoginRequested.class, supervisor.next());
        supervisor.close();
        pumpUntil(() -> heard.contains("reconnecting"));
        var second = new Supervisor(acceptWhileTicking());
        var resume = assertInstanceOf(WorkerMessage.Resume4.class, second.next());
        assertNull(resume.user());
        second.send(new SupervisorMessage.Welcome2(ProtocolLevel.CURRENT, 7, "node-b", LIMITS));
        pumpUntil(() -> heard.contains("resumed"));
        assertEquals(
                "{\"command\":\"login\",\"error\":\"interrupted by a server restart, log in again\"}\r\n", taken());
    }

    @Test
    void aFullBacklogOfSendsHasNoRoomSoTheLoopHoldsTheClient() throws Exception {
        loggedIn("sender", "sms");
        int sent = 0;
        while (hub.hasRoom()) {
            act(new Intent.BrokerSend(null, "{\"n\":" + sent++ + "}"));
        }
        assertEquals(4096, sent);
        assertFalse(heard.contains("backlogFull"), "the loop stops reading before a send finds no room");
        act(new Intent.BrokerSend(null, "1"));
        assertEquals(1, heard.stream().filter("backlogFull"::equals).count());
        supervisor.send(new SupervisorMessage.Ack(2 + 4096));
        pumpUntil(hub::hasRoom);
    }

    @Test
    void pingAndLogoutAreAnsweredHereAndLogoutEndsTheSession() throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        act(new Intent.BrokerPing());
        act(new Intent.BrokerLogout());
        act(new Intent.BrokerError("frob", "unknown command"));
        assertEquals("""
                {"command":"pong"}\r
                {"command":"logout"}\r
                {"command":"frob","error":"unknown command"}\r
                """, taken());
        assertTrue(heard.contains("quit"));
        assertFalse(flow.handles(new Intent.Say("hi")), "not a broker intent");
    }

    // ---- wiring, as the loop does it

    private void act(Intent intent) throws IOException {
        assertTrue(flow.handles(intent), String.valueOf(intent));
        hub.flush();
    }

    /** An order as the loop takes it from the hub session: shown, then handed to the flow. */
    private void order(SupervisorMessage order) throws Exception {
        supervisor.send(order);
        int before = heard.size();
        pumpUntil(() -> heard.size() > before);
    }

    private void welcomed(int level) throws Exception {
        hub = new HubSession(
                ME,
                HubLink.connect(socket, MAX_FRAME_BYTES),
                () -> HubLink.connect(socket, MAX_FRAME_BYTES),
                Duration.ofSeconds(30),
                System::nanoTime,
                EventLog.of("role=test"),
                new Listener());
        flow = new BrokerFlow(front, hub, () -> heard.add("backlogFull"), () -> heard.add("quit"));
        hub.start(selector);
        supervisor = new Supervisor(server.accept());
        hub.flush();
        assertInstanceOf(WorkerMessage.Hello2.class, supervisor.next());
        supervisor.send(new SupervisorMessage.Welcome2(level, 7, "node-a", LIMITS));
        pumpUntil(() -> heard.contains("welcomed 7"));
    }

    private void loggedIn(String role, String channel) throws Exception {
        welcomed(ProtocolLevel.CURRENT);
        logIn(role, channel);
    }

    private void logIn(String role, String channel) throws Exception {
        act(new Intent.BrokerLogin("u", "p", role, channel));
        assertInstanceOf(WorkerMessage.LoginRequested.class, supervisor.next());
        order(new SupervisorMessage.LoggedIn(1, "u"));
        assertEquals(new WorkerMessage.BrokerAttach(2, role, channel), supervisor.next());
        order(new SupervisorMessage.BrokerAttached(2, role, channel));
        taken();
    }

    /** Accepts the session's reconnect, running its ticks (the backoff's first try is 0.1 s away) meanwhile. */
    private SocketChannel acceptWhileTicking() throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                assertTrue(System.nanoTime() < deadline, "no reconnect; heard " + heard);
                hub.tick();
                hub.flush();
                var channel = server.accept();
                if (channel != null) {
                    channel.configureBlocking(true);
                    return channel;
                }
                selector.select(10);
                selector.selectedKeys().clear();
            }
        } finally {
            server.configureBlocking(true);
        }
    }

    /** Runs the session's side of the loop until {@code done}: select, read, flush. */
    private void pumpUntil(BooleanSupplier done) throws IOException {
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

    private String taken() throws IOException {
        return new String(OutputCapture.take(out), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The loop's side of the hub session, for what the flow needs: orders shown, then handed to the flow. */
    private final class Listener implements HubListener {
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
            flow.resumed();
        }

        @Override
        public void gaveUp(String cause) {
            heard.add("gaveUp " + cause);
        }

        @Override
        public void order(SupervisorMessage order) {
            heard.add("order " + order.getClass().getSimpleName());
            front.render(order, 7);
            flow.order(order);
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
