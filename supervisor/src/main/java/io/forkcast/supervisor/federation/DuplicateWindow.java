package io.forkcast.supervisor.federation;

import java.util.HashMap;
import java.util.Map;

/**
 * Drops a federation message seen before: per origin node, the highest number seen of its current incarnation and
 * a 64-message window below it (the anti-replay window of IPsec, RFC 4303 section 3.4.3). A message older than the
 * window counts as a duplicate too; a new incarnation of a node (it restarted) starts afresh. Confined to the loop
 * thread.
 */
final class DuplicateWindow {
    static final int WIDTH = 64;

    private static final class Origin {
        long incarnation;
        /** The highest number seen; 0 before the first. */
        long highest;
        /** Bit i set: highest - i was seen (bit 0: highest itself). */
        long seen;
    }

    private final Map<String, Origin> origins = new HashMap<>();

    /** True the first time ({@code node}, {@code incarnation}, {@code n}) is offered, false after. */
    boolean firstSight(String node, long incarnation, long n) {
        var origin = origins.computeIfAbsent(node, k -> new Origin());
        if (origin.incarnation != incarnation) {
            if (incarnation < origin.incarnation) {
                return false; // a message of a run that has ended, arriving late
            }
            origin.incarnation = incarnation;
            origin.highest = 0;
            origin.seen = 0;
        }
        if (n > origin.highest) {
            long shift = n - origin.highest;
            origin.seen = shift >= WIDTH ? 1 : (origin.seen << shift) | 1;
            origin.highest = n;
            return true;
        }
        long behind = origin.highest - n;
        if (behind >= WIDTH) {
            return false;
        }
        long bit = 1L << behind;
        if ((origin.seen & bit) != 0) {
            return false;
        }
        origin.seen |= bit;
        return true;
    }

    /** Forgets {@code node}, whose people were shown as left. */
    void forget(String node) {
        origins.remove(node);
    }
}
