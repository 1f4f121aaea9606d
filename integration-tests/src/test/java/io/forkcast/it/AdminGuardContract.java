package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What both admin pages (PHP and Java) check before anything else: a Host that names them (so a DNS-rebinding page
 * gets nothing) and, with {@code admin_web_password_file}, HTTP basic credentials on every request.
 */
@Timeout(180)
abstract class AdminGuardContract {
    static final String CREDENTIAL = "admin:s3cret";

    /** A running admin page on 127.0.0.1. */
    interface Page extends AutoCloseable {
        int port();

        /** The page's path for {@code name} ("admin.php", "clients.php", "kick.php"). */
        String path(String name);

        @Override
        void close();
    }

    /** The page for {@code server}, with a password file and extra allowed hosts (each null: none). */
    abstract Page open(ForkcastServer server, Path passwordFile, String allowedHosts) throws Exception;

    record Answer(int status, String headers, String body) {}

    /** One raw HTTP/1.1 request: the JDK's client will not send a Host header of our choosing. */
    static Answer request(int port, String method, String path, String host, String authorization, String json)
            throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            var head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (json != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            var all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String headers = split < 0 ? text : text.substring(0, split);
            int status = Integer.parseInt(headers.split(" ", 3)[1]);
            return new Answer(status, headers, split < 0 ? "" : text.substring(split + 4));
        }
    }

    static String basic(String credential) {
        return "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8));
    }

    static Path passwordFile() throws Exception {
        Path file = Files.createTempFile(
                Path.of("/tmp"),
                "fc-pw-",
                ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, CREDENTIAL + "\n");
        return file;
    }

    @Test
    void aPageNamingAnotherHostGetsNothingSoDnsRebindingReadsAndChangesNothing() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var page = open(server, null, null)) {
            long id = RawAdmin.idOf(server, a);
            String evil = "rebind.evil.example:" + page.port();
            for (String name : new String[] {"admin.php", "clients.php"}) {
                var answer = request(page.port(), "GET", page.path(name), evil, null, null);
                assertEquals(421, answer.status(), name + ": " + answer);
                assertFalse(answer.body().contains(a.address()), answer.body());
            }
            var kick = request(page.port(), "POST", page.path("kick.php"), evil, null, "{\"clientId\": " + id + "}");
            assertEquals(421, kick.status(), kick.toString());
            var ok = request(page.port(), "GET", page.path("clients.php"), "localhost:" + page.port(), null, null);
            assertEquals(200, ok.status(), ok.toString());
            assertTrue(ok.body().contains(a.address()), ok.body());
            a.send("still connected");
            assertTrue(ForkcastServer.alive(a.pid()));
        }
    }

    @Test
    void namesInAdminWebHostsAreAnsweredToo() throws Exception {
        try (var server = ForkcastServer.start();
                var page = open(server, null, "chat.example, admin.example")) {
            String path = page.path("clients.php");
            assertEquals(
                    200,
                    request(page.port(), "GET", path, "chat.example:" + page.port(), null, null)
                            .status());
            assertEquals(
                    200,
                    request(page.port(), "GET", path, "ADMIN.example", null, null)
                            .status());
            assertEquals(
                    421,
                    request(page.port(), "GET", path, "other.example", null, null)
                            .status());
        }
    }

    @Test
    void withAPasswordFileEveryRequestNeedsTheCredential() throws Exception {
        Path file = passwordFile();
        try (var server = ForkcastServer.start();
                var a = server.join();
                var page = open(server, file, null)) {
            long id = RawAdmin.idOf(server, a);
            String host = "127.0.0.1:" + page.port();
            for (String auth : new String[] {null, basic("admin:wrong"), basic("root:s3cret"), "Basic !!"}) {
                var answer = request(page.port(), "GET", page.path("clients.php"), host, auth, null);
                assertEquals(401, answer.status(), auth + ": " + answer);
                assertTrue(
                        answer.headers()
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("www-authenticate: basic realm=\"forkcast admin\""),
                        answer.headers());
                assertFalse(answer.body().contains(a.address()));
                var kick =
                        request(page.port(), "POST", page.path("kick.php"), host, auth, "{\"clientId\": " + id + "}");
                assertEquals(401, kick.status(), kick.toString());
            }
            var list = request(page.port(), "GET", page.path("clients.php"), host, basic(CREDENTIAL), null);
            assertEquals(200, list.status(), list.toString());
            assertTrue(list.body().contains(a.address()), list.body());
            String reason = "{\"clientId\": " + id + ", \"reason\": \"bye from the page\"}";
            var kick = request(page.port(), "POST", page.path("kick.php"), host, basic(CREDENTIAL), reason);
            assertEquals(200, kick.status(), kick.toString());
            a.expectLine(l -> l.startsWith("*** ") && l.endsWith("bye from the page"));
            a.expectClosed(Duration.ofSeconds(10));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void inABrowserThePageWorksWithTheCredential() throws Exception {
        Path file = passwordFile();
        try (var server = ForkcastServer.start();
                var a = server.join();
                var page = open(server, file, null);
                var browser = WebDriver.start()) {
            long id = RawAdmin.idOf(server, a);
            // The browser answers the page's challenge with the address's credentials and keeps them for the
            // realm; the page is then opened by its plain address (a page whose own address holds credentials
            // may not fetch), and its refreshes and posts carry them.
            browser.get("http://" + CREDENTIAL + "@127.0.0.1:" + page.port() + page.path("admin.php"));
            browser.get("http://127.0.0.1:" + page.port() + page.path("admin.php"));
            String row = "tr[data-client-id='" + id + "'] ";
            browser.awaitText(row + "td.peer", a.address());
            browser.type(browser.find(row + "input[name=message]"), "hello through basic auth");
            browser.click(browser.find(row + "button[type=submit]"));
            a.expect("*** admin: hello through basic auth");
            browser.awaitText("#status", "message sent to client " + id);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
