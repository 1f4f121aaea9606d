package io.forkcast.protocol.kryo;

import static io.forkcast.protocol.kryo.ExplicitSerializers.count;
import static io.forkcast.protocol.kryo.ExplicitSerializers.string;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.ExplicitSerializers.Immutable;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerBatch;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.BrokerSent;
import io.forkcast.protocol.message.WorkerMessage.BrokerAck;
import io.forkcast.protocol.message.WorkerMessage.BrokerAttach;
import io.forkcast.protocol.message.WorkerMessage.BrokerSend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hand-written serializers of level 5 (seed 000's broker), written like {@link AccountSerializers}'s: component
 * by component in declaration order, no reflection. Ids continue the second blocks: 131 on for worker facts, 198
 * on for supervisor orders.
 */
final class BrokerSerializers {
    private BrokerSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(BrokerAttach.class, new BrokerAttachSerializer(), 131);
        kryo.register(BrokerSend.class, new BrokerSendSerializer(), 132);
        kryo.register(BrokerAck.class, new BrokerAckSerializer(), 133);
        kryo.register(BrokerAttached.class, new BrokerAttachedSerializer(), 198);
        kryo.register(BrokerRefused.class, new BrokerRefusedSerializer(), 199);
        kryo.register(BrokerSent.class, new BrokerSentSerializer(), 200);
        kryo.register(BrokerBatch.class, new BrokerBatchSerializer(), 201);
    }

    /** A list of ids: a count, then each as a variable-length long. */
    static void ids(Output output, List<Long> ids) {
        output.writeVarInt(ids == null ? 0 : ids.size(), true);
        if (ids != null) {
            for (long id : ids) {
                output.writeVarLong(id, true);
            }
        }
    }

    static List<Long> ids(Input input) {
        int n = count(input);
        var ids = new ArrayList<Long>(n);
        for (int i = 0; i < n; i++) {
            ids.add(input.readVarLong(true));
        }
        return List.copyOf(ids);
    }

    private static final class BrokerAttachSerializer extends Immutable<BrokerAttach> {
        @Override
        public void write(Kryo kryo, Output output, BrokerAttach m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.role());
            string(kryo, output, m.channel());
        }

        @Override
        public BrokerAttach read(Kryo kryo, Input input, Class<? extends BrokerAttach> type) {
            long seq = input.readVarLong(true);
            String role = string(kryo, input);
            return new BrokerAttach(seq, role, string(kryo, input));
        }
    }

    private static final class BrokerSendSerializer extends Immutable<BrokerSend> {
        @Override
        public void write(Kryo kryo, Output output, BrokerSend m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.channel());
            string(kryo, output, m.data());
        }

        @Override
        public BrokerSend read(Kryo kryo, Input input, Class<? extends BrokerSend> type) {
            long seq = input.readVarLong(true);
            String channel = string(kryo, input);
            return new BrokerSend(seq, channel, string(kryo, input));
        }
    }

    private static final class BrokerAckSerializer extends Immutable<BrokerAck> {
        @Override
        public void write(Kryo kryo, Output output, BrokerAck m) {
            ids(output, m.ids());
        }

        @Override
        public BrokerAck read(Kryo kryo, Input input, Class<? extends BrokerAck> type) {
            return new BrokerAck(ids(input));
        }
    }

    private static final class BrokerAttachedSerializer extends Immutable<BrokerAttached> {
        @Override
        public void write(Kryo kryo, Output output, BrokerAttached m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.role());
            string(kryo, output, m.channel());
        }

        @Override
        public BrokerAttached read(Kryo kryo, Input input, Class<? extends BrokerAttached> type) {
            long seq = input.readVarLong(true);
            String role = string(kryo, input);
            return new BrokerAttached(seq, role, string(kryo, input));
        }
    }

    private static final class BrokerRefusedSerializer extends Immutable<BrokerRefused> {
        @Override
        public void write(Kryo kryo, Output output, BrokerRefused m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.command());
            string(kryo, output, m.reason());
        }

        @Override
        public BrokerRefused read(Kryo kryo, Input input, Class<? extends BrokerRefused> type) {
            long seq = input.readVarLong(true);
            String command = string(kryo, input);
            return new BrokerRefused(seq, command, string(kryo, input));
        }
    }

    private static final class BrokerSentSerializer extends Immutable<BrokerSent> {
        @Override
        public void write(Kryo kryo, Output output, BrokerSent m) {
            output.writeVarLong(m.seq(), true);
            output.writeVarLong(m.id(), true);
            string(kryo, output, m.channel());
            output.writeVarInt(m.receivers(), true);
            output.writeBoolean(m.stored());
        }

        @Override
        public BrokerSent read(Kryo kryo, Input input, Class<? extends BrokerSent> type) {
            long seq = input.readVarLong(true);
            long id = input.readVarLong(true);
            String channel = string(kryo, input);
            int receivers = input.readVarInt(true);
            return new BrokerSent(seq, id, channel, receivers, input.readBoolean());
        }
    }

    private static final class BrokerBatchSerializer extends Immutable<BrokerBatch> {
        @Override
        public void write(Kryo kryo, Output output, BrokerBatch m) {
            string(kryo, output, m.channel());
            ids(output, m.ids());
            output.writeVarInt(m.data() == null ? 0 : m.data().size(), true);
            if (m.data() != null) {
                for (String value : m.data()) {
                    string(kryo, output, value);
                }
            }
        }

        @Override
        public BrokerBatch read(Kryo kryo, Input input, Class<? extends BrokerBatch> type) {
            String channel = string(kryo, input);
            var ids = ids(input);
            int n = count(input);
            var data = new ArrayList<String>(n);
            for (int i = 0; i < n; i++) {
                data.add(string(kryo, input));
            }
            return new BrokerBatch(channel, ids, Collections.unmodifiableList(data));
        }
    }
}
