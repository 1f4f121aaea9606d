package io.forkcast.supervisor.federation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts each node's events of a room back in order, once each: an event carries r, its number in its room for
 * its node's incarnation (1, 2, 3, ...), and arrives by core NATS, by the stream, or both, and after a fault
 * perhaps out of order (a line lost with a dead server is sent again after later ones got through). Per origin
 * and room: the next r expected is given out at once with any held ones after it; a later one is held until the
 * gap fills; a gap not filled within {@code holdNanos} (or past {@link #MAX_HELD} held) is given up, and an event
 * of it that still comes is given out late rather than lost. The first event seen of an origin in a room sets
 * where it starts. Confined to the loop thread.
 */
final class LineOrder<T> {
    /** Events held per origin and room while a gap is open; past it the gap is given up. */
    static final int MAX_HELD = 10_000;
    /** Numbers of given-up gaps remembered per origin and room, so that a late one is given out, not dropped. */
    static final int MAX_SKIPPED = 4096;

    private final class Origin {
        long incarnation;
        /** The r expected next. */
        long next;
        /** Events past a gap, by r. */
        final TreeMap<Long, T> held = new TreeMap<>();
        /** When the oldest open gap was found (System.nanoTime), while held is not empty. */
        long heldSinceNanos;
        /** The r of given-up gaps not come yet, oldest first. */
        final LinkedHashSet<Long> skipped = new LinkedHashSet<>();
    }

    private final long holdNanos;
    /** By node, then by room key. */
    private final Map<String, Map<String, Origin>> origins = new HashMap<>();

    private long duplicates;
    private long gaps;
    private long late;
    private int held;

    LineOrder(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /** {@code event}, number {@code r} of ({@code node}, {@code incarnation}) in {@code room}: what is due now. */
    List<T> offer(String node, String room, long incarnation, long r, T event, long nowNanos) {
        var out = new ArrayList<T>(1);
        var rooms = origins.computeIfAbsent(node, k -> new HashMap<>());
        var origin = rooms.get(room);
        if (origin == null || incarnation > origin.incarnation) {
            if (origin != null) {
                drainAll(origin, out); // what the ended run left held, in order, before the new one's
            }
            origin = new Origin();
            origin.incarnation = incarnation;
            origin.next = r;
            rooms.put(room, origin);
        } else if (incarnation < origin.incarnation) {
            duplicates++; // a run that has ended, arriving late
            return out;
        }
        if (r < origin.next) {
            if (origin.skipped.remove(r)) {
                late++;
                out.add(event);
            } else {
                duplicates++;
            }
            return out;
        }
        if (r > origin.next) {
            if (origin.held.containsKey(r)) {
                duplicates++;
                return out;
            }
            if (origin.held.isEmpty()) {
                origin.heldSinceNanos = nowNanos;
            }
            origin.held.put(r, event);
            held++;
            if (origin.held.size() > MAX_HELD) {
                giveUp(origin, out, nowNanos);
            }
            return out;
        }
        out.add(event);
        origin.next++;
        drain(origin, out, nowNanos);
        return out;
    }

    /** The gaps open for longer than the hold: given up, and what was held after them given out. */
    List<T> expire(long nowNanos) {
        var out = new ArrayList<T>();
        if (held == 0) {
            return out;
        }
        for (var rooms : origins.values()) {
            for (var origin : rooms.values()) {
                if (!origin.held.isEmpty() && nowNanos - origin.heldSinceNanos >= holdNanos) {
                    giveUp(origin, out, nowNanos);
                }
            }
        }
        return out;
    }

    private void giveUp(Origin origin, List<T> out, long nowNanos) {
        long first = origin.held.firstKey();
        gaps++;
        for (long r = Math.max(origin.next, first - MAX_SKIPPED); r < first; r++) {
            origin.skipped.add(r);
        }
        while (origin.skipped.size() > MAX_SKIPPED) {
            origin.skipped.remove(origin.skipped.iterator().next());
        }
        origin.next = first;
        drain(origin, out, nowNanos);
    }

    private void drain(Origin origin, List<T> out, long nowNanos) {
        while (!origin.held.isEmpty() && origin.held.firstKey() == origin.next) {
            out.add(origin.held.pollFirstEntry().getValue());
            held--;
            origin.next++;
        }
        if (!origin.held.isEmpty()) {
            origin.heldSinceNanos = nowNanos; // a further gap: its own hold starts now
        }
    }

    private void drainAll(Origin origin, List<T> out) {
        out.addAll(origin.held.values());
        held -= origin.held.size();
        origin.held.clear();
    }

    /** The room is not listened to any more: where each origin was in it is forgotten (held ones dropped). */
    void forgetRoom(String room) {
        for (var rooms : origins.values()) {
            var gone = rooms.remove(room);
            if (gone != null) {
                held -= gone.held.size();
            }
        }
    }

    /** The node went silent: forgotten in every room. */
    void forgetNode(String node) {
        var gone = origins.remove(node);
        if (gone != null) {
            for (var origin : gone.values()) {
                held -= origin.held.size();
            }
        }
    }

    /** Events dropped as given out before. */
    long duplicates() {
        return duplicates;
    }

    /** Gaps given up after the hold. */
    long gaps() {
        return gaps;
    }

    /** Events given out after their gap was given up (out of order, not lost). */
    long late() {
        return late;
    }

    /** Events held now, waiting for a gap to fill. */
    int held() {
        return held;
    }
}
