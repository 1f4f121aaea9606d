package io.forkcast.supervisor.spawn;

import java.util.Arrays;

/**
 * The client kinds of the last arrivals, so that a spare warms the paths of the kinds clients actually come as and
 * not of every kind the server could serve: a telnet-only server's spares then cost what a worker started for its
 * client does. A fresh server has seen nothing, so its first spares warm only their own kind, and a client of
 * another kind handed one of them starts colder (tens of milliseconds on its first answer); the spares started
 * after it warm its kind too. Confined to the loop thread.
 */
final class KindMix {
    /** How many of the last arrivals decide. */
    static final int WINDOW = 64;

    private final String[] recent = new String[WINDOW];
    private int next;

    void arrived(String kind) {
        recent[next] = kind;
        next = (next + 1) % WINDOW;
    }

    /** Whether a spare should warm {@code kind}: one of the last {@link #WINDOW} arrivals was of it. */
    boolean seen(String kind) {
        return Arrays.asList(recent).contains(kind);
    }
}
