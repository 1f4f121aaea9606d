package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The browser chat page, shipped in the worker's jar beside this class: one HTML file, one script, one style
 * sheet, no external resource. Served with a strict Content-Security-Policy (nothing but these files and the
 * WebSocket of the same host), and not cached, so that a new build's page is the one a browser gets. Stateless;
 * any thread.
 */
final class ChatPage {
    private ChatPage() {}

    /** True for the paths of the page's files. */
    static boolean has(String path) {
        return resource(path) != null;
    }

    /** The whole HTTP response for {@code path} ({@link #has} true), with {@code host} in the policy's connect-src. */
    static byte[] response(String path, String host) {
        String name = resource(path);
        byte[] body;
        try (InputStream in = ChatPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the worker jar lacks " + name);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String head = "HTTP/1.1 200 OK\r\nContent-Type: " + contentType(name) + "\r\nContent-Length: " + body.length
                + "\r\nCache-Control: no-store\r\nContent-Security-Policy: " + policy(host)
                + "\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
        return Handshake.concat(head.getBytes(UTF_8), body);
    }

    /**
     * Only the page's own files; the WebSocket of the host the page came from (named, as older browsers do not
     * take {@code 'self'} for ws: and wss:). A Host that is not a plain host and port is left out.
     */
    static String policy(String host) {
        String connect = "'self'";
        if (host != null && host.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            connect += " ws://" + host + " wss://" + host;
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src " + connect
                + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String resource(String path) {
        return switch (path) {
            case "/", "/index.html" -> "index.html";
            case "/chat.js" -> "chat.js";
            case "/chat.css" -> "chat.css";
            default -> null;
        };
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    }
}
