package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java admin page, {@code scripts/forkcast admin-web}: the shared contract of {@link AdminPageContract}, plus
 * what only it does (loopback by default, refusing foreign Host headers).
 */
class AdminWebIT extends AdminDashboardContract {

    @Override
    String name() {
        return "java";
    }

    static ChildProcess startAdminWeb(ForkcastServer server, String... extra) throws Exception {
        var command = new java.util.ArrayList<>(List.of(
                ForkcastServer.HOME.resolve("scripts/forkcast").toString(),
                "admin-web",
                "--port",
                "0",
                "--runtime-dir",
                server.runtimeDir().toString()));
        command.addAll(List.of(extra));
        return ChildProcess.start(command, Map.of("FORKCAST_NO_BUILD", "1"), null);
    }

    @Override
    Page open(ForkcastServer server) throws Exception {
        var process = startAdminWeb(server);
        String base;
        try {
            String ready = process.awaitOutput("^READY http://", Duration.ofSeconds(60));
            base = ready.substring("READY ".length()).strip();
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return new Page() {
            @Override
            public String url(String path) {
                return base + path;
            }

            @Override
            public String pageUrl() {
                return base;
            }

            @Override
            public void close() {
                process.close();
            }
        };
    }

    @Test
    void itListensOnLoopbackAndRefusesForeignHostHeaders() throws Exception {
        try (var server = ForkcastServer.start();
                var page = open(server)) {
            var m = Pattern.compile("http://(127\\.0\\.0\\.1):(\\d+)/").matcher(page.pageUrl());
            assertTrue(m.matches(), page.pageUrl());
            int port = Integer.parseInt(m.group(2));
            assertTrue(rawStatusLine(port, "evil.example").startsWith("HTTP/1.1 421"));
            assertTrue(rawStatusLine(port, "localhost:" + port).startsWith("HTTP/1.1 200"));
            assertEquals(404, get(page, "nothing-here").statusCode());
        }
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() throws Exception {
        var result = CommandLineIT.run("admin-web", "--port", "99999");
        assertEquals(2, result.code());
        assertTrue(
                result.stderr().startsWith("forkcast: bad value for --port: 99999 is outside 0..65535"),
                result.stderr());
    }

    private static String rawStatusLine(int port, String host) throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
