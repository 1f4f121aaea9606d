package io.forkcast.worker.front;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.worker.chat.Intent;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * What one client kind implements: its wire format on the client side. Bytes from the client become {@link
 * Intent}s (limits checked before anything is allocated for them); the supervisor's orders and the worker's own
 * {@link Reply replies} become bytes in the {@link ClientOutput} the front door was made with. It knows nothing
 * of the hub. One instance per client, confined to the worker's loop thread.
 */
public interface FrontDoor {
    /** Applies the supervisor's limits (the longest line) from the next byte on; called before the first feed. */
    void limits(SupervisorMessage.Limits limits);

    /** The banner, once the supervisor has admitted the client. */
    void greet(String peer, long pid);

    /**
     * Consumes every byte of {@code in} (unless {@link #stopFeed} is called); each complete input goes to {@code
     * intents}, in order. Protocol replies and input errors (an overlong line) go to the output directly. Anything
     * incomplete waits for the next call.
     */
    void feed(ByteBuffer in, Consumer<Intent> intents);

    /**
     * Called from inside {@code intents} during a {@link #feed}: that feed returns once the intent being handled
     * is done, leaving the bytes after it in its buffer for the next call. The loop stops here while the hub's
     * backlog of unacknowledged lines is full, so that TCP pushes back on a fast sender instead of it being
     * dropped.
     */
    void stopFeed();

    /**
     * Called by the loop at every turn while the session is open: a front door with timers of its own (the
     * WebSocket's keep-alive ping) acts on them here, with {@code intents} as in {@link #feed}. Returns how long
     * the loop may wait before the next call, in milliseconds; 0 for as long as it likes.
     */
    default long tick(Consumer<Intent> intents) {
        return 0;
    }

    /**
     * True when, while {@link #awaitingCloseReply}, the connection's sending side is shut at once (MQTT: the spec has
     * the server close after its DISCONNECT, so the client sees the end right after it); only the reading goes on,
     * so that what the client still sends does not turn the close into a reset. The WebSocket's closing handshake
     * keeps both sides open instead.
     */
    default boolean shutsOutputWhileAwaitingClose() {
        return false;
    }

    /**
     * True while the front door holds input it took from the buffer but could not hand on yet (MQTT over WebSocket:
     * the rest of a message while the hub's backlog is full): the loop then feeds it again, with nothing new, once
     * the backlog has room, as it does with bytes left in the buffer.
     */
    default boolean holdsInput() {
        return false;
    }

    /**
     * Called by the loop at every turn: whether it reads the client now. It stops while the hub's backlog is full
     * or the byte rate is spent; a front door's timers of the client's silence (the WebSocket's ping) stop too,
     * since that silence is the loop's doing, not the client's.
     */
    default void reading(boolean reading) {}

    /**
     * True while the session is over on our side but the client's own close is still awaited (the WebSocket
     * closing handshake the server began, RFC 6455 section 7.1.1): the loop keeps feeding what the client sends,
     * for a bounded time, until this turns false, and only then closes the connection.
     */
    default boolean awaitingCloseReply() {
        return false;
    }

    /** Shows an order from the supervisor; {@code selfId} is this client's id (a who list marks it). */
    void render(SupervisorMessage order, long selfId);

    /** The node of the supervisor the client is on ("" for a level 1 one), told at each welcome. */
    default void node(String node) {}

    /** What a client is asked for before it may log in. */
    enum Prompt {
        /** {@code login: }: the next input is a user name ({@link io.forkcast.worker.chat.Intent.LoginName}). */
        USER,
        /**
         * {@code password: }, hidden from view where the client's protocol can hide it: the next input is a password
         * ({@link io.forkcast.worker.chat.Intent.Password}), and the input is shown again after it.
         */
        PASSWORD
    }

    /** Asks the client for a user name or a password: the next input answers it, whatever it looks like. */
    void prompt(Prompt prompt);

    /** Shows something the worker itself tells its client. */
    void reply(Reply reply);

    /** The last thing the client is told before it is closed; {@code notice} is null when there is nothing to say. */
    void goodbye(String notice);
}
