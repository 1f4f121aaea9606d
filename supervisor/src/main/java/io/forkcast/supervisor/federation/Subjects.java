package io.forkcast.supervisor.federation;

/**
 * The NATS subjects of a federation, in one place. A room's events go to {@code forkcast.room.<room>.<kind>}
 * (kind: say, join, leave, rename), one subscription per room with local members ({@code forkcast.room.<room>.*});
 * heartbeats to {@code forkcast.nodes.alive}; a node name is claimed at start by a request to {@code
 * forkcast.node.<node>.claim}. A room or node name's dots (allowed in both, a separator in NATS) become {@code ~},
 * which neither allows, so the mapping is one to one. Stateless.
 */
final class Subjects {
    static final String PREFIX = "forkcast.";
    /** Private lines, as requests: the node that has the recipient answers with its name, the others say nothing. */
    static final String PRIVATE = PREFIX + "private";
    /** The directory's questions ({@code /who}, {@code /rooms}, nicknames, LIST ALL), each with a reply inbox. */
    static final String ASK = PREFIX + "ask";
    /** Every node's heartbeat. */
    static final String ALIVE = PREFIX + "nodes.alive";

    private Subjects() {}

    /** A room or node name as one subject token. */
    static String token(String name) {
        return name.replace('.', '~');
    }

    /** Where the events of kind {@code kind} of the room {@code key} go. */
    static String room(String key, String kind) {
        return PREFIX + "room." + token(key) + "." + kind;
    }

    /** Every event of the room {@code key}. */
    static String roomEvents(String key) {
        return room(key, "*");
    }

    /** Where a node named {@code node} answers the claims of its name. */
    static String claim(String node) {
        return PREFIX + "node." + token(node) + ".claim";
    }
}
