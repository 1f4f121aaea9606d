package io.forkcast.worker.hub;

import java.util.HashMap;
import java.util.Map;

/**
 * Drops a line this worker has already shown: the last line number seen from each sender, keyed by the sender's
 * node and client id ({@code Say} and {@code Act} of a level 1 supervisor carry no node and count as node
 * {@code ""}). A line resent after a supervisor restart, and replayed by the new one, is shown once.
 * Confined to the worker's loop thread.
 */
final class DuplicateFilter {
    /** Node, then client id, to the highest line number shown from that sender. */
    private final Map<String, Map<Long, Long>> lastSeq = new HashMap<>();

    /** True the first time {@code (node, clientId, seq)} is seen, and for any seq above the sender's last one. */
    boolean firstSight(String node, long clientId, long seq) {
        var ofNode = lastSeq.get(node);
        if (ofNode == null) {
            ofNode = new HashMap<>();
            lastSeq.put(node, ofNode);
        }
        Long last = ofNode.get(clientId);
        if (last != null && seq <= last) {
            return false;
        }
        ofNode.put(clientId, seq);
        return true;
    }

    /**
     * Forgets a client that left ({@code Left} names no node: it is one of this supervisor's clients, under
     * whichever node its lines came), so that a reused id starting again at 1 is shown.
     */
    void forget(long clientId) {
        for (var ofNode : lastSeq.values()) {
            ofNode.remove(clientId);
        }
    }
}
