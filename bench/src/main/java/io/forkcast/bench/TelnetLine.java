package io.forkcast.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A telnet user of one forkcast node: connected once its banner and room line are in; lines end in CR LF. */
final class TelnetLine implements ChatLine {
    private final int node;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder();

    private TelnetLine(int node, Socket socket) throws IOException {
        this.node = node;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16384);
        this.out = socket.getOutputStream();
    }

    static TelnetLine open(int node, String host, int port, int timeoutMillis) throws IOException {
        var socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        var client = new TelnetLine(node, socket);
        String text;
        while ((text = client.next()) != null && !text.startsWith("*** you are in #")) {
            // the banner and the room's history come first
        }
        if (text == null) {
            socket.close();
            throw new IOException("closed before the room line");
        }
        socket.setSoTimeout(0);
        return client;
    }

    @Override
    public int node() {
        return node;
    }

    @Override
    public void say(String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public String next() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b); // the tagged lines are ASCII; telnet commands only at the start are kept as is
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
