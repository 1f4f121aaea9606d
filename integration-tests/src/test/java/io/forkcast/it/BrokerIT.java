package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import io.forkcast.admin.BrokerClient;
import io.forkcast.admin.BrokerClient.Role;
import io.forkcast.admin.BrokerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's broker on the real server, with the Java BrokerClient and real telnet clients: a sender's message
 * reaches the receivers of its channel and the people of the room of that name, people's lines reach receivers,
 * the receiver limit gives no message twice and hands what a killed receiver held to the next, store-and-forward
 * keeps messages for a receiver that logs in later (and across a kill -9 of the supervisor), and bad input gets one
 * error reply each while the connection goes on.
 */
@Timeout(240)
class BrokerIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    Path users;

    @BeforeEach
    void users() throws Exception {
        users = dir.resolve("users.htpasswd");
        htpasswd(users, "manager", "Albasiko2020^", "-c");
        htpasswd(users, "alice", "wonderland");
    }

    List<String> args(String... more) {
        var args = new ArrayList<>(
                List.of("--broker-port", "0", "--users-file", users.toString(), "--clients-per-address-max", "0"));
        args.addAll(List.of(more));
        return args;
    }

    static BrokerClient client(ForkcastServer server) throws BrokerException {
        return BrokerClient.connect(server.host(), server.brokerPort(), WAIT);
    }

    static BrokerClient receiver(ForkcastServer server, String channel) throws Exception {
        var receiver = client(server);
        assertEquals(channel, receiver.login("manager", "Albasiko2020^", Role.RECEIVER, channel));
        return receiver;
    }

    static BrokerClient sender(ForkcastServer server) throws Exception {
        var sender = client(server);
        sender.login("manager", "Albasiko2020^", Role.SENDER, null);
        return sender;
    }

    @Test
    void aSendersMessageReachesTheReceiverAndThePeopleOfTheRoomAndPeoplesLinesReachTheReceiver() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none"));
                var receiver = receiver(server, "sms");
                var sender = sender(server);
                var person = server.join()) {
            person.send("/join sms");
            person.expectLine(line -> line.contains("in #sms"));

            var sent = sender.send("sms", "{ \"to\": \"+62812\", \"text\": \"kode 123456\" }");
            assertEquals(1, sent.receivers());
            assertFalse(sent.stored());
            var batch = receiver.receive(WAIT);
            assertEquals("sms", batch.channel());
            assertEquals(List.of(sent.id()), batch.ids());
            assertEquals(List.of("{\"to\":\"+62812\",\"text\":\"kode 123456\"}"), batch.data());
            receiver.ack(batch.ids());
            person.expectLine(line ->
                    line.matches("\\[manager\\] \\(\\d+\\): \\{\"to\":\"\\+62812\",\"text\":" + "\"kode 123456\"\\}"));

            person.send("sms sent, thanks");
            var said = receiver.receive(WAIT);
            assertEquals(List.of("{\"text\":\"sms sent, thanks\",\"from\":\"" + person.address() + "\"}"), said.data());
            receiver.ack(said.ids());

            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                var lines = admin.command("LIST");
                assertTrue(
                        lines.stream().anyMatch(l -> l.contains("kind=broker role=receiver channel=sms")),
                        String.join("\n", lines));
                assertTrue(
                        lines.stream().anyMatch(l -> l.contains("kind=broker role=sender channel=-")),
                        String.join("\n", lines));
            }
        }
    }

    @Test
    void withALimitOfOneNoMessageReachesTwoReceiversAndAKilledReceiversMessagesGoToTheNext() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none", "--channels", "sms receivers=1"));
                var first = receiver(server, "sms");
                var second = receiver(server, "sms");
                var sender = sender(server)) {
            var ids = new ArrayList<Long>();
            for (int i = 0; i < 8; i++) {
                ids.add(sender.send("sms", "{\"n\":" + i + "}").id());
            }
            // The first receiver takes three and acknowledges them; it holds the next batch when it is killed.
            var firstSeen = new ArrayList<Long>();
            var acked = new ArrayList<Long>();
            while (firstSeen.size() < 8) {
                var batch = first.receive(WAIT);
                firstSeen.addAll(batch.ids());
                if (acked.isEmpty()) {
                    first.ack(batch.ids());
                    acked.addAll(batch.ids());
                } else {
                    break;
                }
            }
            assertThrows(
                    BrokerException.Timeout.class,
                    () -> second.receive(Duration.ofMillis(300)),
                    "the second receiver gets nothing while the first is in line");
            long firstPid = brokerPid(server, "receiver", 0);
            ForkcastServer.kill(firstPid, "KILL");

            var secondSeen = new ArrayList<Long>();
            while (secondSeen.size() < ids.size() - acked.size()) {
                var batch = second.receive(WAIT);
                secondSeen.addAll(batch.ids());
                second.ack(batch.ids());
            }
            var expected = new ArrayList<>(ids);
            expected.removeAll(acked);
            assertEquals(expected, secondSeen, "what the first never acknowledged, once each, in order");
            for (long id : secondSeen) {
                assertFalse(acked.contains(id), "acknowledged by the first and given to the second: " + id);
            }
        }
    }

    @Test
    void messagesForAChannelWithNoReceiverWaitInTheStoreAndComeOnceInOrder() throws Exception {
        try (var server = ForkcastServer.start(args())) {
            storeAndForward(server, 12);
        }
    }

    /** {@code count} messages sent with no receiver on, then a receiver: each once, in order, in batches of 5. */
    static void storeAndForward(ForkcastServer server, int count) throws Exception {
        var ids = new ArrayList<Long>();
        try (var sender = sender(server)) {
            for (int i = 0; i < count; i++) {
                var sent = sender.send("otp", "{\"n\":" + i + "}");
                assertEquals(0, sent.receivers());
                assertTrue(sent.stored(), "stored: " + sent);
                ids.add(sent.id());
            }
        }
        try (var receiver = receiver(server, "otp")) {
            var seen = new ArrayList<Long>();
            while (seen.size() < count) {
                var batch = receiver.receive(WAIT);
                assertTrue(batch.ids().size() <= 5, "record_limit: " + batch.ids());
                seen.addAll(batch.ids());
                receiver.ack(batch.ids());
            }
            assertEquals(ids, seen);
            assertThrows(BrokerException.Timeout.class, () -> receiver.receive(Duration.ofMillis(300)));
        }
    }

    @Test
    void storedMessagesSurviveAKillOfTheSupervisor() throws Exception {
        var ids = new ArrayList<Long>();
        var first = ForkcastServer.start(args());
        try {
            try (var sender = sender(first)) {
                for (int i = 0; i < 7; i++) {
                    ids.add(sender.send("otp", "{\"n\":" + i + "}").id());
                }
            }
            first.track(first.workerPids());
            ForkcastServer.kill(first.pid(), "KILL");
            first.process().waitFor();
            try (var second = ForkcastServer.startAfter(
                            first,
                            "--broker-port",
                            Integer.toString(first.brokerPort()),
                            "--users-file",
                            users.toString());
                    var receiver = receiver(second, "otp")) {
                var seen = new ArrayList<Long>();
                while (seen.size() < ids.size()) {
                    var batch = receiver.receive(WAIT);
                    seen.addAll(batch.ids());
                    receiver.ack(batch.ids());
                }
                assertEquals(ids, seen);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void badInputGetsOneErrorEachAndTheConnectionGoesOn() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none", "--broker-max-message-bytes", "64"));
                var raw = new TelnetClient(server.host(), server.brokerPort())) {
            raw.send("{\"command\":\"send\",\"channel\":\"sms\",\"data\":1}");
            raw.expectLine(line -> line.contains("\"command\":\"send\"") && line.contains("log in first"));
            raw.send("this is not json");
            raw.expectLine(line -> line.contains("\"error\"") && line.contains("JSON"));
            raw.send("{\"command\":\"frob\"}");
            raw.expectLine(line -> line.contains("\"command\":\"frob\"") && line.contains("unknown command"));
            raw.send("{\"username\":\"manager\"}");
            raw.expectLine(line -> line.contains("\"error\""));
            raw.send("{\"command\":\"login\",\"username\":\"manager\",\"password\":\"nope\",\"role\":\"sender\"}");
            raw.expectLine(line -> line.contains("\"command\":\"login\"") && line.contains("\"error\""));
            raw.send("{\"command\":\"login\",\"username\":\"manager\",\"password\":\"Albasiko2020^\","
                    + "\"role\":\"sender\"}");
            raw.expectLine(line -> line.contains("\"command\":\"login\"") && !line.contains("\"error\""));
            raw.send("{\"command\":\"send\",\"channel\":\"sms\"}");
            raw.expectLine(line -> line.contains("\"command\":\"send\"") && line.contains("\"error\""));
            raw.send("{\"command\":\"send\",\"channel\":\"sms\",\"data\":\"" + "x".repeat(100) + "\"}");
            raw.expectLine(line -> line.contains("\"command\":\"send\"") && line.contains("too big"));
            raw.send("x".repeat(5000));
            raw.expectLine(line -> line.contains("\"error\"") && line.contains("too long"));
            raw.send("{\"command\":\"send\",\"channel\":\"sms\",\"data\":[1,2]}");
            raw.expectLine(line -> line.contains("\"command\":\"sent\"") && line.contains("\"receivers\":0"));
        }
    }

    @Test
    void aClientThatKeepsSendingGarbageIsDisconnectedLikeAFlooder() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none"));
                var raw = new TelnetClient(server.host(), server.brokerPort())) {
            var garbage = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                garbage.append("not json ").append(i).append("\r\n");
            }
            raw.sendRaw(garbage.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var lines = raw.expectClosed(WAIT);
            assertTrue(
                    lines.getLast().contains("\"command\":\"close\"")
                            && lines.getLast().contains("flood"),
                    String.join("\n", lines));
            server.awaitLog("event=flood_disconnect");
        }
    }

    @Test
    void aProgramSendingFastIsPacedNotDroppedByTheChatsFloodLimit() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none"));
                var raw = new TelnetClient(server.host(), server.brokerPort())) {
            raw.send("{\"command\":\"login\",\"username\":\"manager\",\"password\":\"Albasiko2020^\","
                    + "\"role\":\"sender\",\"channel\":\"fast\"}");
            raw.expectLine(line -> line.contains("\"command\":\"login\"") && !line.contains("error"));
            var burst = new StringBuilder();
            int sends = 500; // 25 times the default 20 lines/s, all at once
            for (int i = 0; i < sends; i++) {
                burst.append("{\"command\":\"send\",\"data\":").append(i).append("}\r\n");
            }
            raw.sendRaw(burst.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < sends; i++) {
                String line = raw.expectLine(l -> l.startsWith("{"));
                assertTrue(line.contains("\"command\":\"sent\""), "send " + i + ": " + line);
            }
        }
    }

    @Test
    void withoutAUsersFileBrokerLoginsAreRefusedWithTheReason() throws Exception {
        try (var server = ForkcastServer.start("--broker-port", "0", "--store-url", "none");
                var client = client(server)) {
            var refused = assertThrows(
                    BrokerException.LoginRefused.class,
                    () -> client.login("manager", "Albasiko2020^", Role.SENDER, null));
            assertTrue(refused.getMessage().contains("users_file"), refused.getMessage());
        }
    }

    @Test
    void receiversWithoutALimitEachGetEveryMessage() throws Exception {
        try (var server = ForkcastServer.start(args("--store-url", "none"));
                var one = receiver(server, "alerts");
                var two = receiver(server, "alerts");
                var sender = sender(server)) {
            var sent = new ArrayList<Long>();
            for (int i = 0; i < 6; i++) {
                var reply = sender.send("alerts", "{\"n\":" + i + "}");
                assertEquals(2, reply.receivers());
                sent.add(reply.id());
            }
            for (var receiver : List.of(one, two)) {
                var seen = new HashSet<Long>();
                var order = new ArrayList<Long>();
                while (order.size() < sent.size()) {
                    var batch = receiver.receive(WAIT);
                    for (long id : batch.ids()) {
                        assertTrue(seen.add(id), "twice: " + id);
                        order.add(id);
                    }
                    receiver.ack(batch.ids());
                }
                assertEquals(sent, order);
            }
        }
    }

    /** The pid of the {@code index}-th broker client of {@code role}, from admin LIST, in order of arrival. */
    static long brokerPid(ForkcastServer server, String role, int index) throws Exception {
        try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            var pids = new ArrayList<Long>();
            Pattern pid = Pattern.compile(" pid=(\\d+) .*kind=broker role=" + role + " ");
            for (String line : admin.command("LIST")) {
                Matcher m = pid.matcher(line);
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            return pids.get(index);
        }
    }
}
