package io.forkcast.worker.front;

/**
 * What the worker tells its client by itself, without the supervisor: answers to commands it handles locally,
 * and news of its hub link. Each {@link FrontDoor} renders them its own way. Immutable; any thread.
 */
public sealed interface Reply {
    /** The list of commands. */
    record Help() implements Reply {}

    /** A slash command nobody knows. */
    record UnknownCommand(String command) implements Reply {}

    /** A command used without what it needs; {@code syntax} is how to use it. */
    record Usage(String syntax) implements Reply {}

    /** A command's argument refused, with the reason. */
    record Invalid(String problem) implements Reply {}

    /** A request that needs the supervisor while the worker is reconnecting to it. */
    record NotConnected() implements Reply {}

    /** A command the supervisor does not speak (one of an earlier build, below protocol level 3). */
    record NotSupported(String command) implements Reply {}

    /** {@code /reply} before anyone sent a private line. */
    record NoOneToReply() implements Reply {}

    /** The first line dropped by the flood limit since the last one that passed. */
    record FloodDropped(int linesPerSecond) implements Reply {}

    /** The supervisor went away; the worker keeps the client and reconnects. */
    record Reconnecting() implements Reply {}

    /** Back on a supervisor after {@link Reconnecting}. */
    record Reconnected() implements Reply {}

    /** A command, or a line, before the login the server requires. */
    record LoginFirst() implements Reply {}

    /** {@code /login} by a client already logged in as {@code user}. */
    record AlreadyLoggedIn(String user) implements Reply {}

    /**
     * A broker request the worker refused itself: {@code command} names it as the client's protocol does ({@code
     * send}), {@code reason} is fit to show the client.
     */
    record Refused(String command, String reason) implements Reply {}

    /** The broker's {@code ping}, answered. */
    record Pong() implements Reply {}

    /** The broker's {@code logout}, answered just before the session ends. */
    record LoggedOut() implements Reply {}
}
