package io.forkcast.supervisor.route;

import java.util.function.Consumer;

/**
 * The other nodes of a federation, as the broker sees them: where this node's channel messages go, and which
 * channels it wants the others' messages of (those with local receivers). A channel with a receiver limit of 1 is a
 * queue group across the nodes: each message is offered to one node with a receiver, which takes it or says no.
 * Called on the loop thread; what arrives reaches the {@link BrokerDesk} on the loop thread too. {@link #NONE}: a
 * supervisor alone.
 */
public interface BrokerFederation {
    /** The channel {@code key} has local receivers now: the other nodes' messages of it are wanted. */
    void listen(String key);

    /** The channel {@code key} has no local receivers any more. */
    void unlisten(String key);

    /** A message for the receivers of {@code channel} on every other node; never blocks (dropped and counted). */
    void publish(String channel, String data);

    /**
     * A message for one receiver of {@code channel} in the federation: one node with a receiver is offered it.
     * {@code taken} runs later on the loop thread: true when a node took it, false when none did within a short
     * timeout (none has a receiver, or the connection is down).
     */
    void offer(String channel, String data, Consumer<Boolean> taken);

    /** Where the other nodes' messages go, on the loop thread; called once, before the loop runs. */
    void attach(RemoteBroker desk);

    /** No other nodes: nothing is published; an offer is never taken. */
    BrokerFederation NONE = new BrokerFederation() {
        @Override
        public void listen(String key) {}

        @Override
        public void unlisten(String key) {}

        @Override
        public void publish(String channel, String data) {}

        @Override
        public void offer(String channel, String data, Consumer<Boolean> taken) {
            taken.accept(false);
        }

        @Override
        public void attach(RemoteBroker desk) {}
    };
}
