package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What telnet users see: formats, commands and the line discipline, against the real server. */
@Timeout(120)
class ChatIT {

    @Test
    void threeClientsSeeTheExactFormats() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            try (var c = server.join()) {
                a.expect("*** " + c.address() + " (" + c.pid() + ") joined");
                b.expect("*** " + c.address() + " (" + c.pid() + ") joined");

                a.send("hello   world, spaces  kept");
                String expected = "[" + a.address() + "] (" + a.pid() + "): hello   world, spaces  kept";
                b.expect(expected);
                c.expect(expected);

                b.send("/nick bob");
                b.expect("*** you are now known as bob");
                a.expect("*** " + b.address() + " (" + b.pid() + ") is now known as bob");
                c.expect("*** " + b.address() + " (" + b.pid() + ") is now known as bob");
                b.send("hi from bob");
                a.expect("[bob] (" + b.pid() + "): hi from bob");
                c.expect("[bob] (" + b.pid() + "): hi from bob");

                c.send("/nick BOB");
                c.expectLine(l -> l.startsWith("*** nickname BOB refused: it is taken"));
                c.send("/nick has space");
                c.expect("*** a nickname cannot contain spaces");

                b.send("/me waves");
                a.expect("* bob (" + b.pid() + ") waves");

                a.send("/who");
                a.expect("*** 3 people in #lobby:");
                var who = List.of(a.readLine(), a.readLine(), a.readLine());
                assertTrue(
                        who.get(0).contains(a.address())
                                && who.get(0).contains("pid " + a.pid())
                                && who.get(0).endsWith("(you)"),
                        who.toString());
                assertTrue(who.get(1).contains("bob") && who.get(1).contains(b.address()), who.toString());
                assertTrue(who.get(2).contains(c.address()) && who.get(2).contains("pid " + c.pid()), who.toString());

                a.send("/frobnicate");
                a.expect("*** unknown command /frobnicate, try /help");
                a.send("/help");
                a.expectLine(l -> l.contains("/quit"));

                // The sender never gets a copy of its own line: a's next line after its /help is c's.
                c.send("from c");
                a.expect("[" + c.address() + "] (" + c.pid() + "): from c");
                assertFalse(
                        a.seen().stream().anyMatch(l -> l.contains("hello   world")),
                        a.seen().toString());

                b.send("/quit");
                b.expect("*** bye");
                b.expectClosed(Duration.ofSeconds(10));
                a.expect("*** bob (" + b.pid() + ") left");
                c.expect("*** bob (" + b.pid() + ") left");
            }
        }
    }

    @Test
    void telnetNegotiationControlsAndEncodingNeverReachOthers() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            // IAC DO ECHO is refused with IAC WONT ECHO; IAC DO TIMING-MARK is answered with IAC WILL TIMING-MARK.
            b.sendRaw(new byte[] {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 253, 6});
            byte[] reply = b.socket().getInputStream().readNBytes(6);
            assertEquals("fffc01fffb06", java.util.HexFormat.of().formatHex(reply));
            // ESC sequences and C1 controls are removed, tab kept; invalid UTF-8 becomes U+FFFD; CR NUL ends a line.
            var line = new java.io.ByteArrayOutputStream();
            line.writeBytes("red\u001b[31mtext\tand".getBytes(StandardCharsets.UTF_8));
            line.writeBytes(new byte[] {(byte) 0xC2, (byte) 0x9B, ' ', (byte) 0xC3, ' ', (byte) 255, (byte) 255});
            line.writeBytes(new byte[] {'\r', 0});
            line.writeBytes("split ".getBytes(StandardCharsets.UTF_8));
            b.sendRaw(line.toByteArray());
            b.sendRaw("line\n".getBytes(StandardCharsets.UTF_8));
            String prefix = "[" + b.address() + "] (" + b.pid() + "): ";
            a.expect(prefix + "red[31mtext\tand \uFFFD \uFFFD");
            a.expect(prefix + "split line");
        }
    }

    @Test
    void aTenKilobyteLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            b.send("x".repeat(10 * 1024));
            b.expect("*** line too long (max 4096 bytes)");
            b.send("short one");
            a.expect("[" + b.address() + "] (" + b.pid() + "): short one");
            assertFalse(a.seen().stream().anyMatch(l -> l.contains("xxxx")), "the long line was relayed");
        }
    }

    @Test
    void aFloodIsDroppedWithANoticeAndAPersistentFlooderIsDisconnected() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            var burst = new StringBuilder();
            for (int i = 1; i <= 300; i++) {
                burst.append("flood ").append(i).append("\r\n");
            }
            b.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
            b.expectLine(l -> l.startsWith("*** flood limit: lines dropped"));
            b.expect("*** disconnected for flooding");
            b.expectClosed(Duration.ofSeconds(10));
            // The first 50 (the burst) got through, in order, and nothing after them.
            for (int i = 1; i <= 50; i++) {
                assertEquals("[" + b.address() + "] (" + b.pid() + "): flood " + i, a.readLine());
            }
            a.expect("*** " + b.address() + " (" + b.pid() + ") left");
            server.awaitLog("event=flood_disconnect");
        }
    }

    @Test
    void twentyClientsFiftyLinesEachEveryLineArrivesOnceInOrder() throws Exception {
        int clients = 20;
        int lines = 50;
        // Twenty clients from one address: past clients_per_address_max unless it is lifted.
        try (var server = ForkcastServer.start("--clients-per-address-max", "0")) {
            var all = new ArrayList<TelnetClient>();
            try {
                for (int i = 0; i < clients; i++) {
                    all.add(server.join());
                }
                // Every client has seen everyone who came after it join: the room is complete.
                for (int i = 0; i < clients; i++) {
                    var me = all.get(i);
                    for (int j = i + 1; j < clients; j++) {
                        var other = all.get(j);
                        me.expect("*** " + other.address() + " (" + other.pid() + ") joined");
                    }
                }
                // One java worker per client, each a child of the supervisor, each serving a different client.
                var pids = new HashSet<Long>();
                for (var c : all) {
                    pids.add(c.pid());
                    var info = ProcessHandle.of(c.pid()).orElseThrow().info();
                    assertTrue(info.command().orElse("").endsWith("/java"), info.toString());
                    assertTrue(
                            info.arguments().map(List::of).orElse(List.of()).contains("io.forkcast.worker.Main"),
                            info.toString());
                }
                assertEquals(clients, pids.size());
                // The rest of the supervisor's children are spares waiting for clients.
                assertTrue(server.workerPids().containsAll(pids), server.workerPids() + " vs " + pids);

                var senders = new ArrayList<Thread>();
                for (int i = 0; i < clients; i++) {
                    var c = all.get(i);
                    int id = i;
                    senders.add(Thread.ofPlatform().start(() -> {
                        var block = new StringBuilder();
                        for (int n = 1; n <= lines; n++) {
                            block.append("from ")
                                    .append(id)
                                    .append(" line ")
                                    .append(n)
                                    .append("\r\n");
                        }
                        try {
                            c.sendRaw(block.toString().getBytes(StandardCharsets.UTF_8));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                }
                for (var t : senders) {
                    t.join();
                }
                for (int i = 0; i < clients; i++) {
                    var me = all.get(i);
                    int[] next = new int[clients];
                    java.util.Arrays.fill(next, 1);
                    int received = 0;
                    while (received < (clients - 1) * lines) {
                        String line = me.readLine();
                        assertTrue(line != null, "client " + i + " closed after " + received);
                        var m = java.util.regex.Pattern.compile("^\\[[^]]+] \\(\\d+\\): from (\\d+) line (\\d+)$")
                                .matcher(line);
                        if (!m.matches()) {
                            continue;
                        }
                        int from = Integer.parseInt(m.group(1));
                        int n = Integer.parseInt(m.group(2));
                        assertNotEquals(i, from, "client " + i + " got its own line back");
                        assertEquals(next[from], n, "client " + i + " from " + from + ": out of order or duplicated");
                        next[from]++;
                        received++;
                    }
                    assertEquals((clients - 1) * lines, received);
                }
            } finally {
                all.forEach(TelnetClient::close);
            }
        }
    }
}
