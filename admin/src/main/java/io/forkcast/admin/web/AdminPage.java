package io.forkcast.admin.web;

import io.forkcast.admin.AdminStats;
import io.forkcast.admin.ClientInfo;
import io.forkcast.admin.HistoryPoint;
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
    /** Rows shown at once: the table stays small with a thousand clients; admin.js pages through the rest. */
    static final int PAGE_SIZE = 50;

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>forkcast admin</title>
            <style>
            body { font-family: sans-serif; margin: 1.5em; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.4em; text-align: left; }
            th[data-sort] { cursor: pointer; white-space: nowrap; }
            th[aria-sort=ascending]::after { content: " \\25B2"; }
            th[aria-sort=descending]::after { content: " \\25BC"; }
            td.cpu_percent, td.cpu, td.rss, td.pss, td.threads, td.fds { text-align: right; }
            #status.error { color: #b00; }
            td form { margin: 0; white-space: nowrap; }
            #summary { display: flex; flex-wrap: wrap; gap: 0.5em 2em; margin: 0 0 1em; padding: 0; }
            #summary div { display: flex; flex-direction: column; }
            #summary dt { font-size: 0.8em; color: #555; }
            #summary dd { margin: 0; font-size: 1.5em; font-weight: bold; }
            #charts { display: flex; flex-wrap: wrap; gap: 1.5em; margin-bottom: 1em; }
            #charts figure { margin: 0; }
            #charts figcaption { font-size: 0.85em; color: #333; }
            #charts svg { width: 320px; height: 100px; border: 1px solid #ddd; background: #fafafa; }
            #charts polyline { fill: none; stroke: #1565c0; stroke-width: 1.5; }
            #charts rect { fill: #2e7d32; }
            #charts text { font-size: 9px; fill: #555; }
            </style>
            </head>
            """;

    /** The header's figures and the charts: empty here, drawn by admin.js from overview.php and clients.php. */
    private static final String SUMMARY_AND_CHARTS = """
            <h1>forkcast</h1>
            <dl id="summary">
            <div><dt>uptime</dt><dd data-stat="uptime">-</dd></div>
            <div><dt>clients</dt><dd data-stat="clients">-</dd></div>
            <div><dt>workers</dt><dd data-stat="workers">-</dd></div>
            <div><dt>spares</dt><dd data-stat="spares">-</dd></div>
            <div><dt>memory in all (PSS)</dt><dd data-stat="memory">-</dd></div>
            <div><dt>deliveries/s</dt><dd data-stat="deliveries">-</dd></div>
            </dl>
            <div id="charts">
            <figure><figcaption>clients, last 10 minutes</figcaption>\
            <svg id="chart-clients" viewBox="0 0 320 100" role="img" aria-label="clients over time"></svg></figure>
            <figure><figcaption>deliveries/s, last 10 minutes</figcaption>\
            <svg id="chart-deliveries" viewBox="0 0 320 100" role="img" aria-label="deliveries per second over time"></svg></figure>
            <figure><figcaption>PSS per worker (MiB): how many workers</figcaption>\
            <svg id="chart-pss" viewBox="0 0 320 100" role="img" aria-label="workers by PSS"></svg></figure>
            </div>
            """;

    private static final String TABLE_HEAD = """
            <table id="clients">
            <thead><tr><th data-sort="id">id</th><th data-sort="peer">address</th><th data-sort="name">name</th>\
            <th data-sort="room">room</th><th data-sort="kind">kind</th><th data-sort="pid">pid</th>\
            <th data-sort="age">age (s)</th><th data-sort="idle">idle (s)</th><th data-sort="in" title="lines the client said">in</th>\
            <th data-sort="out" title="frames sent towards the client">out</th><th data-sort="queued">queued (B)</th>\
            <th data-sort="cpu_percent">CPU %</th><th data-sort="cpu">CPU (s)</th><th data-sort="rss">RSS (MiB)</th>\
            <th data-sort="pss">PSS (MiB)</th><th data-sort="threads">threads</th><th data-sort="fds">fds</th>\
            <th>message</th><th></th></tr></thead>
            <tbody>
            """;

    /** The server's rule for room names (a leading {@code #} allowed): anything else names no room. */
    private static final Pattern ROOM_NAME = Pattern.compile("#?[A-Za-z0-9._-]{1,32}");

    private AdminPage() {}

    static String html(List<ClientInfo> clients, List<RoomInfo> rooms, String problem) {
        var out = new StringBuilder(8192 + Math.min(clients.size(), PAGE_SIZE) * 768);
        out.append(HEAD);
        out.append("<body data-refresh-ms=\"")
                .append(REFRESH_MILLIS)
                .append("\" data-page-size=\"")
                .append(PAGE_SIZE)
                .append("\">\n");
        out.append(SUMMARY_AND_CHARTS);
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
        out.append("</select></label> <label>of <select id=\"kind-filter\"><option value=\"\">every kind</option>");
        kindOptions(out, clients);
        out.append(
                "</select></label> <span id=\"pager\"><button type=\"button\" id=\"page-prev\">&lt; previous</button>"
                        + " <span id=\"page-info\"></span> <button type=\"button\" id=\"page-next\">next &gt;</button></span></p>\n");
        out.append(TABLE_HEAD);
        // The first page in order of arrival; admin.js sorts, filters and pages from clients.php.
        for (var c : clients.subList(0, Math.min(PAGE_SIZE, clients.size()))) {
            row(out, c);
        }
        out.append("</tbody>\n</table>\n");
        out.append("<p id=\"empty\"").append(clients.isEmpty() ? "" : " hidden").append(">No clients connected.</p>\n");
        out.append("<script src=\"admin.js\"></script>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void row(StringBuilder out, ClientInfo c) {
        out.append("<tr data-client-id=\"").append(c.id()).append("\">");
        cell(out, "id", Long.toString(c.id()));
        cell(out, "peer", c.peer());
        cell(out, "name", c.name() == null ? "-" : c.name());
        cell(out, "room", c.room() == null ? "-" : c.room());
        cell(out, "kind", c.kind() == null ? "-" : c.kind());
        cell(out, "pid", Long.toString(c.pid()));
        cell(out, "age", Long.toString(c.ageSeconds()));
        cell(out, "idle", Long.toString(c.idleSeconds()));
        cell(out, "in", Long.toString(c.linesIn()));
        cell(out, "out", Long.toString(c.linesOut()));
        cell(out, "queued", Long.toString(c.queuedBytes()));
        var u = c.usage();
        cell(out, "cpu_percent", u == null ? "-" : fixed(u.cpuPercent(), 1));
        cell(out, "cpu", u == null ? "-" : fixed(u.cpuSeconds(), 2));
        cell(out, "rss", u == null ? "-" : mebibytes(u.rssBytes()));
        cell(out, "pss", u == null ? "-" : mebibytes(u.pssBytes()));
        cell(out, "threads", u == null || u.threads() < 0 ? "-" : Integer.toString(u.threads()));
        cell(out, "fds", u == null || u.fds() < 0 ? "-" : Integer.toString(u.fds()));
        out.append("<td><form class=\"send\"><input name=\"message\" size=\"12\" placeholder=\"message\">"
                + " <button type=\"submit\">Send</button></form></td>");
        out.append("<td><button type=\"button\" class=\"kick\" title=\"disconnect; the message box, if filled,"
                + " is the reason\">Kick</button></td></tr>\n");
    }

    /** Bytes as MiB with one decimal, as the page shows memory: {@code 14.7}. */
    static String mebibytes(long bytes) {
        return bytes < 0 ? "-" : fixed(bytes / 1048576.0, 1);
    }

    /** {@code value} with {@code places} decimals (1 or 2), without Formatter's cost per call: {@code 14.7}. */
    static String fixed(double value, int places) {
        long scale = places == 1 ? 10 : 100;
        long scaled = Math.round(Math.abs(value) * scale);
        String fraction = Long.toString(scale + scaled % scale).substring(1);
        return (value < 0 && scaled != 0 ? "-" : "") + scaled / scale + "." + fraction;
    }

    /** One {@code <option>} per client kind present. */
    private static void kindOptions(StringBuilder out, List<ClientInfo> clients) {
        var kinds = new java.util.TreeSet<String>();
        for (var c : clients) {
            if (c.kind() != null) {
                kinds.add(c.kind());
            }
        }
        for (String kind : kinds) {
            out.append("<option value=\"")
                    .append(escape(kind))
                    .append("\">")
                    .append(escape(kind))
                    .append("</option>");
        }
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
                    .append(",\"kind\":")
                    .append(Json.quote(c.kind()));
            usageJson(out, c.usage());
            out.append('}');
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

    /** The usage fields of one client, null before the server sampled its worker; unknown figures are null. */
    private static void usageJson(StringBuilder out, ClientInfo.Usage u) {
        out.append(",\"cpu\":")
                .append(u == null ? "null" : fixed(u.cpuSeconds(), 2))
                .append(",\"cpu_percent\":")
                .append(u == null ? "null" : fixed(u.cpuPercent(), 1))
                .append(",\"rss\":")
                .append(u == null || u.rssBytes() < 0 ? "null" : Long.toString(u.rssBytes()))
                .append(",\"pss\":")
                .append(u == null || u.pssBytes() < 0 ? "null" : Long.toString(u.pssBytes()))
                .append(",\"threads\":")
                .append(u == null || u.threads() < 0 ? "null" : Integer.toString(u.threads()))
                .append(",\"fds\":")
                .append(u == null || u.fds() < 0 ? "null" : Integer.toString(u.fds()));
    }

    /**
     * {@code {"error":false,"message":"","stats":{...},"history":{"interval_seconds":2,"points":[[t,clients,
     * deliveries/s,memory],...]}}}, the answer of {@code overview.php}: the header's figures and the charts.
     */
    static String overviewJson(AdminStats stats, List<HistoryPoint> history) {
        var out = new StringBuilder(256 + history.size() * 48).append("{\"error\":false,\"message\":\"\",\"stats\":{");
        boolean first = true;
        for (var e : stats.values().entrySet()) {
            out.append(first ? "" : ",")
                    .append(Json.quote(e.getKey()))
                    .append(':')
                    .append(e.getValue());
            first = false;
        }
        out.append("},\"history\":{\"interval_seconds\":2,\"points\":[");
        for (int i = 0; i < history.size(); i++) {
            var p = history.get(i);
            out.append(i == 0 ? "[" : ",[")
                    .append(p.epochSeconds())
                    .append(',')
                    .append(p.clients())
                    .append(',')
                    .append(p.deliveriesPerSecond())
                    .append(',')
                    .append(p.memoryPssBytes())
                    .append(']');
        }
        return out.append("]}}").toString();
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
