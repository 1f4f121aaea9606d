package io.forkcast.protocol.kryo;

import com.esotericsoftware.kryo.Kryo;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;

/**
 * THE class-to-id table of the hub protocol. Append-only: a new message takes the next free id; an id is never
 * reused or renumbered, because both sides of a link and supervisors of different builds must agree on it.
 * Registration is required, so a frame naming any other class is rejected. Kryo is not thread-safe: one
 * instance per thread.
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
        return kryo;
    }
}
