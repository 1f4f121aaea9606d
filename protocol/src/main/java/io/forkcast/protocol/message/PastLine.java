package io.forkcast.protocol.message;

/**
 * A line said earlier, as the store kept it: one line of a room's history, or a private line kept while its
 * recipient was away.
 *
 * @param time when it was said, in milliseconds since the epoch
 * @param name the sender's name as it was then
 * @param style a line or a {@code /me} action
 * @param text what was said
 */
public record PastLine(long time, String name, SupervisorMessage.Style style, String text) {}
