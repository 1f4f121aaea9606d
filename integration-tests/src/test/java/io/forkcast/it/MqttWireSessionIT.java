package io.forkcast.it;

import static io.forkcast.it.RawMqtt.V311;
import static io.forkcast.it.RawMqtt.V5;
import static io.forkcast.it.RawMqtt.body;
import static io.forkcast.it.RawMqtt.packet;
import static io.forkcast.it.RawMqtt.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection's life on the real server, driven by the raw client: keep-alive (silence closes it after one and a
 * half times the keep-alive, pings keep it), a second connection with the same client id takes the session over,
 * a subscriber that never reads is dropped while the others get everything, 5.0 topic aliases and the client's
 * receive maximum.
 */
@Timeout(240)
class MqttWireSessionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How many messages the flooding publisher may be ahead of the subscriber that reads. */
    private static final int WINDOW = 100;

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aSilentClientIsClosedAfterOneAndAHalfKeepAlivesAndAPingingOneStays(int version) throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0")) {
            try (var silent = RawMqtt.open(server, version)) {
                silent.send(RawMqtt.connect(version, "silent-" + version, true, 1));
                assertEquals(0, silent.read().reasonCode());
                long connected = System.nanoTime();
                var seen = silent.awaitClosed(Duration.ofSeconds(5));
                long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected);
                assertTrue(closedAfterMs >= 1000 && closedAfterMs < 2500, "closed after " + closedAfterMs + " ms");
                if (version == V5) {
                    assertEquals(1, seen.size(), seen.toString()); // 0x8D, keep alive timeout
                    assertEquals(0x8D, seen.get(0).reasonCode(), seen.toString());
                } else {
                    assertEquals(0, seen.size(), seen.toString());
                }
            }
            try (var pinging = RawMqtt.open(server, version)) {
                pinging.send(RawMqtt.connect(version, "pinging-" + version, true, 1));
                assertEquals(0, pinging.read().reasonCode());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                int pongs = 0;
                while (System.nanoTime() < until) {
                    long sent = System.nanoTime();
                    pinging.send(RawMqtt.pingreq());
                    assertEquals(RawMqtt.PINGRESP, pinging.read().type());
                    pongs++;
                    // Pacing only: the next ping half a second after this one.
                    long left = TimeUnit.MILLISECONDS.toNanos(500) - (System.nanoTime() - sent);
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left);
                    }
                }
                pinging.send(RawMqtt.pingreq());
                assertEquals(RawMqtt.PINGRESP, pinging.read().type(), "still connected after " + pongs + " pings");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {V311, V5})
    void aSecondConnectionWithTheSameClientIdTakesTheSessionOver(int version) throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0");
                var first = RawMqtt.connected(server, version, "twin")) {
            first.subscribed(1, "twin/t", 0);
            try (var second = RawMqtt.connected(server, version, "twin")) {
                first.assertClosedWith(0x8E); // session taken over
                second.subscribed(1, "twin/t", 0);
                second.send(second.publish("twin/t", 0, 0, "to the second"));
                var p = second.readUntil(RawMqtt.PUBLISH);
                assertEquals("to the second", p.payload(version));
            }
        }
    }

    @Test
    void aSubscriberThatNeverReadsIsDroppedWhileAnotherGetsEverything() throws Exception {
        int messages = 8000;
        String payload = "x".repeat(2000);
        try (var server = ForkcastServer.start(
                        "--mqtt-port", "0", "--client-buffer-bytes", "262144", "--flood-bytes-per-second", "0");
                var reader = RawMqtt.connected(server, V311, "reader");
                var publisher = RawMqtt.connected(server, V311, "flooder")) {
            reader.subscribed(1, "flood/t", 0);
            // The stalled subscriber: a small receive window, a SUBSCRIBE, and never a read after its SUBACK.
            var socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(server.host(), server.mqttPort()), 5000);
            String stalledPeer = "127.0.0.1:" + socket.getLocalPort();
            try (var stalled = RawMqtt.over(socket, V311)) {
                stalled.send(RawMqtt.connect(V311, "stalled", true, 0));
                assertEquals(0, stalled.read().reasonCode());
                stalled.subscribed(1, "flood/t", 0);

                var received = new AtomicInteger();
                var readerThread = Thread.ofPlatform().name("it-reader").start(() -> {
                    try {
                        while (received.get() < messages) {
                            var p = reader.read();
                            if (p.type() == RawMqtt.PUBLISH) {
                                assertEquals(
                                        "flood/t " + received.get(),
                                        p.payload(V311).substring(0, ("flood/t " + received.get()).length()));
                                received.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (int i = 0; i < messages; i++) {
                    int sent = i;
                    // At most a window ahead of the reader, which thus never nears its own buffer's limit.
                    Await.until(
                            WAIT,
                            "the reader at " + (sent - WINDOW) + "\n%s",
                            () -> (received.get() >= sent - WINDOW || !readerThread.isAlive()) ? Boolean.TRUE : null,
                            () -> slowLines(server));
                    publisher.send(publisher.publish("flood/t", 0, 0, "flood/t " + i + " " + payload));
                }
                readerThread.join(WAIT.toMillis());
                assertEquals(
                        messages,
                        received.get(),
                        "the reading subscriber got every message, in order\n" + slowLines(server));
                String slow = server.awaitLog("event=client_slow peer=" + stalledPeer + " ");
                assertTrue(slow.contains("limit=262144"), slow);
                // Its connection is closed: what the kernel held, then the end.
                stalled.socket().setSoTimeout((int) WAIT.toMillis());
                var in = stalled.socket().getInputStream();
                byte[] sink = new byte[65536];
                while (in.read(sink) >= 0) {
                    // drained
                }
            }
            // The server goes on for the others.
            publisher.send(publisher.publish("flood/t", 0, 0, "after"));
            assertEquals("after", reader.readUntil(RawMqtt.PUBLISH).payload(V311));
        }
    }

    @Test
    void aTopicAliasStandsForItsTopicAndABadOneCloses() throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0");
                var subscriber = RawMqtt.connected(server, V5, "alias-sub")) {
            subscriber.subscribed(1, "alias/#", 0);
            try (var publisher = RawMqtt.connected(server, V5, "alias-pub")) {
                publisher.send(aliased("alias/a", 1, "first"));
                publisher.send(aliased("", 1, "second")); // the alias alone
                publisher.send(aliased("alias/b", 1, "third")); // set again, to another topic
                publisher.send(aliased("", 1, "fourth"));
                for (String expected :
                        new String[] {"alias/a first", "alias/a second", "alias/b third", "alias/b fourth"}) {
                    var p = subscriber.readUntil(RawMqtt.PUBLISH);
                    assertEquals(expected, p.topic() + " " + p.payload(V5));
                }
            }
            for (int alias : new int[] {0, 65}) { // 0 is never an alias; 64 is this server's topic alias maximum
                try (var publisher = RawMqtt.connected(server, V5, "alias-bad-" + alias)) {
                    publisher.send(aliased("alias/c", alias, "x"));
                    publisher.assertClosedWith(0x94);
                }
            }
            try (var publisher = RawMqtt.connected(server, V5, "alias-unset")) {
                publisher.send(aliased("", 2, "x"));
                publisher.assertClosedWith(0x82);
            }
        }
    }

    @Test
    void theServerSendsNoMoreUnacknowledgedQos1MessagesThanTheClientsReceiveMaximum() throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0");
                var subscriber = RawMqtt.open(server, V5);
                var publisher = RawMqtt.connected(server, V5, "rm-pub")) {
            // Receive maximum (0x21) 2.
            subscriber.send(RawMqtt.connect(V5, 0x02, 0, body(0x21, u16(2)), "rm-sub"));
            assertEquals(0, subscriber.read().reasonCode());
            subscriber.subscribed(1, "rm/t", 1);
            for (int i = 0; i < 5; i++) {
                publisher.send(publisher.publish("rm/t", 1, i + 1, "m" + i));
                assertEquals(RawMqtt.PUBACK, publisher.readUntil(RawMqtt.PUBACK).type()); // routed, all five
            }
            var first = subscriber.read();
            var second = subscriber.read();
            assertEquals("m0 m1", first.payload(V5) + " " + second.payload(V5));
            // Every message was routed before the last PUBACK: a third one would come before this ping's answer.
            subscriber.send(RawMqtt.pingreq());
            var next = subscriber.read();
            assertEquals(RawMqtt.PINGRESP, next.type(), "a third message in flight: " + next);
            // Each PUBACK lets one more come, in order.
            subscriber.send(RawMqtt.ack(0x40, first.packetId()));
            var third = subscriber.read();
            assertEquals("m2", third.payload(V5));
            subscriber.send(RawMqtt.pingreq());
            assertEquals(RawMqtt.PINGRESP, subscriber.read().type());
            for (var acked : new RawMqtt.Packet[] {second, third}) {
                subscriber.send(RawMqtt.ack(0x40, acked.packetId()));
            }
            assertEquals("m3", subscriber.read().payload(V5));
            assertEquals("m4", subscriber.read().payload(V5));
        }
    }

    private static String slowLines(ForkcastServer server) {
        return String.join(
                "\n",
                server.log().stream()
                        .filter(l -> l.contains("event=client_slow") || l.contains("event=exit"))
                        .toList());
    }

    /** A 5.0 QoS 0 PUBLISH with topic alias {@code alias} (property 0x23). */
    private static byte[] aliased(String topic, int alias, String payload) {
        byte[] props = RawMqtt.properties(body(0x23, u16(alias)));
        return packet(0x30, body(topic, props, payload.getBytes(StandardCharsets.UTF_8)));
    }
}
