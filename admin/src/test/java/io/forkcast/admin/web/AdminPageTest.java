package io.forkcast.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.ClientInfo;
import io.forkcast.admin.Json;
import io.forkcast.admin.RoomInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminPageTest {
    private static final String EVIL = "<script>alert('1')</script>&\"";
    private static final List<ClientInfo> CLIENTS = List.of(
            new ClientInfo(
                    3,
                    "127.0.0.1:50412",
                    4121,
                    null,
                    12,
                    3,
                    5,
                    20,
                    0,
                    "lobby",
                    null,
                    "telnet",
                    new ClientInfo.Usage(1.25, 2.5, 31_457_280, 15_728_640, 12, 9)),
            new ClientInfo(7, "127.0.0.1:50500", 4200, EVIL, 1, 0, 0, 2, 128, "dev"));
    private static final List<RoomInfo> ROOMS =
            List.of(new RoomInfo("lobby", 1, null), new RoomInfo("dev", 1, EVIL), new RoomInfo("quiet", 0, null));

    @Test
    void nicknamesAndErrorsAreEscapedInThePage() {
        String html = AdminPage.html(CLIENTS, ROOMS, "cannot connect <b>here</b>");
        assertTrue(
                html.contains("<td class=\"name\">&lt;script&gt;alert(&#039;1&#039;)&lt;/script&gt;&amp;&quot;</td>"),
                html);
        assertTrue(html.contains("class=\"error\">cannot connect &lt;b&gt;here&lt;/b&gt;</p>"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("<tr data-client-id=\"3\">") && html.contains("<td class=\"name\">-</td>"), html);
        assertTrue(html.contains("<p id=\"empty\" hidden>"), html);
        assertTrue(AdminPage.html(List.of(), List.of(), null).contains("<p id=\"empty\">No clients connected.</p>"));
    }

    @Test
    void theClientsJsonCarriesTheNicknameIntactButNoAngleBrackets() {
        String json = AdminPage.clientsJson(CLIENTS, ROOMS);
        assertFalse(json.contains("<"), json);
        var clients = (List<?>) ((Map<?, ?>) Json.parse(json)).get("clients");
        assertEquals(EVIL, ((Map<?, ?>) clients.get(1)).get("name"));
        assertEquals(null, ((Map<?, ?>) clients.get(0)).get("name"));
        assertEquals("dev", ((Map<?, ?>) clients.get(1)).get("room"));
        var rooms = (List<?>) ((Map<?, ?>) Json.parse(json)).get("rooms");
        assertEquals(
                List.of(
                        Map.of("name", "lobby", "members", 1L),
                        Map.of("name", "dev", "members", 1L, "topic", EVIL),
                        Map.of("name", "quiet", "members", 0L)),
                rooms.stream()
                        .map(r -> {
                            var m = new java.util.HashMap<>((Map<?, ?>) r);
                            m.values().removeIf(v -> v == null);
                            return m;
                        })
                        .toList());
        assertEquals(
                Map.of("error", true, "message", "Client Not Found"),
                Json.parse(AdminPage.result(true, "Client Not Found")));
    }

    @Test
    void theRoomColumnTheFilterAndTheBroadcastFormListEveryRoomWithItsTopicEscaped() {
        String html = AdminPage.html(CLIENTS, ROOMS, null);
        assertTrue(
                html.contains("<th data-sort=\"name\">name</th><th data-sort=\"room\">room</th>"
                        + "<th data-sort=\"kind\">kind</th><th data-sort=\"pid\">pid</th>"),
                html);
        assertTrue(
                html.contains("<td class=\"cpu_percent\">2.5</td><td class=\"cpu\">1.25</td><td class=\"rss\">30.0</td>"
                        + "<td class=\"pss\">15.0</td><td class=\"threads\">12</td><td class=\"fds\">9</td>"),
                html);
        assertTrue(html.contains("<td class=\"kind\">-</td><td class=\"pid\">4200</td>"), html);
        assertTrue(
                html.contains("<select id=\"kind-filter\"><option value=\"\">every kind</option>"
                        + "<option value=\"telnet\">telnet</option></select>"),
                html);
        assertTrue(html.contains("<td class=\"name\">-</td><td class=\"room\">lobby</td>"), html);
        assertTrue(html.contains("<td class=\"room\">dev</td>"), html);
        String options = "<option value=\"lobby\" title=\"\">#lobby (1 client)</option>"
                + "<option value=\"dev\" title=\"&lt;script&gt;alert(&#039;1&#039;)&lt;/script&gt;&amp;&quot;\">"
                + "#dev (1 client)</option><option value=\"quiet\" title=\"\">#quiet (0 clients)</option>";
        assertTrue(
                html.contains("<form id=\"broadcast\"><label>Broadcast to <select name=\"room\">"
                        + "<option value=\"\">everyone</option>" + options + "</select></label>"),
                html);
        assertTrue(html.contains("<select id=\"room-filter\"><option value=\"\">all rooms</option>" + options), html);
        assertFalse(html.contains("<script>alert"), html);
        assertEquals(Map.of("error", false, "message", "", "reached", 3L), Json.parse(AdminPage.reached(3)));
    }

    @Test
    void aThousandClientsAreOnePageOfRowsAndTheirJsonIsQuick() {
        var many = new java.util.ArrayList<ClientInfo>();
        for (int i = 1; i <= 1000; i++) {
            many.add(new ClientInfo(
                    i,
                    "10.0.0.1:" + (10000 + i),
                    5000 + i,
                    "nick" + i,
                    i,
                    0,
                    i,
                    i,
                    0,
                    "room" + (i % 7),
                    null,
                    "telnet",
                    new ClientInfo.Usage(i / 100.0, i % 100, 30_000_000, 15_000_000 + i, 12, 9)));
        }
        String html = AdminPage.html(many, ROOMS, null);
        assertEquals(AdminPage.PAGE_SIZE, html.split("<tr data-client-id=", -1).length - 1);
        long started = System.nanoTime();
        String json = AdminPage.clientsJson(many, ROOMS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1000, ((List<?>) ((Map<?, ?>) Json.parse(json)).get("clients")).size());
        assertTrue(millis < 100, "clients.php for 1000 clients took " + millis + " ms");
        var last = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(json)).get("clients")).getLast();
        assertEquals(15_001_000L, last.get("pss"));
        assertEquals(10.0, last.get("cpu"));
    }

    @Test
    void onlyNamesTheServerCouldHaveAreSentAsRooms() {
        for (String room : List.of("dev", "#Dev", "a.b-c_d", "x".repeat(32))) {
            assertTrue(AdminPage.isRoomName(room), room);
        }
        for (String room : List.of("", "#", "dev x", "dev\nKICK 3", "dev\n", "x".repeat(33), "caf\u00e9", "##dev")) {
            assertFalse(AdminPage.isRoomName(room), room);
        }
        assertEquals("1 client", AdminPage.clients(1));
        assertEquals("0 clients", AdminPage.clients(0));
    }
}
