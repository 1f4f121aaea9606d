package io.forkcast.bench;

import java.io.IOException;

/**
 * A Socket.IO client (Engine.IO 4, Socket.IO 5, WebSocket transport only) over the load generator's WebSocket
 * client: the open packet {@code 0{...}}, the namespace connect {@code 40} and its answer, the server's
 * {@code welcome} event, then {@code 42["chat","TEXT"]} both ways; the server's ping {@code 2} is answered
 * {@code 3} by the reader. Texts are the bench's own (ASCII, no quote or backslash), so no JSON escaping.
 */
final class SocketIoLine implements ChatLine {
    private static final String CHAT = "42[\"chat\",\"";

    private final int node;
    private final WsClient ws;

    private SocketIoLine(int node, WsClient ws) {
        this.node = node;
        this.ws = ws;
    }

    static SocketIoLine open(int node, String host, int port, int timeoutMillis) throws IOException {
        var ws = WsClient.open(host, port, "/socket.io/?EIO=4&transport=websocket", timeoutMillis);
        try {
            expect(ws, "0{");
            ws.send("40");
            expect(ws, "40");
            expect(ws, "42[\"welcome\"");
            ws.readTimeout(0);
            return new SocketIoLine(node, ws);
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
    }

    /** Reads until a message starting with {@code prefix}, answering pings; fails if the server closes first. */
    private static void expect(WsClient ws, String prefix) throws IOException {
        String text;
        while ((text = ws.readText()) != null && !text.startsWith(prefix)) {
            if (text.equals("2")) {
                ws.send("3");
            }
        }
        if (text == null) {
            throw new IOException("socket.io closed before " + prefix);
        }
    }

    @Override
    public int node() {
        return node;
    }

    @Override
    public void say(String text) throws IOException {
        ws.send(CHAT + text + "\"]");
    }

    @Override
    public String next() throws IOException {
        while (true) {
            String text = ws.readText();
            if (text == null) {
                return null;
            }
            if (text.equals("2")) {
                ws.send("3");
            } else if (text.startsWith(CHAT)) {
                return text.substring(CHAT.length(), text.length() - 2);
            }
        }
    }

    @Override
    public void close() {
        ws.close();
    }
}
