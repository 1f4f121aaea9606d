package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the worker answers to a request head on the WebSocket port: the chat page's files, a WebSocket opening
 * (RFC 6455 section 4.2: version 13, a key, the Origin allowed, the query's tags, key, secret and format), or an
 * HTTP error with a reason. Stateless; any thread.
 */
final class Handshake {
    /** RFC 6455's GUID, appended to the client's key for the accept value. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {}

    /** What to answer. */
    sealed interface Outcome {}

    /** A file of the chat page, by path ({@code /}, {@code /chat.js}, {@code /chat.css}). */
    record Page(String path, String host) implements Outcome {}

    /**
     * A valid opening: the supervisor is asked (key and secret null when absent, tags empty for none); {@code
     * accept} is the Sec-WebSocket-Accept to answer with, {@code text} true for {@code ?format=text}; {@code mqtt}
     * true for MQTT over WebSocket (the client offered the {@code mqtt} subprotocol), which the worker opens itself:
     * the session is MQTT's, its CONNECT logs it in.
     */
    record Upgrade(String accept, String key, String secret, Map<String, String> tags, boolean text, boolean mqtt)
            implements Outcome {
        @Override
        public String toString() {
            return "Upgrade[key=" + key + ", secret=hidden, tags=" + tags + ", text=" + text + ", mqtt=" + mqtt + "]";
        }
    }

    /** An HTTP error: {@code status}, its reason shown in the body, and extra header lines (CR LF each) or "". */
    record Refusal(int status, String reason, String headers) implements Outcome {}

    /** Checks {@code head} against {@code settings}. */
    static Outcome answer(HttpRequestHead head, WebSocketSettings settings) {
        String target = head.target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        boolean upgrade = head.hasToken("upgrade", "websocket");
        if (!head.method().equals("GET")) {
            return new Refusal(405, "only GET is served here", "Allow: GET\r\n");
        }
        if (!upgrade) {
            return ChatPage.has(path) ? new Page(path, head.field("host")) : new Refusal(404, "not found", "");
        }
        // MQTT over WebSocket (MQTT 5.0 section 6): the subprotocol mqtt, at / or at /mqtt as MQTT.js and others use.
        boolean mqtt = head.hasToken("sec-websocket-protocol", "mqtt");
        if (!path.equals("/") && !(mqtt && path.equals("/mqtt"))) {
            return new Refusal(404, "WebSocket sessions open at / (MQTT also at /mqtt)", "");
        }
        if (!head.version().equals("HTTP/1.1") || !head.hasToken("connection", "upgrade")) {
            return new Refusal(400, "a WebSocket opening needs HTTP/1.1 and Connection: Upgrade", "");
        }
        if (!"13".equals(head.field("sec-websocket-version"))) {
            return new Refusal(426, "WebSocket version 13 only", "Sec-WebSocket-Version: 13\r\n");
        }
        String key = head.field("sec-websocket-key");
        if (!validKey(key)) {
            return new Refusal(400, "Sec-WebSocket-Key must be 16 bytes in base64", "");
        }
        String host = head.field("host");
        if (host == null || host.isEmpty()) {
            return new Refusal(400, "no Host header", "");
        }
        String origin = head.field("origin");
        if (origin != null && !originAllowed(origin, host, settings)) {
            return new Refusal(403, "origin not allowed: " + origin, "");
        }
        try {
            var params = query(query);
            String format = params.getOrDefault("format", "json");
            if (!format.equals("json") && !format.equals("text")) {
                return new Refusal(400, "format must be json or text", "");
            }
            String rawTags = params.get("tags");
            Map<String, String> tags = rawTags == null ? Map.of() : Tags.parse(rawTags, settings);
            return new Upgrade(accept(key), params.get("key"), params.get("secret"), tags, format.equals("text"), mqtt);
        } catch (Tags.BadTags | IllegalArgumentException e) {
            return new Refusal(400, e.getMessage(), "");
        }
    }

    /** Sec-WebSocket-Accept for {@code key}: base64 of the SHA-1 of the key and the GUID. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The default admits the page's own origin: Origin's host and port (the scheme's default port when it names
     * none) equal to the Host header's, which behind a TLS proxy carries no port of its own either.
     */
    static boolean originAllowed(String origin, String host, WebSocketSettings settings) {
        var allowed = settings.allowedOrigins();
        String o = WebSocketSettings.normalized(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains("*") || allowed.contains(o);
        }
        try {
            var uri = new URI(o);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int defaultPort = uri.getScheme().equals("https") ? 443 : 80;
            int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
            var hostUri = new URI("http://" + host.toLowerCase(Locale.ROOT));
            int hostPort = hostUri.getPort() < 0 ? defaultPort : hostUri.getPort();
            return uri.getHost().equals(hostUri.getHost()) && originPort == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The query's parameters, percent-decoded; the last of a name given twice wins. */
    private static Map<String, String> query(String query) {
        var params = new LinkedHashMap<String, String>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            params.put(name, value);
        }
        return params;
    }

    /**
     * The 101 that completes an accepted opening: no extension (permessage-deflate is declined), and the subprotocol
     * {@code mqtt} for MQTT over WebSocket (none for the chat).
     */
    static byte[] switching(String accept, boolean mqtt) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + (mqtt ? "Sec-WebSocket-Protocol: mqtt\r\n" : "")
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                .getBytes(UTF_8);
    }

    /** An HTTP error with {@code reason} as its plain-text body; the connection closes after it. */
    static byte[] refusal(int status, String reason, String headers) {
        byte[] body = (reason + "\n").getBytes(UTF_8);
        String head = "HTTP/1.1 " + status + " " + statusText(status) + "\r\n" + headers
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
        return concat(head.getBytes(UTF_8), body);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
