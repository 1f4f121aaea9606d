package io.forkcast.supervisor.link;

import java.util.EnumMap;

/** What the link layer counts since start. Confined to the loop thread; read by the STATS report. */
public final class LinkStats {
    /** Clients gone, by the counter of their cause; a counter not here has counted none. */
    private final EnumMap<LeaveCause, Long> left = new EnumMap<>(LeaveCause.class);

    long hubRefused;
    long framesRejected;
    long droppedSlow;
    long kicked;
    long adopted;

    void count(LeaveCause cause) {
        left.merge(cause.counter(), 1L, Long::sum);
    }

    public long leftBy(LeaveCause counted) {
        return left.getOrDefault(counted.counter(), 0L);
    }

    public long hubRefused() {
        return hubRefused;
    }

    public long framesRejected() {
        return framesRejected;
    }

    public long droppedSlow() {
        return droppedSlow;
    }

    public long kicked() {
        return kicked;
    }

    public long adopted() {
        return adopted;
    }
}
