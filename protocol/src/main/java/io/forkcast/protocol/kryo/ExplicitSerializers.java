package io.forkcast.protocol.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.WorkerMessage.Hello2;
import io.forkcast.protocol.message.WorkerMessage.JoinRequested;
import io.forkcast.protocol.message.WorkerMessage.PeopleRequested;
import io.forkcast.protocol.message.WorkerMessage.PrivateSaid;
import io.forkcast.protocol.message.WorkerMessage.Resume2;
import io.forkcast.protocol.message.WorkerMessage.Resume3;
import io.forkcast.protocol.message.WorkerMessage.RoomsRequested;
import io.forkcast.protocol.message.WorkerMessage.TopicRequested;
import java.util.ArrayList;
import java.util.List;

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
        // Level 3: rooms and private messages.
        kryo.register(JoinRequested.class, new JoinRequestedSerializer(), 42);
        kryo.register(RoomsRequested.class, new RoomsRequestedSerializer(), 43);
        kryo.register(PeopleRequested.class, new PeopleRequestedSerializer(), 44);
        kryo.register(TopicRequested.class, new TopicRequestedSerializer(), 45);
        kryo.register(PrivateSaid.class, new PrivateSaidSerializer(), 46);
        kryo.register(Resume3.class, new Resume3Serializer(), 47);
        kryo.register(Entered.class, new EnteredSerializer(), 83);
        kryo.register(RoomJoined.class, new RoomJoinedSerializer(), 84);
        kryo.register(RoomLeft.class, new RoomLeftSerializer(), 85);
        kryo.register(RoomList.class, new RoomListSerializer(), 86);
        kryo.register(PeopleList.class, new PeopleListSerializer(), 87);
        kryo.register(TopicChanged.class, new TopicChangedSerializer(), 88);
        kryo.register(PrivateSent.class, new PrivateSentSerializer(), 89);
        kryo.register(RoomEntry.class, new RoomEntrySerializer(), 100);
        kryo.register(Present.class, new PresentSerializer(), 101);
        // Level 4: accounts, history and offline messages.
        AccountSerializers.register(kryo);
        // Level 5: seed 000's broker.
        BrokerSerializers.register(kryo);
        // Level 6: WebSocket clients.
        WebSocketSerializers.register(kryo);
        // Level 7: MQTT clients.
        MqttSerializers.register(kryo);
    }

    static void string(Kryo kryo, Output output, String value) {
        kryo.writeObjectOrNull(output, value, String.class);
    }

    static String string(Kryo kryo, Input input) {
        return kryo.readObjectOrNull(input, String.class);
    }

    /**
     * Reads a list's element count, refused when it claims more elements than payload bytes are left (each
     * element takes at least one byte), before anything is allocated for it.
     */
    static int count(Input input) {
        int n = input.readVarInt(true);
        int left = input.limit() - input.position();
        if (n < 0 || n > left) {
            throw new KryoException("list of " + n + " elements claimed with " + left + " payload bytes left");
        }
        return n;
    }

    static void list(Kryo kryo, Output output, List<?> values) {
        output.writeVarInt(values == null ? 0 : values.size(), true);
        if (values != null) {
            for (Object value : values) {
                kryo.writeObject(output, value);
            }
        }
    }

    static <T> List<T> list(Kryo kryo, Input input, Class<T> type) {
        int n = count(input);
        var values = new ArrayList<T>(n);
        for (int i = 0; i < n; i++) {
            values.add(kryo.readObject(input, type));
        }
        return List.copyOf(values);
    }

    /** Base: the records are immutable, so Kryo may share them. */
    abstract static class Immutable<T> extends Serializer<T> {
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

    private static final class JoinRequestedSerializer extends Immutable<JoinRequested> {
        @Override
        public void write(Kryo kryo, Output output, JoinRequested m) {
            output.writeVarLong(m.seq(), false);
            string(kryo, output, m.room());
        }

        @Override
        public JoinRequested read(Kryo kryo, Input input, Class<? extends JoinRequested> type) {
            long seq = input.readVarLong(false);
            return new JoinRequested(seq, string(kryo, input));
        }
    }

    private static final class RoomsRequestedSerializer extends Immutable<RoomsRequested> {
        private static final RoomsRequested ROOMS = new RoomsRequested();

        @Override
        public void write(Kryo kryo, Output output, RoomsRequested m) {}

        @Override
        public RoomsRequested read(Kryo kryo, Input input, Class<? extends RoomsRequested> type) {
            return ROOMS;
        }
    }

    private static final class PeopleRequestedSerializer extends Immutable<PeopleRequested> {
        @Override
        public void write(Kryo kryo, Output output, PeopleRequested m) {
            output.writeBoolean(m.everyone());
        }

        @Override
        public PeopleRequested read(Kryo kryo, Input input, Class<? extends PeopleRequested> type) {
            return new PeopleRequested(input.readBoolean());
        }
    }

    private static final class TopicRequestedSerializer extends Immutable<TopicRequested> {
        @Override
        public void write(Kryo kryo, Output output, TopicRequested m) {
            string(kryo, output, m.topic());
        }

        @Override
        public TopicRequested read(Kryo kryo, Input input, Class<? extends TopicRequested> type) {
            return new TopicRequested(string(kryo, input));
        }
    }

    private static final class PrivateSaidSerializer extends Immutable<PrivateSaid> {
        @Override
        public void write(Kryo kryo, Output output, PrivateSaid m) {
            output.writeVarLong(m.seq(), false);
            string(kryo, output, m.to());
            kryo.writeObjectOrNull(output, m.toClient(), Address.Client.class);
            string(kryo, output, m.text());
        }

        @Override
        public PrivateSaid read(Kryo kryo, Input input, Class<? extends PrivateSaid> type) {
            long seq = input.readVarLong(false);
            String to = string(kryo, input);
            var toClient = kryo.readObjectOrNull(input, Address.Client.class);
            return new PrivateSaid(seq, to, toClient, string(kryo, input));
        }
    }

    private static final class Resume3Serializer extends Immutable<Resume3> {
        @Override
        public void write(Kryo kryo, Output output, Resume3 m) {
            output.writeVarInt(m.level(), true);
            output.writeVarLong(m.pid(), true);
            string(kryo, output, m.peer());
            output.writeVarLong(m.clientId(), false);
            string(kryo, output, m.nick());
            string(kryo, output, m.kind());
            list(kryo, output, m.rooms());
        }

        @Override
        public Resume3 read(Kryo kryo, Input input, Class<? extends Resume3> type) {
            int level = input.readVarInt(true);
            long pid = input.readVarLong(true);
            String peer = string(kryo, input);
            long clientId = input.readVarLong(false);
            String nick = string(kryo, input);
            String kind = string(kryo, input);
            return new Resume3(level, pid, peer, clientId, nick, kind, list(kryo, input, RoomEntry.class));
        }
    }

    private static final class EnteredSerializer extends Immutable<Entered> {
        @Override
        public void write(Kryo kryo, Output output, Entered m) {
            output.writeVarLong(m.seq(), false);
            string(kryo, output, m.room());
            string(kryo, output, m.topic());
        }

        @Override
        public Entered read(Kryo kryo, Input input, Class<? extends Entered> type) {
            long seq = input.readVarLong(false);
            String room = string(kryo, input);
            return new Entered(seq, room, string(kryo, input));
        }
    }

    private static final class RoomJoinedSerializer extends Immutable<RoomJoined> {
        @Override
        public void write(Kryo kryo, Output output, RoomJoined m) {
            kryo.writeObjectOrNull(output, m.who(), Sender.class);
            string(kryo, output, m.room());
        }

        @Override
        public RoomJoined read(Kryo kryo, Input input, Class<? extends RoomJoined> type) {
            Sender who = kryo.readObjectOrNull(input, Sender.class);
            return new RoomJoined(who, string(kryo, input));
        }
    }

    private static final class RoomLeftSerializer extends Immutable<RoomLeft> {
        @Override
        public void write(Kryo kryo, Output output, RoomLeft m) {
            kryo.writeObjectOrNull(output, m.who(), Sender.class);
            string(kryo, output, m.room());
            string(kryo, output, m.to());
        }

        @Override
        public RoomLeft read(Kryo kryo, Input input, Class<? extends RoomLeft> type) {
            Sender who = kryo.readObjectOrNull(input, Sender.class);
            String room = string(kryo, input);
            return new RoomLeft(who, room, string(kryo, input));
        }
    }

    private static final class RoomListSerializer extends Immutable<RoomList> {
        @Override
        public void write(Kryo kryo, Output output, RoomList m) {
            output.writeVarInt(m.total(), true);
            output.writeVarInt(m.offset(), true);
            list(kryo, output, m.rooms());
        }

        @Override
        public RoomList read(Kryo kryo, Input input, Class<? extends RoomList> type) {
            int total = input.readVarInt(true);
            int offset = input.readVarInt(true);
            return new RoomList(total, offset, list(kryo, input, RoomEntry.class));
        }
    }

    private static final class PeopleListSerializer extends Immutable<PeopleList> {
        @Override
        public void write(Kryo kryo, Output output, PeopleList m) {
            string(kryo, output, m.room());
            output.writeVarInt(m.total(), true);
            output.writeVarInt(m.offset(), true);
            list(kryo, output, m.people());
        }

        @Override
        public PeopleList read(Kryo kryo, Input input, Class<? extends PeopleList> type) {
            String room = string(kryo, input);
            int total = input.readVarInt(true);
            int offset = input.readVarInt(true);
            return new PeopleList(room, total, offset, list(kryo, input, Present.class));
        }
    }

    private static final class TopicChangedSerializer extends Immutable<TopicChanged> {
        @Override
        public void write(Kryo kryo, Output output, TopicChanged m) {
            kryo.writeObjectOrNull(output, m.by(), Sender.class);
            string(kryo, output, m.room());
            string(kryo, output, m.topic());
        }

        @Override
        public TopicChanged read(Kryo kryo, Input input, Class<? extends TopicChanged> type) {
            Sender by = kryo.readObjectOrNull(input, Sender.class);
            String room = string(kryo, input);
            return new TopicChanged(by, room, string(kryo, input));
        }
    }

    private static final class PrivateSentSerializer extends Immutable<PrivateSent> {
        @Override
        public void write(Kryo kryo, Output output, PrivateSent m) {
            output.writeVarLong(m.seq(), false);
            string(kryo, output, m.to());
            string(kryo, output, m.text());
        }

        @Override
        public PrivateSent read(Kryo kryo, Input input, Class<? extends PrivateSent> type) {
            long seq = input.readVarLong(false);
            String to = string(kryo, input);
            return new PrivateSent(seq, to, string(kryo, input));
        }
    }

    private static final class RoomEntrySerializer extends Immutable<RoomEntry> {
        @Override
        public void write(Kryo kryo, Output output, RoomEntry m) {
            string(kryo, output, m.name());
            output.writeVarInt(m.members(), true);
            string(kryo, output, m.topic());
        }

        @Override
        public RoomEntry read(Kryo kryo, Input input, Class<? extends RoomEntry> type) {
            String name = string(kryo, input);
            int members = input.readVarInt(true);
            return new RoomEntry(name, members, string(kryo, input));
        }
    }

    private static final class PresentSerializer extends Immutable<Present> {
        @Override
        public void write(Kryo kryo, Output output, Present m) {
            kryo.writeObjectOrNull(output, m.who(), Sender.class);
            string(kryo, output, m.peer());
            string(kryo, output, m.room());
        }

        @Override
        public Present read(Kryo kryo, Input input, Class<? extends Present> type) {
            Sender who = kryo.readObjectOrNull(input, Sender.class);
            String peer = string(kryo, input);
            return new Present(who, peer, string(kryo, input));
        }
    }
}
