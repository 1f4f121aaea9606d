package io.forkcast.admin.web;

import io.forkcast.admin.ClientInfo;
import io.forkcast.admin.Json;
import io.forkcast.admin.RoomInfo;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The admin page's HTML and JSON, the same markup as {@code scripts/admin/php/admin.php}: a broadcast form (to
 * everyone or one room), a room filter, and a table of clients with a send form and a kick button per row, kept
 * current by {@code admin.js}. Everything from the server is HTML-escaped; nicknames, room names and topics are
 * typed by strangers. Stateless.
 */
final class AdminPage {
    static final int REFRESH_MILLIS = 2000;

    /** The server's rule for room names (a leading {@code #} allowed): anything else names no room. */
    private static final Pattern ROOM_NAME = Pattern.compile("#?[A-Za-z0-9._-]{1,32}");

    private AdminPage() {}

    static String html(List<ClientInfo> clients, List<RoomInfo> rooms, String problem) {
        var out = new StringBuilder(4096 + clients.size() * 512);
        out.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>forkcast admin</title>
                <style>
                body { font-family: sans-serif; margin: 1.5em; }
                table { border-collapse: collapse; }
                th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
                #status.error { color: #b00; }
                </style>
                </head>
                """);
        out.append("<body data-refresh-ms=\"").append(REFRESH_MILLIS).append("\">\n");
        out.append("<h1>forkcast clients</h1>\n");
        out.append(
                problem == null
                        ? "<p id=\"status\" role=\"status\"></p>\n"
                        : "<p id=\"status\" role=\"status\" class=\"error\">" + escape(problem) + "</p>\n");
        out.append(
                "<form id=\"broadcast\"><label>Broadcast to <select name=\"room\"><option value=\"\">everyone</option>");
        roomOptions(out, rooms);
        out.append(
                "</select></label> <input name=\"message\" size=\"50\" placeholder=\"message to everyone or one room\">"
                        + " <button type=\"submit\">Broadcast</button></form>\n");
        out.append("<p><label>Show <select id=\"room-filter\"><option value=\"\">all rooms</option>");
        roomOptions(out, rooms);
        out.append("</select></label></p>\n");
        out.append("""
                <table id="clients">
                <thead><tr><th>id</th><th>address</th><th>name</th><th>room</th><th>pid</th><th>age (s)</th><th>idle (s)</th>\
                <th>lines in</th><th>lines out</th><th>queued (bytes)</th><th>message</th><th></th></tr></thead>
                <tbody>
                """);
        for (var c : clients) {
            out.append("<tr data-client-id=\"").append(c.id()).append("\">");
            cell(out, "id", Long.toString(c.id()));
            cell(out, "peer", c.peer());
            cell(out, "name", c.name() == null ? "-" : c.name());
            cell(out, "room", c.room() == null ? "-" : c.room());
            cell(out, "pid", Long.toString(c.pid()));
            cell(out, "age", Long.toString(c.ageSeconds()));
            cell(out, "idle", Long.toString(c.idleSeconds()));
            cell(out, "in", Long.toString(c.linesIn()));
            cell(out, "out", Long.toString(c.linesOut()));
            cell(out, "queued", Long.toString(c.queuedBytes()));
            out.append("<td><form class=\"send\"><input name=\"message\" size=\"30\" placeholder=\"message\">"
                    + " <button type=\"submit\">Send</button></form></td>");
            out.append("<td><button type=\"button\" class=\"kick\" title=\"disconnect; the message box, if filled,"
                    + " is the reason\">Kick</button></td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        out.append("<p id=\"empty\"").append(clients.isEmpty() ? "" : " hidden").append(">No clients connected.</p>\n");
        out.append("<script src=\"admin.js\"></script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** One {@code <option>} per room: {@code #name (n clients)}, the topic as its title. */
    private static void roomOptions(StringBuilder out, List<RoomInfo> rooms) {
        for (var r : rooms) {
            out.append("<option value=\"")
                    .append(escape(r.name()))
                    .append("\" title=\"")
                    .append(escape(r.topic() == null ? "" : r.topic()))
                    .append("\">#")
                    .append(escape(r.name()))
                    .append(" (")
                    .append(clients(r.members()))
                    .append(")</option>");
        }
    }

    /** "1 client", "3 clients". */
    static String clients(long count) {
        return count + (count == 1 ? " client" : " clients");
    }

    /**
     * {@code {"error":false,"message":"","clients":[...],"rooms":[...]}}, the answer of {@code clients.php}: one
     * refresh updates the table, the room filter and the broadcast form.
     */
    static String clientsJson(List<ClientInfo> clients, List<RoomInfo> rooms) {
        var out = new StringBuilder("{\"error\":false,\"message\":\"\",\"clients\":[");
        for (int i = 0; i < clients.size(); i++) {
            var c = clients.get(i);
            out.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(c.id())
                    .append(",\"peer\":")
                    .append(Json.quote(c.peer()))
                    .append(",\"pid\":")
                    .append(c.pid())
                    .append(",\"name\":")
                    .append(Json.quote(c.name()))
                    .append(",\"age\":")
                    .append(c.ageSeconds())
                    .append(",\"idle\":")
                    .append(c.idleSeconds())
                    .append(",\"in\":")
                    .append(c.linesIn())
                    .append(",\"out\":")
                    .append(c.linesOut())
                    .append(",\"queued\":")
                    .append(c.queuedBytes())
                    .append(",\"room\":")
                    .append(Json.quote(c.room()))
                    .append('}');
        }
        out.append("],\"rooms\":[");
        for (int i = 0; i < rooms.size(); i++) {
            var r = rooms.get(i);
            out.append(i == 0 ? "" : ",")
                    .append("{\"name\":")
                    .append(Json.quote(r.name()))
                    .append(",\"members\":")
                    .append(r.members())
                    .append(",\"topic\":")
                    .append(Json.quote(r.topic()))
                    .append('}');
        }
        return out.append("]}").toString();
    }

    /** {@code {"error":false,"message":"","reached":n}}, the answer of {@code broadcast.php} that went out. */
    static String reached(int reached) {
        return "{\"error\":false,\"message\":\"\",\"reached\":" + reached + "}";
    }

    /**
     * Whether {@code room} can name a room at all; one that cannot is answered "Room Not Found" without asking the
     * server (a name with a space in it would otherwise make the text start early).
     */
    static boolean isRoomName(String room) {
        return ROOM_NAME.matcher(room).matches();
    }

    /** {@code {"error":..,"message":..}}, the answer of 003's {@code sendMessage.php}. */
    static String result(boolean error, String message) {
        return "{\"error\":" + error + ",\"message\":" + Json.quote(message) + "}";
    }

    private static void cell(StringBuilder out, String name, String text) {
        out.append("<td class=\"")
                .append(name)
                .append("\">")
                .append(escape(text))
                .append("</td>");
    }

    /** Text fit for HTML content and quoted attribute values. */
    static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#039;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
