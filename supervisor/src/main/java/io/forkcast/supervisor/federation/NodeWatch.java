package io.forkcast.supervisor.federation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each other node was last heard from (a heartbeat or any message), and which went silent for longer than
 * the node timeout. Confined to the loop thread.
 */
final class NodeWatch {
    /** Each node heard from and not yet timed out, to when it was last heard ({@link System#nanoTime}). */
    private final Map<String, Long> lastHeard = new HashMap<>();

    private final long timeoutNanos;

    NodeWatch(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** {@code node} was heard from at {@code nowNanos}; true when it was not known (or had timed out) before. */
    boolean heard(String node, long nowNanos) {
        return lastHeard.put(node, nowNanos) == null;
    }

    /** The nodes silent for longer than the timeout at {@code nowNanos}, forgotten now. */
    List<String> expired(long nowNanos) {
        var gone = new ArrayList<String>();
        for (var it = lastHeard.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (nowNanos - entry.getValue() > timeoutNanos) {
                gone.add(entry.getKey());
                it.remove();
            }
        }
        return gone;
    }

    /** The nodes heard from and not timed out: a copy. */
    List<String> names() {
        return List.copyOf(lastHeard.keySet());
    }

    /** How many nodes are heard from. */
    int size() {
        return lastHeard.size();
    }
}
