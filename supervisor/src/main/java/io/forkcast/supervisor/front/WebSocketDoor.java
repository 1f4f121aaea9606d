package io.forkcast.supervisor.front;

import io.forkcast.supervisor.config.WebSocketSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WebSocket clients (browsers, seeds 001 and 003) and the chat page, on ws_port. A client is turned away before any
 * worker has read its request, so the refusal is plain HTTP, which a browser's {@code new WebSocket(...)} reports as
 * a failed handshake and a page load shows as text: {@code 503 Service Unavailable} with the reason and {@code
 * Connection: close}. Its workers are started with the limits they check at the handshake and on each message.
 * Immutable.
 */
public final class WebSocketDoor implements FrontDoorKind {
    public static final String NAME = "websocket";

    /** The ws_* settings the worker needs; fixed until a restart. */
    private final WebSocketSettings settings;

    public WebSocketDoor(WebSocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer refusal(String reason) {
        byte[] body = (printable(reason) + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Retry-After: 10\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        var out = ByteBuffer.allocate(headBytes.length + body.length);
        out.put(headBytes).put(body).flip();
        return out;
    }

    /**
     * {@code --ws-ping-interval-ms}, {@code --ws-max-message-bytes}, {@code --ws-tags-max}, {@code
     * --ws-tag-bytes-max}, and {@code --ws-allowed-origins} when it is set (without it the worker takes the same host
     * as the request's {@code Host} only).
     */
    @Override
    public List<String> workerArguments() {
        var args = new ArrayList<String>(10);
        args.add("--ws-ping-interval-ms");
        args.add(Long.toString(settings.pingInterval().toMillis()));
        args.add("--ws-max-message-bytes");
        args.add(Integer.toString(settings.maxMessageBytes()));
        args.add("--ws-tags-max");
        args.add(Integer.toString(settings.tagsMax()));
        args.add("--ws-tag-bytes-max");
        args.add(Integer.toString(settings.tagBytesMax()));
        if (!settings.allowedOrigins().isEmpty()) {
            args.add("--ws-allowed-origins");
            args.add(settings.allowedOrigins());
        }
        return List.copyOf(args);
    }

    /** The reason as one line of text: it goes in a response body, never where it could end the head. */
    private static String printable(String reason) {
        var out = new StringBuilder(reason.length());
        reason.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }
}
