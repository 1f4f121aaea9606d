package io.forkcast.protocol.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.WorkerMessage.Hello2;
import io.forkcast.protocol.message.WorkerMessage.Resume2;

/**
 * Hand-written serializers for the records of level 2 and later: each writes its components one by one, in the
 * order of the record's declaration, with no reflection. Kryo's own record serializer reads components through
 * reflection, and in a fresh worker JVM every new record shape spins method-handle classes that the AOT cache
 * does not keep (measured: the level 2 messages through Kryo's serializer cost each worker about 6 MiB of
 * private memory). Strings and nested records go through {@link Kryo#readObjectOrNull}, so the decoder's length
 * guards still apply. Like every serializer, confined to the thread of its Kryo; no lambdas, which would cost a
 * class each at first use.
 */
final class ExplicitSerializers {
    private ExplicitSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(Hello2.class, new Hello2Serializer(), 40);
        kryo.register(Resume2.class, new Resume2Serializer(), 41);
        kryo.register(Welcome2.class, new Welcome2Serializer(), 80);
        kryo.register(Deliver.class, new DeliverSerializer(), 81);
        kryo.register(Style.class, 82);
        kryo.register(Sender.class, new SenderSerializer(), 96);
        kryo.register(Address.Everyone.class, new EveryoneSerializer(), 97);
        kryo.register(Address.Room.class, new RoomSerializer(), 98);
        kryo.register(Address.Client.class, new ClientSerializer(), 99);
    }

    private static void string(Kryo kryo, Output output, String value) {
        kryo.writeObjectOrNull(output, value, String.class);
    }

    private static String string(Kryo kryo, Input input) {
        return kryo.readObjectOrNull(input, String.class);
    }

    /** Base: the records are immutable, so Kryo may share them. */
    private abstract static class Immutable<T> extends Serializer<T> {
        Immutable() {
            setImmutable(true);
        }
    }

    private static final class Hello2Serializer extends Immutable<Hello2> {
        @Override
        public void write(Kryo kryo, Output output, Hello2 m) {
            output.writeVarInt(m.level(), true);
            output.writeVarLong(m.pid(), true);
            string(kryo, output, m.peer());
            string(kryo, output, m.kind());
        }

        @Override
        public Hello2 read(Kryo kryo, Input input, Class<? extends Hello2> type) {
            return new Hello2(
                    input.readVarInt(true), input.readVarLong(true), string(kryo, input), string(kryo, input));
        }
    }

    private static final class Resume2Serializer extends Immutable<Resume2> {
        @Override
        public void write(Kryo kryo, Output output, Resume2 m) {
            output.writeVarInt(m.level(), true);
            output.writeVarLong(m.pid(), true);
            string(kryo, output, m.peer());
            output.writeVarLong(m.clientId(), false);
            string(kryo, output, m.nick());
            string(kryo, output, m.kind());
        }

        @Override
        public Resume2 read(Kryo kryo, Input input, Class<? extends Resume2> type) {
            int level = input.readVarInt(true);
            long pid = input.readVarLong(true);
            String peer = string(kryo, input);
            long clientId = input.readVarLong(false);
            String nick = string(kryo, input);
            return new Resume2(level, pid, peer, clientId, nick, string(kryo, input));
        }
    }

    private static final class Welcome2Serializer extends Immutable<Welcome2> {
        @Override
        public void write(Kryo kryo, Output output, Welcome2 m) {
            output.writeVarInt(m.level(), true);
            output.writeVarLong(m.clientId(), false);
            string(kryo, output, m.node());
            kryo.writeObjectOrNull(output, m.limits(), Limits.class);
        }

        @Override
        public Welcome2 read(Kryo kryo, Input input, Class<? extends Welcome2> type) {
            int level = input.readVarInt(true);
            long clientId = input.readVarLong(false);
            String node = string(kryo, input);
            return new Welcome2(level, clientId, node, kryo.readObjectOrNull(input, Limits.class));
        }
    }

    private static final class DeliverSerializer extends Immutable<Deliver> {
        @Override
        public void write(Kryo kryo, Output output, Deliver m) {
            kryo.writeClassAndObject(output, m.to());
            kryo.writeObjectOrNull(output, m.from(), Sender.class);
            output.writeVarLong(m.seq(), false);
            kryo.writeObjectOrNull(output, m.style(), Style.class);
            string(kryo, output, m.text());
        }

        @Override
        public Deliver read(Kryo kryo, Input input, Class<? extends Deliver> type) {
            Object to = kryo.readClassAndObject(input);
            Sender from = kryo.readObjectOrNull(input, Sender.class);
            long seq = input.readVarLong(false);
            Style style = kryo.readObjectOrNull(input, Style.class);
            String text = string(kryo, input);
            if (to != null && !(to instanceof Address)) {
                throw new com.esotericsoftware.kryo.KryoException(
                        "Deliver.to is a " + to.getClass().getSimpleName());
            }
            return new Deliver((Address) to, from, seq, style, text);
        }
    }

    private static final class SenderSerializer extends Immutable<Sender> {
        @Override
        public void write(Kryo kryo, Output output, Sender m) {
            string(kryo, output, m.node());
            output.writeVarLong(m.clientId(), false);
            string(kryo, output, m.name());
            output.writeVarLong(m.pid(), false);
        }

        @Override
        public Sender read(Kryo kryo, Input input, Class<? extends Sender> type) {
            String node = string(kryo, input);
            long clientId = input.readVarLong(false);
            String name = string(kryo, input);
            return new Sender(node, clientId, name, input.readVarLong(false));
        }
    }

    private static final class EveryoneSerializer extends Immutable<Address.Everyone> {
        private static final Address.Everyone EVERYONE = new Address.Everyone();

        @Override
        public void write(Kryo kryo, Output output, Address.Everyone m) {}

        @Override
        public Address.Everyone read(Kryo kryo, Input input, Class<? extends Address.Everyone> type) {
            return EVERYONE;
        }
    }

    private static final class RoomSerializer extends Immutable<Address.Room> {
        @Override
        public void write(Kryo kryo, Output output, Address.Room m) {
            string(kryo, output, m.name());
        }

        @Override
        public Address.Room read(Kryo kryo, Input input, Class<? extends Address.Room> type) {
            return new Address.Room(string(kryo, input));
        }
    }

    private static final class ClientSerializer extends Immutable<Address.Client> {
        @Override
        public void write(Kryo kryo, Output output, Address.Client m) {
            string(kryo, output, m.node());
            output.writeVarLong(m.clientId(), false);
        }

        @Override
        public Address.Client read(Kryo kryo, Input input, Class<? extends Address.Client> type) {
            String node = string(kryo, input);
            return new Address.Client(node, input.readVarLong(false));
        }
    }
}
