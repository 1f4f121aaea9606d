package io.forkcast.protocol.kryo;

import static io.forkcast.protocol.kryo.ExplicitSerializers.string;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.ExplicitSerializers.Immutable;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;

/**
 * The hand-written serializer of level 8: a room line rendered by the supervisor for telnet receivers. It is the
 * receivers' hot path, so its layout is the least a worker must read: the sender's node, client id and line number
 * for the duplicate filter, then the rendered bytes (a varint of their count + 1, 0 for null, then the bytes, as
 * {@link MqttSerializers#bytes}), checked against the payload left before they are allocated. Ids continue the
 * second block of supervisor orders: 214 on.
 */
final class RenderedSerializers {
    private RenderedSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(DeliverRendered.class, new DeliverRenderedSerializer(), 214);
    }

    private static final class DeliverRenderedSerializer extends Immutable<DeliverRendered> {
        @Override
        public void write(Kryo kryo, Output output, DeliverRendered m) {
            string(kryo, output, m.node());
            output.writeVarLong(m.fromId(), false);
            output.writeVarLong(m.seq(), false);
            MqttSerializers.bytes(output, m.text());
        }

        @Override
        public DeliverRendered read(Kryo kryo, Input input, Class<? extends DeliverRendered> type) {
            String node = string(kryo, input);
            long fromId = input.readVarLong(false);
            long seq = input.readVarLong(false);
            byte[] text = MqttSerializers.bytes(input);
            if (node == null || text == null) {
                throw new KryoException("DeliverRendered without a node or text");
            }
            return new DeliverRendered(node, fromId, seq, text);
        }
    }
}
