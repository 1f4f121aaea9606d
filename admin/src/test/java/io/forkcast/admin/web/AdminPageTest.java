package io.forkcast.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.ClientInfo;
import io.forkcast.admin.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminPageTest {
    private static final String EVIL = "<script>alert('1')</script>&\"";
    private static final List<ClientInfo> CLIENTS = List.of(
            new ClientInfo(3, "127.0.0.1:50412", 4121, null, 12, 3, 5, 20, 0, "lobby"),
            new ClientInfo(7, "127.0.0.1:50500", 4200, EVIL, 1, 0, 0, 2, 128, "dev"));

    @Test
    void nicknamesAndErrorsAreEscapedInThePage() {
        String html = AdminPage.html(CLIENTS, "cannot connect <b>here</b>");
        assertTrue(
                html.contains("<td class=\"name\">&lt;script&gt;alert(&#039;1&#039;)&lt;/script&gt;&amp;&quot;</td>"),
                html);
        assertTrue(html.contains("class=\"error\">cannot connect &lt;b&gt;here&lt;/b&gt;</p>"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("<tr data-client-id=\"3\">") && html.contains("<td class=\"name\">-</td>"), html);
        assertTrue(html.contains("<p id=\"empty\" hidden>"), html);
        assertTrue(AdminPage.html(List.of(), null).contains("<p id=\"empty\">No clients connected.</p>"));
    }

    @Test
    void theClientsJsonCarriesTheNicknameIntactButNoAngleBrackets() {
        String json = AdminPage.clientsJson(CLIENTS);
        assertFalse(json.contains("<"), json);
        var clients = (List<?>) ((Map<?, ?>) Json.parse(json)).get("clients");
        assertEquals(EVIL, ((Map<?, ?>) clients.get(1)).get("name"));
        assertEquals(null, ((Map<?, ?>) clients.get(0)).get("name"));
        assertEquals(
                Map.of("error", true, "message", "Client Not Found"),
                Json.parse(AdminPage.result(true, "Client Not Found")));
    }
}
