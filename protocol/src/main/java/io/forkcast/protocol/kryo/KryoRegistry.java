package io.forkcast.protocol.kryo;

import com.esotericsoftware.kryo.Kryo;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;

/**
 * THE class-to-id table of the hub protocol, and the rule by which it grows. Registration is required, so a
 * frame naming any other class is rejected. Kryo is not thread-safe: one instance per thread.
 *
 * <p>The evolution rule, which {@code KryoRegistryTest} checks against a pinned table of ids and shapes:
 *
 * <ol>
 *   <li>An id is never reused or renumbered, and a registered class is never removed: both sides of a link, and
 *       supervisors and workers of different builds (a worker adopted after an upgrade), must agree on it.
 *   <li>A registered record is never reshaped: no component added, removed, renamed or retyped. Kryo writes a
 *       record's components in the order of their names with no tags, so any change makes an older peer misread
 *       every later byte. An enum's constants are never reordered; a new one is appended, at a new level.
 *   <li>A new field means a new message with a new id (as {@code Hello2} beside {@code Hello}), appended to its
 *       block: 32-63 worker facts, 64-95 supervisor orders, 96-127 values both use; from level 4 on, in the
 *       second blocks: 128-191 worker facts, 192-255 supervisor orders, 256-319 values.
 *   <li>Each new message belongs to a {@link io.forkcast.protocol.message.ProtocolLevel}; a side sends it only
 *       to a peer whose agreed level includes it. A worker that greets with the level 1 {@code Hello} or
 *       {@code Resume} is served level 1 messages, by rule, for as long as it is linked.
 *   <li>From level 2 on, a record is written by a hand-written serializer ({@link ExplicitSerializers}),
 *       component by component in declaration order: reading it costs a fresh worker no reflection. Its
 *       layout is as fixed as its shape.
 * </ol>
 */
public final class KryoRegistry {
    /** Ids below this are Kryo's own (primitives and String). */
    public static final int FIRST_ID = 32;

    private KryoRegistry() {}

    public static Kryo newKryo() {
        var kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(WorkerMessage.Hello.class, 32);
        kryo.register(WorkerMessage.ClientSaid.class, 33);
        kryo.register(WorkerMessage.ClientActed.class, 34);
        kryo.register(WorkerMessage.NickRequested.class, 35);
        kryo.register(WorkerMessage.WhoRequested.class, 36);
        kryo.register(WorkerMessage.ClientLeft.class, 37);
        kryo.register(WorkerMessage.Resume.class, 38);
        kryo.register(WorkerMessage.Ready.class, 39);
        kryo.register(SupervisorMessage.Limits.class, 64);
        kryo.register(SupervisorMessage.Welcome.class, 65);
        kryo.register(SupervisorMessage.Say.class, 66);
        kryo.register(SupervisorMessage.Act.class, 67);
        kryo.register(SupervisorMessage.Joined.class, 68);
        kryo.register(SupervisorMessage.Left.class, 69);
        kryo.register(SupervisorMessage.Renamed.class, 70);
        kryo.register(SupervisorMessage.Notice.class, 71);
        kryo.register(SupervisorMessage.NickAccepted.class, 72);
        kryo.register(SupervisorMessage.NickRefused.class, 73);
        kryo.register(SupervisorMessage.WhoEntry.class, 74);
        kryo.register(SupervisorMessage.WhoEntry[].class, 75);
        kryo.register(SupervisorMessage.WhoList.class, 76);
        kryo.register(SupervisorMessage.Disconnect.class, 77);
        kryo.register(SupervisorMessage.Ack.class, 78);
        kryo.register(SupervisorMessage.Assign.class, 79);
        // Level 2: explicit serializers, no reflection (see ExplicitSerializers).
        ExplicitSerializers.register(kryo);
        // Level 8: lines rendered by the supervisor.
        RenderedSerializers.register(kryo);
        return kryo;
    }
}
