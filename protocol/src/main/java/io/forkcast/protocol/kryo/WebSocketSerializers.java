package io.forkcast.protocol.kryo;

import static io.forkcast.protocol.kryo.ExplicitSerializers.count;
import static io.forkcast.protocol.kryo.ExplicitSerializers.string;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.ExplicitSerializers.Immutable;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.AdminMessage;
import io.forkcast.protocol.message.SupervisorMessage.Assign2;
import io.forkcast.protocol.message.SupervisorMessage.OpenAnswered;
import io.forkcast.protocol.message.SupervisorMessage.TaggedLine;
import io.forkcast.protocol.message.SupervisorMessage.TaggedSent;
import io.forkcast.protocol.message.WorkerMessage.OpenRequested;
import io.forkcast.protocol.message.WorkerMessage.TaggedSaid;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hand-written serializers of level 6 (WebSocket clients: seed 001's tags and applications, seed 003's
 * operator messages; spares handed a client of any kind), written like {@link BrokerSerializers}'s. Ids continue the second blocks: 134 on for worker
 * facts, 202 on for supervisor orders.
 */
final class WebSocketSerializers {
    private WebSocketSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(OpenRequested.class, new OpenRequestedSerializer(), 134);
        kryo.register(TaggedSaid.class, new TaggedSaidSerializer(), 135);
        kryo.register(OpenAnswered.class, new OpenAnsweredSerializer(), 202);
        kryo.register(TaggedLine.class, new TaggedLineSerializer(), 203);
        kryo.register(TaggedSent.class, new TaggedSentSerializer(), 204);
        kryo.register(AdminMessage.class, new AdminMessageSerializer(), 205);
        kryo.register(Assign2.class, new Assign2Serializer(), 206);
    }

    /** A map of strings: a count, then each key and value, in the map's order. */
    static void tags(Kryo kryo, Output output, Map<String, String> tags) {
        output.writeVarInt(tags == null ? 0 : tags.size(), true);
        if (tags != null) {
            for (var e : tags.entrySet()) {
                string(kryo, output, e.getKey());
                string(kryo, output, e.getValue());
            }
        }
    }

    static Map<String, String> tags(Kryo kryo, Input input) {
        int n = count(input);
        var tags = new LinkedHashMap<String, String>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String key = string(kryo, input);
            tags.put(key, string(kryo, input));
        }
        return Collections.unmodifiableMap(tags);
    }

    private static final class OpenRequestedSerializer extends Immutable<OpenRequested> {
        @Override
        public void write(Kryo kryo, Output output, OpenRequested m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.key());
            string(kryo, output, m.secret());
            tags(kryo, output, m.tags());
        }

        @Override
        public OpenRequested read(Kryo kryo, Input input, Class<? extends OpenRequested> type) {
            long seq = input.readVarLong(true);
            String key = string(kryo, input);
            String secret = string(kryo, input);
            return new OpenRequested(seq, key, secret, tags(kryo, input));
        }
    }

    private static final class TaggedSaidSerializer extends Immutable<TaggedSaid> {
        @Override
        public void write(Kryo kryo, Output output, TaggedSaid m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.message());
            tags(kryo, output, m.tags());
            string(kryo, output, m.key());
            string(kryo, output, m.secret());
        }

        @Override
        public TaggedSaid read(Kryo kryo, Input input, Class<? extends TaggedSaid> type) {
            long seq = input.readVarLong(true);
            String message = string(kryo, input);
            var tags = tags(kryo, input);
            String key = string(kryo, input);
            return new TaggedSaid(seq, message, tags, key, string(kryo, input));
        }
    }

    private static final class OpenAnsweredSerializer extends Immutable<OpenAnswered> {
        @Override
        public void write(Kryo kryo, Output output, OpenAnswered m) {
            output.writeVarLong(m.seq(), true);
            output.writeBoolean(m.accepted());
            string(kryo, output, m.reason());
        }

        @Override
        public OpenAnswered read(Kryo kryo, Input input, Class<? extends OpenAnswered> type) {
            long seq = input.readVarLong(true);
            boolean accepted = input.readBoolean();
            return new OpenAnswered(seq, accepted, string(kryo, input));
        }
    }

    private static final class TaggedLineSerializer extends Immutable<TaggedLine> {
        @Override
        public void write(Kryo kryo, Output output, TaggedLine m) {
            kryo.writeObjectOrNull(output, m.from(), Sender.class);
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.message());
            tags(kryo, output, m.tags());
        }

        @Override
        public TaggedLine read(Kryo kryo, Input input, Class<? extends TaggedLine> type) {
            Sender from = kryo.readObjectOrNull(input, Sender.class);
            long seq = input.readVarLong(true);
            String message = string(kryo, input);
            return new TaggedLine(from, seq, message, tags(kryo, input));
        }
    }

    private static final class TaggedSentSerializer extends Immutable<TaggedSent> {
        @Override
        public void write(Kryo kryo, Output output, TaggedSent m) {
            output.writeVarLong(m.seq(), true);
            output.writeVarInt(m.receivers(), true);
            string(kryo, output, m.refusal());
        }

        @Override
        public TaggedSent read(Kryo kryo, Input input, Class<? extends TaggedSent> type) {
            long seq = input.readVarLong(true);
            int receivers = input.readVarInt(true);
            return new TaggedSent(seq, receivers, string(kryo, input));
        }
    }

    private static final class AdminMessageSerializer extends Immutable<AdminMessage> {
        @Override
        public void write(Kryo kryo, Output output, AdminMessage m) {
            string(kryo, output, m.text());
        }

        @Override
        public AdminMessage read(Kryo kryo, Input input, Class<? extends AdminMessage> type) {
            return new AdminMessage(string(kryo, input));
        }
    }

    private static final class Assign2Serializer extends Immutable<Assign2> {
        @Override
        public void write(Kryo kryo, Output output, Assign2 m) {
            string(kryo, output, m.kind());
        }

        @Override
        public Assign2 read(Kryo kryo, Input input, Class<? extends Assign2> type) {
            return new Assign2(string(kryo, input));
        }
    }
}
