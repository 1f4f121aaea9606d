package io.forkcast.admin.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.forkcast.admin.AdminClient;
import io.forkcast.admin.AdminException;
import io.forkcast.admin.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code scripts/forkcast admin-web [--bind 127.0.0.1] [--port 8090] [--socket PATH | --runtime-dir DIR]}: the
 * admin page and the endpoints of the PHP pages ({@code admin.php}, {@code clients.php}, {@code overview.php},
 * {@code sendMessage.php}, {@code kick.php}, {@code broadcast.php}, {@code metrics.php}, also as {@code /metrics})
 * from the JDK's HTTP server, each request through its own
 * {@link AdminClient} connection. Prints {@code READY http://host:port/} when serving. Request threads are virtual.
 */
public final class AdminWeb {
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private final Path socket;
    private final Duration timeout;
    private final WebGuard guard;

    private AdminWeb(Path socket, Duration timeout, WebGuard guard) {
        this.socket = socket;
        this.timeout = timeout;
        this.guard = guard;
    }

    public static void main(String[] all) throws IOException {
        String bind = "127.0.0.1";
        int port = 8090;
        Path socket = AdminClient.defaultSocket();
        WebGuard.Options guardOptions;
        try {
            guardOptions = WebGuard.Options.take(all);
            String[] args = guardOptions.rest().toArray(String[]::new);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--bind" -> bind = required(value, args[i++]);
                    case "--port" -> port = Integer.parseInt(required(value, args[i++]));
                    case "--socket" -> socket = Path.of(required(value, args[i++]));
                    case "--runtime-dir" ->
                        socket = Path.of(required(value, args[i++])).resolve("admin.sock");
                    case "--help", "-h" -> {
                        usage();
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("bad value for --port: " + port + " is outside 0..65535");
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("forkcast: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        WebGuard guard;
        try {
            guard = guardOptions.guardFor(InetAddress.getByName(bind));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("forkcast: " + e.getMessage());
            System.exit(2);
            return;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            System.err.println("forkcast: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        int bound = server.getAddress().getPort();
        InetAddress address = server.getAddress().getAddress();
        var web = new AdminWeb(socket, AdminClient.DEFAULT_TIMEOUT, guard);
        server.createContext("/", web::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        String host = address.getHostAddress();
        System.out.println("READY http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound + "/");
        System.out.flush();
        System.err.println(Instant.now() + " INFO role=admin-web event=ready listen=" + host + ":" + bound
                + " admin_socket=" + socket.toAbsolutePath() + " hosts=" + String.join(",", guard.hosts())
                + " credential=" + (guard.requiresCredential() ? "required" : "none"));
    }

    private static String required(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return value;
    }

    private static void usage() {
        System.err.println("""
                usage: scripts/forkcast admin-web [--bind 127.0.0.1] [--port 8090] [--socket PATH | --runtime-dir DIR]
                           [--password-file FILE] [--allowed-hosts NAME,...] [--config FILE]
                Serves the admin page for a running forkcast (admin socket: $FORKCAST_ADMIN_SOCKET, else
                run/admin.sock); prints "READY http://host:port/" when serving. It answers only requests that name
                it in Host (localhost, the bound address, --allowed-hosts); with --password-file (one line,
                user:password, not readable by others) every request needs those credentials (HTTP basic), and
                on an address other than loopback it does not start without one. The config file's
                admin_web_password_file and admin_web_hosts apply when the flags are not given.""");
    }

    // ---- Requests ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Host (DNS rebinding) and credentials first, before anything is read or done.
            if (!guard.admit(exchange)) {
                return;
            }
            String host = exchange.getRequestHeaders().getFirst("Host");
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/", "/admin.php", "/index.html" -> {
                    if (requireMethod(exchange, method, "GET")) {
                        page(exchange);
                    }
                }
                case "/admin.js" -> {
                    if (requireMethod(exchange, method, "GET")) {
                        script(exchange);
                    }
                }
                case "/clients.php" -> {
                    if (requireMethod(exchange, method, "GET")) {
                        clients(exchange);
                    }
                }
                case "/overview.php" -> {
                    if (requireMethod(exchange, method, "GET")) {
                        overview(exchange);
                    }
                }
                case "/metrics", "/metrics.php" -> {
                    if (requireMethod(exchange, method, "GET")) {
                        metrics(exchange);
                    }
                }
                case "/sendMessage.php", "/kick.php" -> {
                    if (requireMethod(exchange, method, "POST") && sameOriginJson(exchange, host)) {
                        action(exchange, path.equals("/kick.php"));
                    }
                }
                case "/broadcast.php" -> {
                    if (requireMethod(exchange, method, "POST") && sameOriginJson(exchange, host)) {
                        broadcast(exchange);
                    }
                }
                default -> respond(exchange, 404, "text/plain", "not found\n");
            }
        } catch (IOException | RuntimeException e) {
            System.err.println(Instant.now() + " WARN role=admin-web event=request_failed path="
                    + exchange.getRequestURI().getPath() + " error=\""
                    + e.toString().replace('"', '\'') + "\"");
        }
    }

    private static boolean requireMethod(HttpExchange exchange, String method, String allowed) throws IOException {
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        respond(exchange, 405, "text/plain", "method not allowed\n");
        return false;
    }

    /** Only the page itself may post: a JSON body (which a form on another site cannot send) from our origin. */
    private static boolean sameOriginJson(HttpExchange exchange, String host) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            respond(
                    exchange,
                    415,
                    "application/json",
                    AdminPage.result(true, "send JSON (Content-Type: application/json)"));
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals("http://" + host)) {
            respond(exchange, 403, "application/json", AdminPage.result(true, "cross-origin request refused"));
            return false;
        }
        return true;
    }

    private void page(HttpExchange exchange) throws IOException {
        try (var client = AdminClient.connect(socket, timeout)) {
            var clients = client.list();
            respond(exchange, 200, "text/html; charset=utf-8", AdminPage.html(clients, client.rooms(), null));
        } catch (AdminException e) {
            respond(exchange, 503, "text/html; charset=utf-8", AdminPage.html(List.of(), List.of(), e.getMessage()));
        }
    }

    private static void script(HttpExchange exchange) throws IOException {
        try (InputStream in = AdminWeb.class.getResourceAsStream("admin.js")) {
            if (in == null) {
                respond(exchange, 500, "text/plain", "admin.js is missing from the jar\n");
                return;
            }
            respond(
                    exchange,
                    200,
                    "text/javascript; charset=utf-8",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void clients(HttpExchange exchange) throws IOException {
        try (var client = AdminClient.connect(socket, timeout)) {
            var clients = client.list();
            respond(exchange, 200, "application/json", AdminPage.clientsJson(clients, client.rooms()));
        } catch (AdminException e) {
            respond(exchange, 503, "application/json", AdminPage.result(true, e.getMessage()));
        }
    }

    /** The header's figures and the charts' ten minutes, as {@code overview.php} answers. */
    private void overview(HttpExchange exchange) throws IOException {
        try (var client = AdminClient.connect(socket, timeout)) {
            var stats = client.stats();
            respond(exchange, 200, "application/json", AdminPage.overviewJson(stats, client.history()));
        } catch (AdminException e) {
            respond(exchange, 503, "application/json", AdminPage.result(true, e.getMessage()));
        }
    }

    /** Prometheus text exposition, as {@code metrics.php} answers: what a scraper reads. */
    private void metrics(HttpExchange exchange) throws IOException {
        try (var client = AdminClient.connect(socket, timeout)) {
            respond(exchange, 200, PROMETHEUS_TEXT, client.metrics());
        } catch (AdminException e) {
            respond(exchange, 503, "text/plain; charset=utf-8", "forkcast: " + e.getMessage() + "\n");
        }
    }

    /**
     * {@code {room, message}}: {@code message} to every member of {@code room}, or to everyone when the room is
     * {@code ""} or null; answers {@code {error, message, reached}}, as {@code broadcast.php} does.
     */
    private void broadcast(HttpExchange exchange) throws IOException {
        byte[] body = body(exchange);
        if (body == null) {
            return;
        }
        String room;
        String text;
        try {
            var request = (Map<?, ?>) Json.parse(new String(body, StandardCharsets.UTF_8));
            Object value = request.get("room");
            room = value == null ? "" : (String) value;
            text = request.get("message") instanceof String s ? s : "";
        } catch (IllegalArgumentException | ClassCastException e) {
            respond(
                    exchange,
                    400,
                    "application/json",
                    AdminPage.result(true, "expected {\"room\": name, or \"\" for everyone, \"message\": text}"));
            return;
        }
        if (text.isBlank()) {
            respond(exchange, 400, "application/json", AdminPage.result(true, "the message is empty"));
            return;
        }
        if (!room.isEmpty() && !AdminPage.isRoomName(room)) {
            respond(exchange, 200, "application/json", AdminPage.result(true, "Room Not Found"));
            return;
        }
        try (var client = AdminClient.connect(socket, timeout)) {
            int reached = room.isEmpty() ? client.broadcast(text) : client.sendRoom(room, text);
            respond(exchange, 200, "application/json", AdminPage.reached(reached));
        } catch (AdminException.Refused e) {
            respond(exchange, 200, "application/json", AdminPage.result(true, e.reason()));
        } catch (AdminException e) {
            respond(exchange, 503, "application/json", AdminPage.result(true, e.getMessage()));
        }
    }

    /** The request's body, or null after answering 413 when it is too large. */
    private static byte[] body(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            respond(
                    exchange,
                    413,
                    "application/json",
                    AdminPage.result(true, "request larger than " + MAX_BODY_BYTES + " bytes"));
            return null;
        }
        return body;
    }

    /** {@code {clientId, message}} to send, or {@code {clientId, reason}} to kick; answers {@code {error, message}}. */
    private void action(HttpExchange exchange, boolean kick) throws IOException {
        byte[] body = body(exchange);
        if (body == null) {
            return;
        }
        long clientId;
        String text;
        try {
            var request = (Map<?, ?>) Json.parse(new String(body, StandardCharsets.UTF_8));
            clientId = clientId(request.get("clientId"));
            Object value = request.get(kick ? "reason" : "message");
            text = value == null ? "" : (String) value;
        } catch (IllegalArgumentException | ClassCastException e) {
            respond(
                    exchange,
                    400,
                    "application/json",
                    AdminPage.result(
                            true,
                            kick
                                    ? "expected {\"clientId\": id, \"reason\": text}"
                                    : "expected {\"clientId\": id, \"message\": text}"));
            return;
        }
        if (!kick && text.isBlank()) {
            respond(exchange, 400, "application/json", AdminPage.result(true, "the message is empty"));
            return;
        }
        if (clientId <= 0) {
            respond(exchange, 200, "application/json", AdminPage.result(true, "Client Not Found"));
            return;
        }
        try (var client = AdminClient.connect(socket, timeout)) {
            if (kick) {
                client.kick(clientId, text);
            } else {
                client.send(clientId, text);
            }
            respond(exchange, 200, "application/json", AdminPage.result(false, ""));
        } catch (AdminException.ClientNotFound e) {
            respond(exchange, 200, "application/json", AdminPage.result(true, "Client Not Found"));
        } catch (AdminException.Refused e) {
            respond(exchange, 200, "application/json", AdminPage.result(true, e.reason()));
        } catch (AdminException e) {
            respond(exchange, 503, "application/json", AdminPage.result(true, e.getMessage()));
        }
    }

    /**
     * A client id as 003's page sends it (a string) or as a number; -1 for a string or number that names no client
     * (answered as not found, like the socket does); a missing id or another type is a bad request.
     */
    private static long clientId(Object value) {
        if (value instanceof Long id) {
            return id > 0 ? id : -1;
        }
        if (value instanceof String s) {
            return s.matches("[0-9]{1,18}") ? Long.parseLong(s) : -1;
        }
        throw new IllegalArgumentException("not a client id: " + value);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", CSP);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
