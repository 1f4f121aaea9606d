package io.forkcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BrokerClient against a local socket that plays the server's side from a script: the server's lines are written
 * before the client asks (so one thread drives both), and the client's lines are read back and compared.
 */
class BrokerClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ServerSocket listener;
    private BrokerClient client;
    private Socket server;
    private OutputStream toClient;
    private BufferedReader fromClient;

    @BeforeEach
    void connect() throws Exception {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = BrokerClient.connect("127.0.0.1", listener.getLocalPort(), TIMEOUT);
        server = listener.accept();
        server.setSoTimeout((int) TIMEOUT.toMillis());
        toClient = server.getOutputStream();
        fromClient = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        listener.close();
    }

    private void serverSays(String... lines) throws Exception {
        for (String line : lines) {
            toClient.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        toClient.flush();
    }

    private void clientSaid(String expected) throws Exception {
        assertEquals(expected, fromClient.readLine());
    }

    @Test
    void aSenderLogsInAndSendsDataAsOneCompactLine() throws Exception {
        serverSays(
                "{\"command\":\"login\",\"username\":\"manager\",\"role\":\"sender\",\"channel\":\"sms\"}",
                "{\"command\":\"notice\",\"text\":\"welcome\"}",
                "{\"command\":\"sent\",\"id\":17,\"channel\":\"sms\",\"receivers\":1}",
                "{\"command\":\"sent\",\"id\":18,\"channel\":\"sms\",\"receivers\":0,\"stored\":true}");
        assertEquals("sms", client.login("manager", "Albasiko2020^", BrokerClient.Role.SENDER, "sms"));
        clientSaid("{\"command\":\"login\",\"username\":\"manager\",\"password\":\"Albasiko2020^\",\"role\":\"sender\","
                + "\"channel\":\"sms\"}");
        assertEquals(new BrokerClient.Sent(17, "sms", 1, false), client.send("sms", "{ \"to\": \"+62\",\n \"n\": 1 }"));
        clientSaid("{\"command\":\"send\",\"channel\":\"sms\",\"data\":{\"to\":\"+62\",\"n\":1}}");
        assertEquals(new BrokerClient.Sent(18, "sms", 0, true), client.send(null, "[1,2]"));
        clientSaid("{\"command\":\"send\",\"data\":[1,2]}");
        assertEquals(List.of(new BrokerClient.Notice("welcome")), client.asides());
        assertEquals(List.of(), client.asides());
    }

    @Test
    void aReceiverGetsBatchesWithTheirIdsAndAcksThem() throws Exception {
        serverSays(
                "{\"command\":\"login\",\"username\":\"r\",\"role\":\"receiver\",\"channel\":\"sms\"}",
                "{\"command\":\"message\",\"channel\":\"sms\",\"data\":[{\"a\":1},{\"text\":\"hi\",\"from\":\"alice\"}],"
                        + "\"ids\":[17,18]}",
                "{\"command\":\"private\",\"from\":\"alice\",\"text\":\"psst\"}",
                "{\"command\":\"message\",\"channel\":\"sms\",\"data\":[123456789012345678901234567890],\"ids\":[19]}",
                "{\"command\":\"pong\"}");
        client.login("r", "pw", BrokerClient.Role.RECEIVER, "sms");
        clientSaid(
                "{\"command\":\"login\",\"username\":\"r\",\"password\":\"pw\",\"role\":\"receiver\",\"channel\":\"sms\"}");
        client.ping(); // Both batches arrive before the pong: they wait for receive().
        clientSaid("{\"command\":\"ping\"}");
        var first = client.receive(TIMEOUT);
        assertEquals(
                new BrokerClient.Batch(
                        "sms", List.of(17L, 18L), List.of("{\"a\":1}", "{\"text\":\"hi\",\"from\":\"alice\"}")),
                first);
        client.ack(first.ids());
        clientSaid("{\"command\":\"ack\",\"ids\":[17,18]}");
        assertEquals(
                List.of("123456789012345678901234567890"),
                client.receive(TIMEOUT).data());
        assertEquals(List.of(new BrokerClient.Private("alice", "psst")), client.asides());
    }

    @Test
    void aRefusalNamesItsCommandAndReasonAndTheConnectionGoesOn() throws Exception {
        serverSays("{\"command\":\"send\",\"error\":\"data too big (max 65536 bytes)\"}", "{\"command\":\"pong\"}");
        var refused = assertThrows(BrokerException.Refused.class, () -> client.send("sms", "\"x\""));
        assertEquals("send", refused.command());
        assertEquals("data too big (max 65536 bytes)", refused.reason());
        client.ping();
    }

    @Test
    void aRefusedLoginIsItsOwnException() throws Exception {
        serverSays("{\"command\":\"login\",\"error\":\"wrong user name or password\"}");
        var refused = assertThrows(
                BrokerException.LoginRefused.class, () -> client.login("u", "bad", BrokerClient.Role.RECEIVER, "sms"));
        assertEquals("wrong user name or password", refused.reason());
        assertTrue(!refused.getMessage().contains("bad"), "the password is not in the message");
    }

    @Test
    void aCloseLineEndsTheClientWithItsReason() throws Exception {
        serverSays("{\"command\":\"close\",\"reason\":\"server shutting down\"}");
        var closed = assertThrows(BrokerException.Closed.class, () -> client.receive(TIMEOUT));
        assertTrue(closed.getMessage().contains("server shutting down"), closed.getMessage());
        assertThrows(BrokerException.Closed.class, client::ping);
    }

    @Test
    void endOfStreamIsClosedNotASpin() throws Exception {
        server.shutdownOutput();
        assertThrows(BrokerException.Closed.class, () -> client.receive(TIMEOUT));
    }

    @Test
    void receiveTimesOutAndStaysUsableButASendTimeoutClosesTheClient() throws Exception {
        assertThrows(BrokerException.Timeout.class, () -> client.receive(Duration.ofMillis(50)));
        serverSays("{\"command\":\"pong\"}");
        client.ping();
        try (var quick = BrokerClient.connect("127.0.0.1", listener.getLocalPort(), Duration.ofMillis(100));
                var silent = listener.accept()) {
            assertTrue(silent.isConnected());
            assertThrows(BrokerException.Timeout.class, () -> quick.send("sms", "1"));
            assertThrows(BrokerException.Closed.class, () -> quick.send("sms", "2"));
        }
    }

    @Test
    void garbageFromTheServerIsGarbled() throws Exception {
        serverSays("not json", "{\"command\":\"message\",\"data\":[1,2],\"ids\":[1]}");
        assertThrows(BrokerException.Garbled.class, () -> client.receive(TIMEOUT));
        assertThrows(BrokerException.Garbled.class, () -> client.receive(TIMEOUT));
    }

    @Test
    void dataThatIsNotJsonIsRefusedBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> client.send("sms", "{\"a\":1}\n{\"b\":2}"));
    }

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThrows(BrokerException.Unavailable.class, () -> BrokerClient.connect("127.0.0.1", port, TIMEOUT));
    }
}
