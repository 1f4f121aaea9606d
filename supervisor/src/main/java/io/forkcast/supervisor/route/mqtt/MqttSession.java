package io.forkcast.supervisor.route.mqtt;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttWill;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One MQTT session by client id, which outlives its connection while its session expiry says so: subscriptions,
 * messages in flight and queued, the client's QoS 2 packet ids awaiting PUBREL, its will. Changed only by the MQTT
 * desk, on the loop thread.
 *
 * <pre>
 *  connected --(left, expiry 0)--------------------> ended
 *  connected --(left, expiry > 0)--> offline --(expiry passes)--> ended
 *  offline / connected --(CONNECT with its id)--> connected (a connected one is taken over: kicked)
 * </pre>
 */
public final class MqttSession {
    /** Session expiry meaning never. */
    public static final long NEVER = 4294967295L;

    public final String clientId;
    /** The connection's member (a {@code route.Member}), or null while offline. */
    public Object member;
    /** The user it logged in as, or null (anonymous). */
    public String user;
    /** The protocol level: 4 or 5. */
    public int version;
    /** Seconds it outlives its connection (0, up to {@link #NEVER}). */
    public long sessionExpiry;
    /** When an offline session ends ({@link System#nanoTime}); meaningful only while offline and not NEVER. */
    public long endsAtNanos;
    /** How many QoS 1 and 2 messages may be in flight at once: min(client's receive maximum, server cap). */
    public int window;
    /** The client's maximum packet size, 0 for none (the worker checks it). */
    public int maximumPacketSize;
    /** The will, or null; cleared by a normal DISCONNECT. */
    public MqttWill will;
    /** A will waiting for its delay, or null, published at {@link #willAtNanos} unless the session is taken up. */
    public MqttWill pendingWill;

    public long willAtNanos;
    /** Subscriptions by filter as written (shared ones with their {@code $share/group/}). */
    public final Map<String, MqttFilter> subscriptions = new LinkedHashMap<>();
    /** Messages in flight by packet id, in the order sent. */
    public final Map<Integer, Outgoing> inflight = new LinkedHashMap<>();
    /** QoS 1 and 2 messages waiting for room in the window (or for the client to come back), oldest first. */
    public final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    /** The client's QoS 2 packet ids received and not yet released (PUBREL). */
    public final Set<Integer> awaitingRelease = new HashSet<>();
    /** The next packet id to try, 1 to 65535. */
    public int nextPacketId = 1;
    /** Written to the store (it outlives its connection and there is a store): changes to it are written too. */
    public boolean kept;
    /** The connection ended with DISCONNECT (no will), set by the desk just before its member leaves. */
    public boolean disconnectedNormally;

    public MqttSession(String clientId) {
        this.clientId = clientId;
    }

    /** A free packet id (none in flight), or 0 when all 65535 are. */
    public int takePacketId() {
        if (inflight.size() >= 65535) {
            return 0;
        }
        while (true) {
            int id = nextPacketId;
            nextPacketId = id >= 65535 ? 1 : id + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
    }
}
