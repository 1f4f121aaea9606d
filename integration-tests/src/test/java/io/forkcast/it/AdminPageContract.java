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
 * telnet clients that sends, kicks and refreshes itself, with a room column, a room filter and a broadcast form.
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

    @Test
    void theBroadcastEndpointReachesOneRoomOrEveryoneAndTheListCarriesTheRooms() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "quiet \"" + EVIL + "\"");
                var a = server.join();
                var b = server.join();
                var c = server.join();
                var page = open(server)) {
            b.send("/join dev");
            b.expect("*** you are now in #dev");
            c.send("/join DEV");
            c.expect("*** you are now in #dev");

            var json = get(page, "clients.php").body();
            assertFalse(json.contains("<"), json);
            var list = (Map<?, ?>) Json.parse(json);
            assertEquals(
                    List.of("lobby", "dev", "dev"),
                    ((List<?>) list.get("clients"))
                            .stream()
                                    .map(client -> ((Map<?, ?>) client).get("room"))
                                    .toList());
            var rooms = (List<?>) list.get("rooms");
            assertEquals(3, rooms.size(), rooms.toString());
            assertEquals(Map.of("name", "quiet", "members", 0L, "topic", EVIL), rooms.get(0));
            assertEquals("dev", ((Map<?, ?>) rooms.get(2)).get("name"));
            assertEquals(2L, ((Map<?, ?>) rooms.get(2)).get("members"));

            var html = get(page, "admin.php").body();
            assertTrue(html.contains("<td class=\"room\">dev</td>"), html);
            assertTrue(
                    html.contains("<option value=\"quiet\" title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">"
                            + "#quiet (0 clients)</option>"),
                    html);
            assertFalse(html.contains("<script>alert"), html);

            assertEquals(
                    Map.of("error", false, "message", "", "reached", 2L),
                    postJson(page, "broadcast.php", "{\"room\":\"#Dev\",\"message\":\"dev  only\"}"));
            b.expect("*** admin: dev  only");
            c.expect("*** admin: dev  only");
            assertEquals(
                    Map.of("error", false, "message", "", "reached", 3L),
                    postJson(page, "broadcast.php", "{\"room\":\"\",\"message\":\"everyone\"}"));
            assertEquals("*** admin: everyone", a.expectLine(l -> l.startsWith("*** admin:")));
            b.expect("*** admin: everyone");
            assertEquals(
                    Map.of("error", false, "message", "", "reached", 3L),
                    postJson(page, "broadcast.php", "{\"message\":\"no room means everyone\"}"));
            a.expect("*** admin: no room means everyone");

            var notFound = Map.of("error", true, "message", "Room Not Found");
            assertEquals(notFound, postJson(page, "broadcast.php", "{\"room\":\"nowhere\",\"message\":\"hello\"}"));
            assertEquals(notFound, postJson(page, "broadcast.php", "{\"room\":\"quiet x\",\"message\":\"hello\"}"));
            // A room name cannot smuggle a second command onto the admin socket.
            assertEquals(
                    notFound,
                    postJson(page, "broadcast.php", "{\"room\":\"dev\\nBROADCAST smuggled\",\"message\":\"hello\"}"));
            var empty = post(page, "broadcast.php", "application/json", "{\"room\":\"dev\",\"message\":\" \"}", null);
            assertEquals(400, empty.statusCode());
            assertEquals(Map.of("error", true, "message", "the message is empty"), Json.parse(empty.body()));
            var badRoom = post(page, "broadcast.php", "application/json", "{\"room\":7,\"message\":\"x\"}", null);
            assertEquals(400, badRoom.statusCode());
            assertEquals(true, ((Map<?, ?>) Json.parse(badRoom.body())).get("error"));
            var tooLong = postJson(page, "broadcast.php", "{\"message\":\"" + "x".repeat(5000) + "\"}");
            assertEquals(true, tooLong.get("error"));
            assertTrue(
                    String.valueOf(tooLong.get("message")).startsWith("text too long: 5000 bytes"), tooLong.toString());

            String body = "{\"room\":\"dev\",\"message\":\"forged\"}";
            assertEquals(
                    415, post(page, "broadcast.php", "text/plain", body, null).statusCode());
            assertEquals(
                    403,
                    post(page, "broadcast.php", "application/json", body, "http://evil.example")
                            .statusCode());
            assertEquals(405, get(page, "broadcast.php").statusCode());

            // Nothing of the refused requests reached anyone: the next admin line each sees is this one.
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(3, admin.broadcast("the last admin line"));
            }
            for (var client : List.of(a, b, c)) {
                client.expect("*** admin: the last admin line");
                assertFalse(
                        client.seen().stream()
                                .anyMatch(l -> l.contains("hello") || l.contains("forged") || l.contains("smuggled")),
                        client.seen().toString());
            }
            assertFalse(
                    a.seen().stream().anyMatch(l -> l.contains("dev  only")),
                    a.seen().toString());
        }
    }

    /** Each row of the page's table as {@code id:room}, with {@code :hidden} should a row be hidden (none is). */
    private static final String ROWS = "return Array.from(document.querySelectorAll('#clients tbody tr'))"
            + ".map(r => r.dataset.clientId + ':' + r.querySelector('td.room').textContent"
            + " + (r.hidden ? ':hidden' : '')).join(' ');";

    private static String option(String select, String room) {
        return "return (document.querySelector(\"" + select + " option[value='" + room
                + "']\") || {textContent: 'no option'}).textContent;";
    }

    @Test
    void inABrowserTheRoomColumnTheFilterAndTheBroadcastFormWork() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "quiet");
                var a = server.join();
                var b = server.join();
                var c = server.join();
                var page = open(server);
                var browser = WebDriver.start()) {
            b.send("/join dev");
            b.expect("*** you are now in #dev");
            c.send("/join dev");
            c.expect("*** you are now in #dev");
            long idA = RawAdmin.idOf(server, a);
            long idB = RawAdmin.idOf(server, b);
            long idC = RawAdmin.idOf(server, c);

            browser.get(page.pageUrl());
            browser.awaitText("tr[data-client-id='" + idA + "'] td.room", "lobby");
            browser.awaitText("tr[data-client-id='" + idB + "'] td.room", "dev");
            browser.awaitText("tr[data-client-id='" + idC + "'] td.room", "dev");
            // Every room is offered, the configured empty one too.
            browser.awaitScript(option("#room-filter", "quiet"), "#quiet (0 clients)");
            browser.awaitScript(option("#room-filter", "dev"), "#dev (2 clients)");
            browser.awaitScript(option("#broadcast", "lobby"), "#lobby (1 client)");

            browser.click(browser.find("#room-filter option[value='dev']"));
            // Rows the filter leaves out are not in the table at all: a thousand clients stay one page of rows.
            browser.awaitScript(ROWS, idB + ":dev " + idC + ":dev");
            try (var d = server.join();
                    var e = server.join()) {
                d.send("/join dev");
                d.expect("*** you are now in #dev");
                long idD = RawAdmin.idOf(server, d);
                long idE = RawAdmin.idOf(server, e);
                // The filter holds through the refreshes that bring the newcomers.
                browser.awaitScript(ROWS, idB + ":dev " + idC + ":dev " + idD + ":dev");
                browser.click(browser.find("#room-filter option[value='quiet']"));
                browser.awaitText("#empty", "No clients in #quiet.");
                browser.click(browser.find("#room-filter option[value='']"));
                browser.awaitScript(
                        ROWS, idA + ":lobby " + idB + ":dev " + idC + ":dev " + idD + ":dev " + idE + ":lobby");
                browser.awaitScript("return document.getElementById('empty').hidden;", true);

                // To one room: only its members hear it.
                browser.click(browser.find("#broadcast option[value='dev']"));
                browser.type(browser.find("#broadcast input[name=message]"), "dev only,  please");
                browser.click(browser.find("#broadcast button[type=submit]"));
                browser.awaitText("#status", "sent to 3 clients in #dev");
                for (var member : List.of(b, c, d)) {
                    member.expect("*** admin: dev only,  please");
                }
                // To everyone: all hear it, and the lobby heard nothing before.
                browser.click(browser.find("#broadcast option[value='']"));
                browser.type(browser.find("#broadcast input[name=message]"), "to everyone");
                browser.click(browser.find("#broadcast button[type=submit]"));
                browser.awaitText("#status", "sent to 5 clients");
                for (var client : List.of(a, b, c, d, e)) {
                    assertEquals("*** admin: to everyone", client.expectLine(l -> l.startsWith("*** admin:")));
                }
                for (var outsider : List.of(a, e)) {
                    assertFalse(
                            outsider.seen().stream().anyMatch(l -> l.contains("dev only")),
                            outsider.seen().toString());
                }

                // Errors: no text, and a room that is gone by the time the form is sent.
                browser.click(browser.find("#broadcast button[type=submit]"));
                browser.awaitText("#status", "type a message first");
                browser.awaitScript("return document.getElementById('status').className;", "error");
                try (var g = server.join()) {
                    g.send("/join gone");
                    g.expect("*** you are now in #gone");
                    browser.awaitScript(option("#broadcast", "gone"), "#gone (1 client)");
                    browser.click(browser.find("#broadcast option[value='gone']"));
                    g.send("/part");
                    g.expect("*** you are now in #lobby");
                    browser.awaitScript(option("#broadcast", "gone"), "#gone (gone)");
                    browser.awaitScript("return document.querySelector('#broadcast select').value;", "gone");
                    browser.type(browser.find("#broadcast input[name=message]"), "anyone there?");
                    browser.click(browser.find("#broadcast button[type=submit]"));
                    browser.awaitText("#status", "#gone: Room Not Found");
                    browser.awaitScript("return document.getElementById('status').className;", "error");
                    try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                        assertEquals(6, admin.broadcast("after the error"));
                    }
                    g.expect("*** admin: after the error");
                    assertFalse(
                            g.seen().stream().anyMatch(l -> l.contains("anyone there")),
                            g.seen().toString());
                }
                assertNull(browser.alertText());
                browser.screenshot(
                        ForkcastServer.HOME.resolve("integration-tests/target/admin-page-rooms-" + name() + ".png"));
            }
        }
    }
}
