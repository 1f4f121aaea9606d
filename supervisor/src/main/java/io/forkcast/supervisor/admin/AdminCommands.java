package io.forkcast.supervisor.admin;

import io.forkcast.supervisor.admin.AdminOps.ClientSnapshot;
import io.forkcast.supervisor.front.WebSocketDoor;
import io.forkcast.supervisor.meter.History;
import io.forkcast.supervisor.route.Ask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The admin protocol: answers one command line against the loop's {@link AdminOps}. Command words are
 * case-insensitive; a single-line reply is {@code OK ...} or {@code ERROR <reason>}, a multi-line one sits between
 * {@code === START ===} and {@code === END ===}. Confined to the loop thread.
 */
final class AdminCommands {
    static final String START = "=== START ===";
    static final String END = "=== END ===";
    static final String NOT_FOUND = "ERROR Client Not Found";
    static final String ROOM_NOT_FOUND = "ERROR Room Not Found";

    /**
     * The lines to send back, and whether to close the connection once they are sent; or ({@code later} set) a reply
     * that comes later, on the loop thread: {@code later} is given where to send it, and nothing else is read from
     * the connection until it has.
     */
    record Reply(List<String> lines, boolean close, Consumer<Consumer<Reply>> later) {
        Reply(List<String> lines, boolean close) {
            this(lines, close, null);
        }

        static Reply later(Consumer<Consumer<Reply>> later) {
            return new Reply(List.of(), false, later);
        }

        static Reply of(String line) {
            return new Reply(List.of(line), false);
        }

        static Reply error(String reason) {
            return of("ERROR " + reason);
        }

        static Reply block(List<String> body) {
            var lines = new ArrayList<String>(body.size() + 2);
            lines.add(START);
            lines.addAll(body);
            lines.add(END);
            return new Reply(lines, false);
        }
    }

    private static final List<String> HELP = List.of(
            "LIST                      one line per client: id ip:port pid= name= age= idle= in= out= queued= room=",
            "                          cpu= rss= pss= threads= fds= kind= (cpu seconds, bytes; - until sampled)",
            "                          and, for broker clients, role= channel=",
            "LIST JSON                 the same as one line of JSON (alias: LIST CLIENTS)",
            "LIST ALL                  in a federation: LIST of every node (node= on each line), then the nodes that",
            "                          did not answer within 1 s as \"# node=NAME did not answer\"",
            "LIST WEBSOCKETS [JSON]    the same for WebSocket clients only (kind=websocket), as seed 003 lists them",
            "LIST ROOMS [JSON]         one line per room: name members= topic=",
            "SEND MESSAGE <id> <text>  show text to one client as \"*** admin: text\" ({\"message\":text} to a WebSocket)",
            "SEND ROOM <room> <text>   show text to every member of a room; answers OK <clients reached>",
            "BROADCAST <text>          show text to every client; answers OK <clients reached>",
            "KICK <id> [reason]        tell one client the reason and disconnect it",
            "STATS                     counters, one key=value per line (STATS JSON: one line of JSON)",
            "TOP [N]                   the N clients (10) using the most CPU over the last sample interval",
            "METRICS                   every counter and gauge in Prometheus text format",
            "HISTORY [JSON]            the last 10 minutes, every 2 s: clients, deliveries/s, memory (PSS)",
            "HELP                      this list",
            "QUIT                      close this connection");

    static final int TOP_DEFAULT = 10;
    static final int TOP_MAX = 1000;

    private final AdminOps ops;
    private final Supplier<SequencedMap<String, Long>> adminCounters;
    private final int maxTextBytes;

    AdminCommands(AdminOps ops, Supplier<SequencedMap<String, Long>> adminCounters, int maxTextBytes) {
        this.ops = ops;
        this.adminCounters = adminCounters;
        this.maxTextBytes = maxTextBytes;
        ops.shareClients(() -> lines(ops.clientList()));
    }

    /** LIST lines, each ending with node= in a federation. */
    private List<String> lines(List<ClientSnapshot> clients) {
        String node = ops.federationNode();
        var body = new ArrayList<String>(clients.size());
        for (var c : clients) {
            body.add(node == null ? ClientFormat.line(c) : ClientFormat.line(c) + " node=" + node);
        }
        return body;
    }

    /**
     * {@code LIST ALL}: this node's LIST lines, then each other node's (in name order), then one {@code # node=NAME
     * did not answer} line per node that did not answer in time; LIST itself for a supervisor alone.
     */
    private Reply listAll() {
        var local = lines(ops.clientList());
        return Reply.later(send -> {
            if (!ops.clientsElsewhere(gathered -> send.accept(Reply.block(everywhere(local, gathered))))) {
                send.accept(Reply.block(local));
            }
        });
    }

    private static List<String> everywhere(List<String> local, Ask.Gathered gathered) {
        var body = new ArrayList<>(local);
        for (var answer : gathered.answers().values()) {
            if (answer instanceof Ask.ClientsAnswer c) {
                body.addAll(c.lines());
            }
        }
        for (String node : gathered.silent()) {
            body.add("# node=" + node + " did not answer");
        }
        return body;
    }

    Reply execute(String line) {
        var words = new Words(line);
        return switch (words.next()) {
            case "" -> Reply.error("empty command, try HELP");
            case "LIST" -> list(words);
            case "SEND" -> send(words);
            case "BROADCAST" -> broadcast(words);
            case "KICK" -> kick(words);
            case "STATS" -> stats(words);
            case "TOP" -> top(words);
            case "METRICS" -> words.atEnd() ? metrics() : Reply.error("usage: METRICS");
            case "HISTORY" -> history(words);
            case "HELP" -> words.atEnd() ? Reply.block(HELP) : Reply.error("usage: HELP");
            case "QUIT" -> new Reply(List.of("OK bye"), true);
            default -> Reply.error("unknown command, try HELP");
        };
    }

    private Reply list(Words words) {
        String word = words.next();
        if (word.equals("ROOMS")) {
            return rooms(words);
        }
        if (word.equals("ALL")) {
            return words.atEnd() ? listAll() : Reply.error("usage: LIST ALL");
        }
        boolean webSocketsOnly = word.equals("WEBSOCKETS");
        if (word.equals("CLIENTS") || webSocketsOnly) {
            word = words.next();
        }
        boolean json = word.equals("JSON");
        if (!(word.isEmpty() || json) || !words.atEnd()) {
            return Reply.error("usage: LIST [CLIENTS|WEBSOCKETS] [JSON]");
        }
        var clients = ops.clientList();
        if (webSocketsOnly) {
            clients = clients.stream()
                    .filter(c -> WebSocketDoor.NAME.equals(c.kind()))
                    .toList();
        }
        if (json) {
            var out = new StringBuilder(64 + clients.size() * 320).append("OK {\"clients\":[");
            for (var c : clients) {
                ClientFormat.json(out, c, ops.federationNode());
            }
            return Reply.of(out.append("]}").toString());
        }
        return Reply.block(lines(clients));
    }

    private Reply rooms(Words words) {
        String word = words.next();
        boolean json = word.equals("JSON");
        if (!(word.isEmpty() || json) || !words.atEnd()) {
            return Reply.error("usage: LIST ROOMS [JSON]");
        }
        var rooms = ops.roomList();
        if (json) {
            var out = new StringBuilder("OK {\"rooms\":[");
            for (int i = 0; i < rooms.size(); i++) {
                var r = rooms.get(i);
                out.append(i == 0 ? "{" : ",{");
                AdminJson.field(out, "name", r.name());
                AdminJson.field(out, "members", r.members());
                AdminJson.field(out, "topic", r.topic());
                out.append('}');
            }
            return Reply.of(out.append("]}").toString());
        }
        var body = new ArrayList<String>(rooms.size());
        for (var r : rooms) {
            body.add(r.name() + " members=" + r.members() + " topic=" + (r.topic() == null ? "" : r.topic()));
        }
        return Reply.block(body);
    }

    private Reply send(Words words) {
        String what = words.next();
        if (what.equals("ROOM")) {
            return sendRoom(words);
        }
        if (!what.equals("MESSAGE")) {
            return Reply.error("usage: SEND MESSAGE <id> <text>, or SEND ROOM <room> <text>");
        }
        String id = words.nextRaw();
        String text = AdminText.clean(words.rest());
        if (id.isEmpty() || text.isBlank()) {
            return Reply.error("usage: SEND MESSAGE <id> <text>");
        }
        String problem = tooLong(text);
        if (problem != null) {
            return Reply.error(problem);
        }
        long clientId = parseId(id);
        return clientId > 0 && ops.notice(clientId, text) ? Reply.of("OK") : Reply.of(NOT_FOUND);
    }

    private Reply sendRoom(Words words) {
        String room = words.nextRaw();
        String text = AdminText.clean(words.rest());
        if (room.isEmpty() || text.isBlank()) {
            return Reply.error("usage: SEND ROOM <room> <text>");
        }
        String problem = tooLong(text);
        if (problem != null) {
            return Reply.error(problem);
        }
        int reached = ops.roomNotice(room, text);
        return reached < 0 ? Reply.of(ROOM_NOT_FOUND) : Reply.of("OK " + reached);
    }

    private Reply broadcast(Words words) {
        String text = AdminText.clean(words.rest());
        if (text.isBlank()) {
            return Reply.error("usage: BROADCAST <text>");
        }
        String problem = tooLong(text);
        return problem != null ? Reply.error(problem) : Reply.of("OK " + ops.broadcast(text));
    }

    private Reply kick(Words words) {
        String id = words.nextRaw();
        if (id.isEmpty()) {
            return Reply.error("usage: KICK <id> [reason]");
        }
        String reason = AdminText.clean(words.rest()).strip();
        String problem = tooLong(reason);
        if (problem != null) {
            return Reply.error(problem);
        }
        long clientId = parseId(id);
        String notice = "kicked by an operator" + (reason.isEmpty() ? "" : ": " + reason);
        return clientId > 0 && ops.kick(clientId, notice) ? Reply.of("OK") : Reply.of(NOT_FOUND);
    }

    private Reply stats(Words words) {
        String word = words.next();
        if (!(word.isEmpty() || word.equals("JSON")) || !words.atEnd()) {
            return Reply.error("usage: STATS [JSON]");
        }
        var counters = new LinkedHashMap<>(ops.counters());
        counters.putAll(adminCounters.get());
        if (word.isEmpty()) {
            var body = new ArrayList<String>(counters.size());
            counters.forEach((k, v) -> body.add(k + "=" + v));
            return Reply.block(body);
        }
        var out = new StringBuilder("OK {");
        counters.forEach((k, v) -> AdminJson.field(out, k, v));
        return Reply.of(out.append('}').toString());
    }

    /** The clients using the most CPU over the last interval (ties: the most CPU since start), like top. */
    private Reply top(Words words) {
        String count = words.nextRaw();
        if (!words.atEnd() || !(count.isEmpty() || count.matches("[0-9]{1,4}"))) {
            return Reply.error("usage: TOP [N], N from 1 to " + TOP_MAX);
        }
        int n = count.isEmpty() ? TOP_DEFAULT : Integer.parseInt(count);
        if (n < 1 || n > TOP_MAX) {
            return Reply.error("usage: TOP [N], N from 1 to " + TOP_MAX);
        }
        var clients = new ArrayList<>(ops.clientList());
        clients.sort(Comparator.comparingDouble(
                        (ClientSnapshot c) -> c.usage() == null ? -1 : c.usage().cpuPercent())
                .thenComparingLong(c -> c.usage() == null ? -1 : c.usage().cpuMillis())
                .reversed()
                .thenComparingLong(ClientSnapshot::id));
        var body = new ArrayList<String>(Math.min(n, clients.size()));
        for (var c : clients.subList(0, Math.min(n, clients.size()))) {
            body.add(ClientFormat.topLine(c));
        }
        return Reply.block(body);
    }

    private Reply metrics() {
        var out = new MetricsWriter();
        ops.metrics(out);
        var admin = adminCounters.get();
        out.gauge(
                "forkcast_admin_connections",
                "Admin socket connections open.",
                admin.getOrDefault("admin_connections", 0L));
        out.counter(
                "forkcast_admin_accepted_total",
                "Admin socket connections accepted.",
                admin.getOrDefault("admin_accepted", 0L));
        out.counter(
                "forkcast_admin_refused_total",
                "Admin socket connections refused.",
                admin.getOrDefault("admin_refused", 0L));
        out.counter(
                "forkcast_admin_dropped_total",
                "Admin clients dropped for not reading their replies.",
                admin.getOrDefault("admin_dropped", 0L));
        out.counter(
                "forkcast_admin_commands_total", "Admin commands answered.", admin.getOrDefault("admin_commands", 0L));
        return Reply.block(out.lines());
    }

    private Reply history(Words words) {
        String word = words.next();
        if (!(word.isEmpty() || word.equals("JSON")) || !words.atEnd()) {
            return Reply.error("usage: HISTORY [JSON]");
        }
        var points = ops.history();
        if (word.isEmpty()) {
            var body = new ArrayList<String>(points.size());
            for (var p : points) {
                body.add("time=" + p.epochSeconds() + " clients=" + p.clients() + " deliveries_per_second="
                        + p.deliveriesPerSecond() + " memory_pss=" + p.pssBytes());
            }
            return Reply.block(body);
        }
        var out = new StringBuilder(96 + points.size() * 40)
                .append("OK {\"interval_seconds\":")
                .append(TimeUnit.NANOSECONDS.toSeconds(History.INTERVAL_NANOS))
                .append(",\"columns\":[\"time\",\"clients\",\"deliveries_per_second\",\"memory_pss\"],\"points\":[");
        for (int i = 0; i < points.size(); i++) {
            var p = points.get(i);
            out.append(i == 0 ? "[" : ",[")
                    .append(p.epochSeconds())
                    .append(',')
                    .append(p.clients())
                    .append(',')
                    .append(p.deliveriesPerSecond())
                    .append(',')
                    .append(p.pssBytes())
                    .append(']');
        }
        return Reply.of(out.append("]}").toString());
    }

    private String tooLong(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return bytes > maxTextBytes ? "text too long: " + bytes + " bytes, limit " + maxTextBytes : null;
    }

    /** A client id, or -1 when {@code id} is not one (which the caller reports as not found). */
    private static long parseId(String id) {
        if (id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(id);
    }

    /** Splits a command line into words separated by spaces or tabs; the text argument is the untouched rest. */
    private static final class Words {
        private final String line;
        private int pos;

        Words(String line) {
            this.line = line;
        }

        /** The next word, upper-cased; empty at the end. */
        String next() {
            return nextRaw().toUpperCase(Locale.ROOT);
        }

        String nextRaw() {
            while (pos < line.length() && isSeparator(line.charAt(pos))) {
                pos++;
            }
            int start = pos;
            while (pos < line.length() && !isSeparator(line.charAt(pos))) {
                pos++;
            }
            return line.substring(start, pos);
        }

        /** Everything after the one separator that follows the last word, spaces included. */
        String rest() {
            return pos < line.length() ? line.substring(pos + 1) : "";
        }

        boolean atEnd() {
            return line.substring(pos).isBlank();
        }

        private static boolean isSeparator(char c) {
            return c == ' ' || c == '\t';
        }
    }
}
