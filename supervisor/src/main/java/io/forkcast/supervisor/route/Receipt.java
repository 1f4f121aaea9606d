package io.forkcast.supervisor.route;

/**
 * One line's frames not yet written to its recipients' links: held once per outbox that queued the line, released
 * when that outbox has written it (or discarded it, its worker being dropped for cause). Once every hold is released
 * the sender may be acknowledged up to the line. One per line, shared by its recipients. Confined to the loop thread.
 */
public final class Receipt {
    /** For frames no sender waits on (notices, events, replays): holding and releasing it does nothing. */
    public static final Receipt NONE = new Receipt(null, null, 0);

    private final Delivery delivery;
    /** Whose line it is; null for {@link #NONE}. */
    final Member sender;
    /** The line's sequence number; fixed. */
    final long seq;
    /** Holds not yet released: one per outbox with the line queued, plus the router's own while it posts. */
    int outstanding = 1;

    Receipt(Delivery delivery, Member sender, long seq) {
        this.delivery = delivery;
        this.sender = sender;
        this.seq = seq;
    }

    /** An outbox queued the line: the sender is not acknowledged past it until that outbox releases it. */
    public void hold() {
        if (sender != null) {
            outstanding++;
        }
    }

    /** The outbox holding the line has written it, or discarded it with the worker it was for. */
    public void release() {
        if (sender != null && --outstanding == 0) {
            delivery.written(sender);
        }
    }
}
