package io.forkcast.supervisor.link;

/** What the link layer counts since start. Confined to the loop thread; read by the STATS report. */
public final class LinkStats {
    /** Clients gone, by the counter of their cause ({@link LeaveCause#COUNTED} order). */
    private final long[] left = new long[LeaveCause.COUNTED.size()];

    long hubRefused;
    long framesRejected;
    long droppedSlow;
    long kicked;
    long adopted;

    void count(LeaveCause cause) {
        left[cause.counter().ordinal()]++;
    }

    public long leftBy(LeaveCause counted) {
        return left[counted.counter().ordinal()];
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
