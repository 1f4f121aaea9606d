package io.forkcast.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of forkcast's WebSocket port (docs/protocol.md, "The WebSocket port") on the JDK's
 * {@link java.net.http.WebSocket}: a program's way to join the chat, or to push seed 001's tagged messages to
 * browsers. Every event the server sends lands, whole, in {@link #events()}, filled by the HttpClient's thread;
 * the send methods block the calling thread until the frame is out (and, for a tagged send, the answer is in).
 *
 * <pre>
 *   connect ──101──▶ open ──send / sendTagged / events()*──▶ close (1000) ──echo──▶ closed
 *                     └──────────── the server closes or the connection breaks ──────▶ closed
 * </pre>
 */
public final class WebSocketChatClient implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** A message from the server longer than this is taken as a broken server rather than buffered. */
    private static final int MAX_MESSAGE_CHARS = 16 << 20;

    /** host:port, for messages. */
    private final String server;

    /** How long a connect, a send or an answer may take. */
    private final Duration timeout;

    /** Its own HttpClient, closed with this client, so no selector thread outlives it. */
    private final HttpClient http;

    private final Receiver receiver;
    private final WebSocket socket;

    private WebSocketChatClient(String server, Duration timeout, HttpClient http, Receiver receiver, WebSocket socket) {
        this.server = server;
        this.timeout = timeout;
        this.http = http;
        this.receiver = receiver;
        this.socket = socket;
    }

    /** Opens {@code uri} (ws://host:port/, with {@code ?key=&secret=} when the server wants them) with these tags. */
    public static WebSocketChatClient connect(URI uri, Map<String, String> tags) throws WebSocketChatException {
        return connect(uri, tags, DEFAULT_TIMEOUT);
    }

    public static WebSocketChatClient connect(URI uri, Map<String, String> tags, Duration timeout)
            throws WebSocketChatException {
        String server = uri.getHost() + ":" + uri.getPort();
        var http = HttpClient.newBuilder().connectTimeout(timeout).build();
        var receiver = new Receiver();
        try {
            WebSocket socket = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(WebSocketChatJson.withTags(uri, tags), receiver)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new WebSocketChatClient(server, timeout, http, receiver, socket);
        } catch (ExecutionException e) {
            http.close();
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                String reason = bodyText(refused.getResponse().body());
                throw new WebSocketChatException.Refused(
                        "opening " + server + " refused: HTTP " + status + (reason.isEmpty() ? "" : ": " + reason),
                        status,
                        reason);
            }
            throw new WebSocketChatException("cannot open " + server + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            http.close();
            throw new WebSocketChatException("opening " + server + " took over " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            http.close();
            Thread.currentThread().interrupt();
            throw new WebSocketChatException("interrupted while opening " + server, e);
        }
    }

    /** The events the server sent, one JSON text each, oldest first; take them with {@code poll(timeout)}. */
    public BlockingQueue<String> events() {
        return receiver.events;
    }

    /** Sends one text frame: a chat line, a {@code /command} or a JSON request. */
    public synchronized void send(String text) throws WebSocketChatException {
        try {
            socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new WebSocketChatException("sending to " + server + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new WebSocketChatException("sending to " + server + " took over " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketChatException("interrupted while sending to " + server, e);
        }
    }

    /**
     * Sends seed 001's tagged request and returns how many clients got it. {@code key} and {@code secret} are an
     * application's of the server's {@code ws_auth_file}, or null without one. The answer is also in
     * {@link #events()}.
     *
     * @throws WebSocketChatException.Refused with the server's reason when it refuses the send
     */
    public synchronized long sendTagged(String message, Map<String, String> tags, String key, String secret)
            throws WebSocketChatException {
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("a tagged send needs tags; send(text) says a line to the room");
        }
        receiver.answers.clear(); // an answer left from an earlier send is not this one's
        send(WebSocketChatJson.request(message, tags, key, secret));
        String answer;
        try {
            answer = receiver.answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketChatException("interrupted while waiting for " + server, e);
        }
        if (answer == null) {
            String closed = receiver.closed.getNow(null);
            throw new WebSocketChatException(
                    closed != null
                            ? "connection to " + server + " closed: " + closed
                            : "no answer from " + server + " within " + timeout.toMillis() + " ms");
        }
        return WebSocketChatJson.receivers(answer, server);
    }

    /** Why the connection ended ({@code "1000 "}, the server's code and reason, or the error), or null if open. */
    public String closedBecause() {
        return receiver.closed.getNow(null);
    }

    /** Says goodbye (close 1000), waits up to the timeout for the server's echo, and frees the connection. */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            receiver.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Broken or slow: aborted below either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.abort();
            http.close();
        }
    }

    private static String bodyText(Object body) {
        return switch (body) {
            case String s -> s.trim();
            case byte[] b -> new String(b, StandardCharsets.UTF_8).trim();
            case null, default -> "";
        };
    }

    /** The listener: joins fragments into events; runs on the HttpClient's thread, one callback at a time. */
    private static final class Receiver implements WebSocket.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        /** The {@code sent} and {@code error} events again, for {@link #sendTagged} to wait on. */
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        /** Completed with the close code and reason, or the error, when the connection ends. */
        final CompletableFuture<String> closed = new CompletableFuture<>();

        /** The fragments of the message being received; only the listener's thread touches it. */
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
                closed.complete("a message over " + MAX_MESSAGE_CHARS + " characters");
                webSocket.abort();
                return null;
            }
            partial.append(data);
            if (last) {
                String event = partial.toString();
                partial.setLength(0);
                String type = WebSocketChatJson.type(event);
                events.add(event);
                if ("sent".equals(type) || "error".equals(type)) {
                    answers.add(event);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null; // the JDK echoes the close once this returns
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(String.valueOf(error));
        }
    }
}
