package io.forkcast.supervisor.route;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The broker's side of a federation: which channels this node listens to (those with local receivers), what it
 * tells the other nodes, and what it takes from them. A channel with a receiver limit other than 1 fans out: each
 * message goes to every node listening, whose receivers get it under that node's own rules. A channel with a
 * limit of 1 is one queue group across the nodes: a message no receiver here can take is offered to one node that
 * has a receiver (none here is given it meanwhile), and forgotten here once that node took it. What another node
 * sends is given out here like a line people said: in memory, to the receivers here, never stored. With {@link
 * BrokerFederation#NONE} it does nothing. Confined to the loop thread.
 */
public final class RemoteBroker {
    private final BrokerDesk desk;
    private final BrokerFederation federation;
    /** No federation: every method returns at once. */
    private final boolean off;
    /** The channels (by key) listened to: those with at least one local receiver. */
    private final Set<String> listening = new HashSet<>();

    RemoteBroker(BrokerDesk desk, BrokerFederation federation) {
        this.desk = desk;
        this.federation = federation;
        this.off = federation.equals(BrokerFederation.NONE);
    }

    boolean on() {
        return !off;
    }

    /** A receiver attached to {@code channel}: the first one has this node listen to it. */
    void receiverCame(BrokerChannel channel) {
        if (!off && listening.add(channel.key)) {
            federation.listen(channel.key);
        }
    }

    /**
     * A receiver left {@code channel} (or its stored messages were read back): with none left here, the node stops
     * listening, and a limit-1 channel's messages nobody holds are offered to the other nodes.
     */
    void receiverWent(BrokerChannel channel) {
        if (off || !channel.receivers.isEmpty()) {
            return;
        }
        if (listening.remove(channel.key)) {
            federation.unlisten(channel.key);
        }
        if (desk.limit(channel.key) == 1 && !channel.loading) {
            for (var m : List.copyOf(channel.pending.values())) {
                if (m.open()) {
                    offer(channel, m);
                }
            }
        }
    }

    /**
     * A message of this node about to be given out to {@code receivers} local receivers: a fan-out channel's goes to
     * the other nodes too (false: given out here as well); a limit-1 channel's with no receiver here is offered to
     * them instead (true: the answer tells its sender, or it waits in {@code pending}, stored, while offered).
     */
    boolean relayed(
            BrokerChannel channel,
            BrokerChannel.Message message,
            Member from,
            long seq,
            boolean isStored,
            int receivers) {
        if (off) {
            return false;
        }
        if (desk.limit(channel.key) != 1) {
            federation.publish(channel.key, message.data);
            return false;
        }
        if (receivers > 0) {
            return false; // a receiver here is the one: as NATS prefers a queue subscriber of the publisher's server
        }
        if (isStored) {
            // The channel may have been forgotten while the store wrote (it was idle): it is kept again, so that a
            // receiver coming meanwhile does not read the offered message back from the store as well.
            var kept = desk.channels.putIfAbsent(channel.key, channel);
            var here = kept == null ? channel : kept;
            var m = here.pending.putIfAbsent(message.id, message);
            if (m == null || m.open()) {
                offer(here, m == null ? message : m);
            }
            desk.tell(from, seq, message.id, here, 0, true);
            return true;
        }
        federation.offer(channel.key, message.data, taken -> {
            if (!taken) {
                desk.dropped++;
            }
            desk.tell(from, seq, message.id, channel, taken ? 1 : 0, false);
        });
        desk.forgetIfIdle(channel);
        return true;
    }

    /** A line people said in a room with no receiver here: to the other nodes' receivers of the channel. */
    void elsewhere(String key, String data) {
        if (desk.limit(key) != 1) {
            federation.publish(key, data);
        } else {
            federation.offer(key, data, taken -> {
                if (!taken) {
                    desk.dropped++;
                }
            });
        }
    }

    /** Offers {@code m}, held by nobody, to the other nodes; forgotten here (and in the store) once one took it. */
    private void offer(BrokerChannel channel, BrokerChannel.Message m) {
        m.offered = true;
        federation.offer(channel.key, m.data, taken -> {
            m.offered = false;
            if (taken && channel.pending.remove(m.id, m)) {
                if (m.rowId > 0) {
                    desk.queue.forget(List.of(m.rowId));
                }
                desk.forgetIfIdle(channel);
            } else {
                desk.pump(channel); // a receiver may have come here meanwhile
            }
        });
    }

    /** Another node's message on the channel {@code key}, for every receiver here; false when none is here. */
    public boolean arrived(String key, String data) {
        var channel = desk.channels.get(key);
        if (channel == null || channel.receivers.isEmpty()) {
            return false;
        }
        return give(channel, data);
    }

    /** Another node's message on the limit-1 channel {@code key}: true when a receiver here will have it. */
    public boolean take(String key, String data) {
        var channel = desk.channels.get(key);
        if (channel == null || desk.activeCount(channel) == 0) {
            return false;
        }
        return give(channel, data);
    }

    private boolean give(BrokerChannel channel, String data) {
        if (channel.pending.size() >= desk.pendingMax()) {
            desk.dropped++;
            return false;
        }
        var m = new BrokerChannel.Message(desk.nextId++, data, 0);
        channel.pending.put(m.id, m);
        desk.pump(channel);
        return true;
    }
}
