package io.forkcast.supervisor.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One broker channel as {@link BrokerDesk} keeps it: its receivers, in order of attaching (the first N are the
 * ones the receiver limit lets in), and its messages waiting or unacknowledged, by id. Confined to the loop thread.
 */
final class BrokerChannel {
    final String key;
    final String name;
    final List<Member> receivers = new ArrayList<>();
    final TreeMap<Long, Message> pending = new TreeMap<>();
    /** Its stored messages are being read back: nothing is given out until they are in {@link #pending}. */
    boolean loading;

    BrokerChannel(String key, String name) {
        this.key = key;
        this.name = name;
    }

    /** One message on a channel: who holds it unacknowledged, and who acknowledged it. */
    static final class Message {
        final long id;
        final String data;
        final int bytes;
        /** Its row in the store, 0 when it is not stored. */
        long rowId;
        /** Receivers it was given to that have not acknowledged it; usually one. */
        final List<Member> holders = new ArrayList<>(1);
        /** Receivers that acknowledged it: never given it again. */
        final List<Member> ackers = new ArrayList<>(1);
        /** Offered to the other nodes of a federation, no answer yet: nobody here is given it meanwhile. */
        boolean offered;

        Message(long id, String data, long rowId) {
            this.id = id;
            this.data = data;
            this.bytes = data.getBytes(StandardCharsets.UTF_8).length;
            this.rowId = rowId;
        }

        boolean givenTo(Member receiver) {
            return holders.contains(receiver) || ackers.contains(receiver);
        }

        /** Nobody has it: it waits for the next receiver. */
        boolean open() {
            return !offered && holders.isEmpty() && ackers.isEmpty();
        }
    }
}
