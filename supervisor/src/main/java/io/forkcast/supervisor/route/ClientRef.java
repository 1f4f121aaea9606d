package io.forkcast.supervisor.route;

/**
 * Who a client is, for as long as it is connected: the supervisor node it is on, its id there, its address and its
 * worker's pid, and how its worker speaks (protocol level and client kind). Immutable; the nickname, which changes,
 * is held by the {@link Member}.
 *
 * @param node the name of the supervisor the client is connected to
 * @param clientId the client's id on that supervisor
 * @param peer the client's address as {@code ip:port}
 * @param pid the process id of the client's worker
 * @param level the protocol level agreed with the worker ({@code ProtocolLevel})
 * @param kind the client kind the worker serves ({@code telnet})
 */
public record ClientRef(String node, long clientId, String peer, long pid, int level, String kind) {
    /** The kind of a worker that greets with the old Hello or Resume, which does not name one. */
    public static final String TELNET = "telnet";

    /** True for seed 000's broker clients: programs that always log in, and are in no room. */
    public boolean broker() {
        return io.forkcast.supervisor.front.BrokerDoor.NAME.equals(kind);
    }

    /** True for MQTT clients: in no room, served by the MQTT desk. */
    public boolean mqtt() {
        return io.forkcast.supervisor.front.MqttDoor.NAME.equals(kind);
    }
}
