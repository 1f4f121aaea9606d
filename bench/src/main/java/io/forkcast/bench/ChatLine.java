package io.forkcast.bench;

import java.io.IOException;

/**
 * One blocking chat client of the federation figures, whatever its protocol: a telnet user of forkcast or a
 * Socket.IO client of the reference. {@link #next} belongs to one reader thread; {@link #say} to one sender.
 */
interface ChatLine extends AutoCloseable {
    /** The node (0, 1, ...) this client is connected to. */
    int node();

    /** Sends {@code text} to the room, as one line or one event, written at once. */
    void say(String text) throws IOException;

    /** The next line or chat event's text as received (other events skipped or answered); null once closed. */
    String next() throws IOException;

    @Override
    void close();
}
