package io.forkcast.worker.hub;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.TaggedLine;

/**
 * Which of the supervisor's orders the client is shown: another client's line once (a line resent after a
 * supervisor restart is dropped by the {@link DuplicateFilter}), news of the client itself unless it repeats what
 * it was shown ({@link Standing}), everything else as it comes. Confined to the worker's loop thread.
 */
final class Inbox {
    private final DuplicateFilter duplicates = new DuplicateFilter();
    /** What the supervisor said of this client; read by the hub session for Resume4. */
    final Standing standing = new Standing();

    /** True when the rendered line {@code line} is to be shown: the first time its sender's number is seen. */
    boolean firstSight(DeliverRendered line) {
        return duplicates.firstSight(line.node(), line.fromId(), line.seq());
    }

    /** Takes in {@code order}; true when the client is to be shown it. */
    boolean take(SupervisorMessage order) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof Say s) {
            return duplicates.firstSight("", s.fromId(), s.seq());
        }
        if (order instanceof Act a) {
            return duplicates.firstSight("", a.fromId(), a.seq());
        }
        if (order instanceof Deliver d) {
            if (!duplicates.firstSight(d.from().node(), d.from().clientId(), d.seq())) {
                return false;
            }
            standing.take(d);
            return true;
        }
        if (order instanceof TaggedLine t) {
            return duplicates.firstSight(t.from().node(), t.from().clientId(), t.seq());
        }
        if (order instanceof Left l) {
            duplicates.forget(l.id());
            return true;
        }
        return standing.take(order);
    }
}
