package io.forkcast.supervisor.admin;

import io.forkcast.supervisor.meter.History;
import io.forkcast.supervisor.meter.ProcessUsage;
import io.forkcast.supervisor.route.Ask;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the admin commands may see and do in the relay: immutable snapshots out, a few orders in. Implemented by
 * the relay and called on the loop thread only.
 */
public interface AdminOps {

    /**
     * One connected client as the admin socket shows it.
     *
     * @param nick the client's nickname, or {@code null} until it takes one
     * @param linesIn lines the client said (chat lines and {@code /me})
     * @param linesOut frames queued for the client's worker
     * @param queuedBytes bytes waiting in the supervisor for the client's worker
     * @param room the room the client is in, or {@code null} while it has yet to log in
     * @param user the user it logged in as, or {@code null} for a guest
     * @param kind the client kind its worker serves ({@code telnet})
     * @param usage what its worker cost when last sampled, or {@code null} before its first sample
     */
    record ClientSnapshot(
            long id,
            String peer,
            long pid,
            String nick,
            long ageSeconds,
            long idleSeconds,
            long linesIn,
            long linesOut,
            long queuedBytes,
            String room,
            String user,
            String kind,
            ProcessUsage usage,
            String brokerRole,
            String brokerChannel,
            String mqttClientId,
            int mqttSubscriptions) {

        /** A client that is not an MQTT one. */
        public ClientSnapshot(
                long id,
                String peer,
                long pid,
                String nick,
                long ageSeconds,
                long idleSeconds,
                long linesIn,
                long linesOut,
                long queuedBytes,
                String room,
                String user,
                String kind,
                ProcessUsage usage,
                String brokerRole,
                String brokerChannel) {
            this(
                    id,
                    peer,
                    pid,
                    nick,
                    ageSeconds,
                    idleSeconds,
                    linesIn,
                    linesOut,
                    queuedBytes,
                    room,
                    user,
                    kind,
                    usage,
                    brokerRole,
                    brokerChannel,
                    null,
                    0);
        }

        /** A client without a broker role. */
        public ClientSnapshot(
                long id,
                String peer,
                long pid,
                String nick,
                long ageSeconds,
                long idleSeconds,
                long linesIn,
                long linesOut,
                long queuedBytes,
                String room,
                String user,
                String kind,
                ProcessUsage usage) {
            this(
                    id,
                    peer,
                    pid,
                    nick,
                    ageSeconds,
                    idleSeconds,
                    linesIn,
                    linesOut,
                    queuedBytes,
                    room,
                    user,
                    kind,
                    usage,
                    null,
                    null);
        }

        /** The same client with its worker's usage. */
        public ClientSnapshot withUsage(ProcessUsage sampled) {
            return new ClientSnapshot(
                    id,
                    peer,
                    pid,
                    nick,
                    ageSeconds,
                    idleSeconds,
                    linesIn,
                    linesOut,
                    queuedBytes,
                    room,
                    user,
                    kind,
                    sampled,
                    brokerRole,
                    brokerChannel,
                    mqttClientId,
                    mqttSubscriptions);
        }
    }

    /**
     * One room as the admin socket shows it.
     *
     * @param topic its topic, or null for none
     */
    record RoomSnapshot(String name, int members, String topic) {}

    /** Every joined client, in order of arrival. */
    List<ClientSnapshot> clientList();

    /** This node's name when it is one of a federation (each LIST line ends with node= then), or null. */
    default String federationNode() {
        return null;
    }

    /** Where the other nodes of a federation are answered LIST ALL from; called once, by the admin socket. */
    default void shareClients(Supplier<List<String>> lines) {}

    /**
     * Asks the other nodes of a federation for their LIST lines: {@code then} runs later on the loop thread with
     * each node's and the nodes that did not answer in time; false (nothing done) for a supervisor alone.
     */
    default boolean clientsElsewhere(Consumer<Ask.Gathered> then) {
        return false;
    }

    /** Every room, in order of creation. */
    List<RoomSnapshot> roomList();

    /**
     * Shows {@code text} to every member of the room {@code room} as {@code *** admin: text}; returns how many it
     * was sent to, or -1 if there is no such room.
     */
    int roomNotice(String room, String text);

    /** The supervisor's counters, {@code snake_case} name to value, in a stable order. */
    SequencedMap<String, Long> counters();

    /**
     * Writes every metric family of the supervisor (the admin socket's own are added by the commands): the one
     * place that lists them is the loop's {@code MetricFamilies}.
     */
    void metrics(MetricsWriter out);

    /** The admin page's charts: the last ten minutes, one point every two seconds, oldest first. */
    List<History.Point> history();

    /** Shows {@code text} to one client as {@code *** admin: text}; false if there is no such client. */
    boolean notice(long clientId, String text);

    /** Shows {@code text} to every client as {@code *** admin: text}; returns how many it was sent to. */
    int broadcast(String text);

    /** Tells one client {@code reason} and disconnects it; false if there is no such client. */
    boolean kick(long clientId, String reason);
}
