package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The C reference (bench/reference/epoll-chat.c), built with gcc and run as the load generator runs it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpollChatTest {
    private static Path binary;

    @BeforeAll
    static void build(@TempDir Path dir) throws Exception {
        Path source = Path.of("reference/epoll-chat.c");
        Assumptions.assumeTrue(Files.exists(source), "run from bench/");
        binary = dir.resolve("epoll-chat");
        Process gcc;
        try {
            gcc = new ProcessBuilder(
                            "gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(), source.toString())
                    .inheritIO()
                    .start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no gcc: " + e.getMessage());
            return;
        }
        assertEquals(0, gcc.waitFor(), "gcc failed on " + source);
    }

    @Test
    void theLoadGeneratorsConnectAndBroadcastRunsWorkAgainstIt(@TempDir Path dir) throws Exception {
        try (var server = Server.start(List.of(binary.toString()), dir)) {
            var connect = ConnectScenario.run(server, new Params(List.of("count=10", "rate=50")));
            assertEquals("10", connect.get("banners"), connect.toString());
            var broadcast = BroadcastScenario.run(
                    server, new Params(List.of("clients=5", "rate=50", "lines_per_s=100", "seconds=0.5")));
            assertEquals("200", broadcast.get("expected"), broadcast.toString());
            assertEquals("0", broadcast.get("lost"), broadcast.toString());
        }
    }

    @Test
    void aClientThatDoesNotReadIsDroppedAndTheOthersGoOn(@TempDir Path dir) throws Exception {
        try (var server = Server.start(List.of(binary.toString()), dir);
                var stuck = new Socket();
                var sender = new Socket();
                var reader = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            for (var s : List.of(stuck, sender, reader)) {
                s.connect(new InetSocketAddress(server.host(), server.port()), 5000);
                s.setSoTimeout(30_000);
            }
            var in = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith(Conn.BANNER_PREFIX));
            var afterDrop = new java.util.concurrent.CountDownLatch(1);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    String text;
                    while ((text = in.readLine()) != null) {
                        if (text.endsWith("): ~F after the drop")) {
                            afterDrop.countDown();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // closed at the end of the test
                }
            });
            OutputStream out = sender.getOutputStream();
            byte[] line = Lines.padded("~F 0 1 ", 1000); // 1 KiB a line: MiBs within a second
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            var writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (server.events("client_slow") == 0 && System.nanoTime() < deadline) {
                        out.write(line);
                    }
                    out.write("~F after the drop\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException ignored) {
                    // the test fails on its own assertions
                }
            });
            writer.join(TimeUnit.SECONDS.toMillis(70));
            assertEquals(1, server.events("client_slow"), server.tail());
            assertTrue(server.alive());
            assertTrue(afterDrop.await(20, TimeUnit.SECONDS), "the reading client got nothing after the drop");
        }
    }
}
