package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import io.forkcast.admin.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What both admin pages promise, the PHP one ({@link PhpAdminIT}) and the Java one ({@link AdminWebIT}): the
 * tutorial's JSON endpoints, HTML-escaped output, no posts from other sites, and in a real browser a table of the
 * telnet clients that sends, kicks and refreshes itself.
 */
@Timeout(180)
abstract class AdminPageContract {
    static final String EVIL = "<script>alert(1)</script>";

    /** A running admin page for {@code server}. */
    interface Page extends AutoCloseable {
        /** The address of {@code path} ("admin.php", "sendMessage.php", ...) on this page's server. */
        String url(String path);

        /** Where an operator opens the page. */
        String pageUrl();

        @Override
        void close();
    }

    abstract Page open(ForkcastServer server) throws Exception;

    /** A name for files the tests leave for a person to look at (screenshots). */
    abstract String name();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HttpResponse<String> get(Page page, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(page.url(path)))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(Page page, String path, String contentType, String body, String origin) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(page.url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<?, ?> postJson(Page page, String path, String body) throws Exception {
        var response = post(page, path, "application/json", body, null);
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse(""));
        return (Map<?, ?>) Json.parse(response.body());
    }

    @Test
    void theJsonEndpointsKeepTheTutorialsContract() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var page = open(server)) {
            long idA = RawAdmin.idOf(server, a);
            long idB = RawAdmin.idOf(server, b);
            assertEquals(
                    Map.of("error", false, "message", ""),
                    postJson(
                            page,
                            "sendMessage.php",
                            "{\"clientId\":\"" + idA + "\",\"message\":\"json  contract, spaces kept\"}"));
            a.expect("*** admin: json  contract, spaces kept");
            assertEquals(
                    Map.of("error", false, "message", ""),
                    postJson(
                            page,
                            "sendMessage.php",
                            "{\"clientId\":" + idA + ",\"message\":\"a numeric id works too\"}"));
            a.expect("*** admin: a numeric id works too");
            assertEquals(
                    Map.of("error", true, "message", "Client Not Found"),
                    postJson(page, "sendMessage.php", "{\"clientId\":\"424242\",\"message\":\"nobody\"}"));
            assertEquals(
                    Map.of("error", true, "message", "Client Not Found"),
                    postJson(
                            page,
                            "sendMessage.php",
                            "{\"clientId\":\"" + idB + " x\\nKICK " + idB + "\",\"message\":\"injected\"}"));
            // A line break in the message cannot start a second command on the admin socket.
            assertEquals(
                    false,
                    postJson(
                                    page,
                                    "sendMessage.php",
                                    "{\"clientId\":\"" + idA + "\",\"message\":\"one\\nKICK " + idB + "\"}")
                            .get("error"));
            a.expect("*** admin: one KICK " + idB);
            var clients = (Map<?, ?>) Json.parse(get(page, "clients.php").body());
            assertEquals(false, clients.get("error"));
            var list = (List<?>) clients.get("clients");
            assertEquals(2, list.size(), list.toString());
            assertEquals(b.address(), ((Map<?, ?>) list.get(1)).get("peer"));
            assertEquals(
                    Map.of("error", false, "message", ""),
                    postJson(page, "kick.php", "{\"clientId\":\"" + idB + "\",\"reason\":\"enough for today\"}"));
            assertTrue(b.expectClosed(Duration.ofSeconds(10)).contains("*** kicked by an operator: enough for today"));
            assertEquals(
                    Map.of("error", true, "message", "Client Not Found"),
                    postJson(page, "kick.php", "{\"clientId\":\"" + idB + "\"}"));
        }
    }

    @Test
    void everythingShownIsHtmlEscaped() throws Exception {
        try (var server = ForkcastServer.start();
                var evil = server.join();
                var page = open(server)) {
            evil.send("/nick " + EVIL);
            evil.expect("*** you are now known as " + EVIL);
            var html = get(page, "admin.php");
            assertEquals(200, html.statusCode());
            assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(
                    html.body().contains("<td class=\"name\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"), html.body());
            assertFalse(html.body().contains("<script>alert"), html.body());
            var json = get(page, "clients.php").body();
            assertFalse(json.contains("<"), json);
            var clients = (List<?>) ((Map<?, ?>) Json.parse(json)).get("clients");
            assertEquals(EVIL, ((Map<?, ?>) clients.getFirst()).get("name"));
        }
    }

    @Test
    void postsThatAnotherSiteCouldMakeAreRefused() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var page = open(server)) {
            long idA = RawAdmin.idOf(server, a);
            String body = "{\"clientId\":\"" + idA + "\",\"message\":\"forged\"}";
            assertEquals(
                    415, post(page, "sendMessage.php", "text/plain", body, null).statusCode());
            assertEquals(
                    403,
                    post(page, "sendMessage.php", "application/json", body, "http://evil.example")
                            .statusCode());
            assertEquals(405, get(page, "sendMessage.php").statusCode());
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                admin.send(idA, "the first admin line");
            }
            assertEquals("*** admin: the first admin line", a.expectLine(l -> l.startsWith("*** admin:")));
        }
    }

    @Test
    void inABrowserThePageListsSendsKicksAndRefreshesAndANicknameStaysText() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var evil = server.join();
                var page = open(server);
                var browser = WebDriver.start()) {
            evil.send("/nick " + EVIL);
            evil.expect("*** you are now known as " + EVIL);
            long idA = RawAdmin.idOf(server, a);
            long idEvil = RawAdmin.idOf(server, evil);
            String rowA = "tr[data-client-id='" + idA + "'] ";
            String rowEvil = "tr[data-client-id='" + idEvil + "'] ";

            browser.get(page.pageUrl());
            browser.awaitText(rowA + "td.peer", a.address());
            browser.awaitText(rowEvil + "td.name", EVIL);
            assertEquals(Long.toString(evil.pid()), browser.text(browser.find(rowEvil + "td.pid")));
            assertNull(browser.alertText(), "an alert opened: the nickname ran as script");
            assertEquals(1L, browser.script("return document.scripts.length;"));
            browser.screenshot(ForkcastServer.HOME.resolve("integration-tests/target/admin-page-" + name() + ".png"));

            browser.type(browser.find(rowA + "input[name=message]"), "hello from the page,  two spaces");
            browser.click(browser.find(rowA + "button[type=submit]"));
            a.expect("*** admin: hello from the page,  two spaces");
            browser.awaitText("#status", "message sent to client " + idA);
            assertFalse(evil.seen().stream().anyMatch(l -> l.contains("hello from the page")));

            // The table keeps itself current: a newcomer shows up without a reload.
            try (var c = server.join()) {
                browser.awaitText("tr[data-client-id='" + RawAdmin.idOf(server, c) + "'] td.peer", c.address());
            }

            browser.type(browser.find(rowEvil + "input[name=message]"), "no scripts here");
            browser.click(browser.find(rowEvil + "button.kick"));
            assertTrue(
                    evil.expectClosed(Duration.ofSeconds(10)).contains("*** kicked by an operator: no scripts here"));
            browser.awaitText("#status", "client " + idEvil + " kicked");
            browser.awaitGone(rowEvil + "td.name");
            assertNull(browser.alertText());
        }
    }
}
