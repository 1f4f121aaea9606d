package io.forkcast.supervisor.route;

/**
 * The other nodes of a federation, as the MQTT side sees them: where this node's PUBLISHes go, and which topic
 * filters it wants the others' of (those its sessions subscribe to). Called on the loop thread; what arrives reaches
 * the {@link RemoteMqtt} on the loop thread too. {@link #NONE}: a supervisor alone.
 */
public interface MqttFederation {
    /** A session here subscribes to {@code filter} (its match part; never a {@code $} topic): wanted from now on. */
    void listen(String filter);

    /** No session here subscribes to {@code filter} any more. */
    void unlisten(String filter);

    /** A PUBLISH received here, for the subscribers of the other nodes; never blocks (dropped and counted). */
    void publish(String topic, byte[] payload, int qos, boolean retain);

    /** Where the other nodes' PUBLISHes go, on the loop thread; called once, before the loop runs. */
    void attach(RemoteMqtt desk);

    /** No other nodes. */
    MqttFederation NONE = new MqttFederation() {
        @Override
        public void listen(String filter) {}

        @Override
        public void unlisten(String filter) {}

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {}

        @Override
        public void attach(RemoteMqtt desk) {}
    };
}
