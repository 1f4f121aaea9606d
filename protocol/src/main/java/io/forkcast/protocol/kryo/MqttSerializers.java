package io.forkcast.protocol.kryo;

import static io.forkcast.protocol.kryo.ExplicitSerializers.count;
import static io.forkcast.protocol.kryo.ExplicitSerializers.list;
import static io.forkcast.protocol.kryo.ExplicitSerializers.string;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.ExplicitSerializers.Immutable;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttKick;
import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.SupervisorMessage.MqttRelease;
import io.forkcast.protocol.message.SupervisorMessage.MqttSubAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttUnsubAck;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.protocol.message.WorkerMessage.MqttDisconnect;
import io.forkcast.protocol.message.WorkerMessage.MqttPubRel;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.protocol.message.WorkerMessage.MqttResume;
import io.forkcast.protocol.message.WorkerMessage.MqttSubscribe;
import io.forkcast.protocol.message.WorkerMessage.MqttUnsubscribe;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written serializers of level 7 (MQTT clients), written like {@link BrokerSerializers}'s. Ids continue
 * the second blocks: 136 on for worker facts, 207 on for supervisor orders, 257 on for their parts. Payloads are a
 * length and the bytes (the length plus one, 0 for null), the length checked against what the frame has left
 * before anything is allocated.
 */
final class MqttSerializers {
    private MqttSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(MqttProperties.class, new PropertiesSerializer(), 257);
        kryo.register(MqttWill.class, new WillSerializer(), 258);
        kryo.register(MqttFilter.class, new FilterSerializer(), 259);
        kryo.register(MqttConnect.class, new ConnectSerializer(), 136);
        kryo.register(MqttPublish.class, new PublishSerializer(), 137);
        kryo.register(MqttPubRel.class, new PubRelSerializer(), 138);
        kryo.register(MqttDelivered.class, new DeliveredSerializer(), 139);
        kryo.register(MqttSubscribe.class, new SubscribeSerializer(), 140);
        kryo.register(MqttUnsubscribe.class, new UnsubscribeSerializer(), 141);
        kryo.register(MqttDisconnect.class, new DisconnectSerializer(), 142);
        kryo.register(MqttResume.class, new ResumeSerializer(), 143);
        kryo.register(MqttConnAck.class, new ConnAckSerializer(), 207);
        kryo.register(MqttPublished.class, new PublishedSerializer(), 208);
        kryo.register(MqttSubAck.class, new SubAckSerializer(), 209);
        kryo.register(MqttUnsubAck.class, new UnsubAckSerializer(), 210);
        kryo.register(MqttDeliver.class, new DeliverSerializer(), 211);
        kryo.register(MqttRelease.class, new ReleaseSerializer(), 212);
        kryo.register(MqttKick.class, new KickSerializer(), 213);
    }

    static void bytes(Output output, byte[] value) {
        if (value == null) {
            output.writeVarInt(0, true);
        } else {
            output.writeVarInt(value.length + 1, true);
            output.writeBytes(value);
        }
    }

    static byte[] bytes(Input input) {
        int n = input.readVarInt(true);
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        int left = input.limit() - input.position();
        if (length < 0 || length > left) {
            throw new KryoException("payload of " + length + " bytes claimed with " + left + " payload bytes left");
        }
        return input.readBytes(length);
    }

    static void ints(Output output, List<Integer> values) {
        output.writeVarInt(values.size(), true);
        for (int value : values) {
            output.writeVarInt(value, true);
        }
    }

    static List<Integer> ints(Input input) {
        int n = count(input);
        var values = new ArrayList<Integer>(n);
        for (int i = 0; i < n; i++) {
            values.add(input.readVarInt(true));
        }
        return List.copyOf(values);
    }

    static void strings(Kryo kryo, Output output, List<String> values) {
        output.writeVarInt(values.size(), true);
        for (String value : values) {
            string(kryo, output, value);
        }
    }

    static List<String> strings(Kryo kryo, Input input) {
        int n = count(input);
        var values = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            values.add(string(kryo, input));
        }
        return List.copyOf(values);
    }

    /** 3.1.1's messages carry no properties: one byte says so. */
    private static final class PropertiesSerializer extends Immutable<MqttProperties> {
        @Override
        public void write(Kryo kryo, Output output, MqttProperties p) {
            if (p.isEmpty()) {
                output.writeBoolean(false);
                return;
            }
            output.writeBoolean(true);
            output.writeVarInt(p.payloadFormat() + 1, true);
            output.writeVarLong(p.messageExpiry() + 1, true);
            string(kryo, output, p.contentType());
            string(kryo, output, p.responseTopic());
            bytes(output, p.correlationData());
            strings(kryo, output, p.userProperties());
        }

        @Override
        public MqttProperties read(Kryo kryo, Input input, Class<? extends MqttProperties> type) {
            if (!input.readBoolean()) {
                return MqttProperties.NONE;
            }
            int payloadFormat = input.readVarInt(true) - 1;
            long messageExpiry = input.readVarLong(true) - 1;
            String contentType = string(kryo, input);
            String responseTopic = string(kryo, input);
            byte[] correlationData = bytes(input);
            return new MqttProperties(
                    payloadFormat, messageExpiry, contentType, responseTopic, correlationData, strings(kryo, input));
        }
    }

    private static final class WillSerializer extends Immutable<MqttWill> {
        @Override
        public void write(Kryo kryo, Output output, MqttWill w) {
            string(kryo, output, w.topic());
            bytes(output, w.payload());
            output.writeVarInt(w.qos(), true);
            output.writeBoolean(w.retain());
            output.writeVarLong(w.delaySeconds(), true);
            kryo.writeObject(output, w.properties());
        }

        @Override
        public MqttWill read(Kryo kryo, Input input, Class<? extends MqttWill> type) {
            String topic = string(kryo, input);
            byte[] payload = bytes(input);
            int qos = input.readVarInt(true);
            boolean retain = input.readBoolean();
            long delay = input.readVarLong(true);
            return new MqttWill(topic, payload, qos, retain, delay, kryo.readObject(input, MqttProperties.class));
        }
    }

    private static final class FilterSerializer extends Immutable<MqttFilter> {
        @Override
        public void write(Kryo kryo, Output output, MqttFilter f) {
            string(kryo, output, f.filter());
            output.writeVarInt(f.qos(), true);
            output.writeBoolean(f.noLocal());
            output.writeBoolean(f.retainAsPublished());
            output.writeVarInt(f.retainHandling(), true);
            output.writeVarInt(f.subscriptionId(), true);
        }

        @Override
        public MqttFilter read(Kryo kryo, Input input, Class<? extends MqttFilter> type) {
            String filter = string(kryo, input);
            int qos = input.readVarInt(true);
            boolean noLocal = input.readBoolean();
            boolean retainAsPublished = input.readBoolean();
            int retainHandling = input.readVarInt(true);
            return new MqttFilter(filter, qos, noLocal, retainAsPublished, retainHandling, input.readVarInt(true));
        }
    }

    private static final class ConnectSerializer extends Immutable<MqttConnect> {
        @Override
        public void write(Kryo kryo, Output output, MqttConnect m) {
            output.writeVarLong(m.seq(), true);
            output.writeVarInt(m.version(), true);
            string(kryo, output, m.clientId());
            output.writeBoolean(m.cleanStart());
            output.writeVarLong(m.sessionExpiry(), true);
            output.writeVarInt(m.receiveMaximum(), true);
            output.writeVarInt(m.maximumPacketSize(), true);
            string(kryo, output, m.user());
            string(kryo, output, m.password());
            kryo.writeObjectOrNull(output, m.will(), MqttWill.class);
        }

        @Override
        public MqttConnect read(Kryo kryo, Input input, Class<? extends MqttConnect> type) {
            long seq = input.readVarLong(true);
            int version = input.readVarInt(true);
            String clientId = string(kryo, input);
            boolean cleanStart = input.readBoolean();
            long sessionExpiry = input.readVarLong(true);
            int receiveMaximum = input.readVarInt(true);
            int maximumPacketSize = input.readVarInt(true);
            String user = string(kryo, input);
            String password = string(kryo, input);
            return new MqttConnect(
                    seq,
                    version,
                    clientId,
                    cleanStart,
                    sessionExpiry,
                    receiveMaximum,
                    maximumPacketSize,
                    user,
                    password,
                    kryo.readObjectOrNull(input, MqttWill.class));
        }
    }

    private static final class PublishSerializer extends Immutable<MqttPublish> {
        @Override
        public void write(Kryo kryo, Output output, MqttPublish m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.topic());
            bytes(output, m.payload());
            output.writeVarInt(m.qos(), true);
            output.writeBoolean(m.retain());
            output.writeVarInt(m.packetId(), true);
            kryo.writeObject(output, m.properties());
        }

        @Override
        public MqttPublish read(Kryo kryo, Input input, Class<? extends MqttPublish> type) {
            long seq = input.readVarLong(true);
            String topic = string(kryo, input);
            byte[] payload = bytes(input);
            int qos = input.readVarInt(true);
            boolean retain = input.readBoolean();
            int packetId = input.readVarInt(true);
            return new MqttPublish(
                    seq, topic, payload, qos, retain, packetId, kryo.readObject(input, MqttProperties.class));
        }
    }

    private static final class PubRelSerializer extends Immutable<MqttPubRel> {
        @Override
        public void write(Kryo kryo, Output output, MqttPubRel m) {
            output.writeVarInt(m.packetId(), true);
        }

        @Override
        public MqttPubRel read(Kryo kryo, Input input, Class<? extends MqttPubRel> type) {
            return new MqttPubRel(input.readVarInt(true));
        }
    }

    private static final class DeliveredSerializer extends Immutable<MqttDelivered> {
        @Override
        public void write(Kryo kryo, Output output, MqttDelivered m) {
            output.writeVarInt(m.packetId(), true);
            output.writeVarInt(m.stage(), true);
        }

        @Override
        public MqttDelivered read(Kryo kryo, Input input, Class<? extends MqttDelivered> type) {
            int packetId = input.readVarInt(true);
            return new MqttDelivered(packetId, input.readVarInt(true));
        }
    }

    private static final class SubscribeSerializer extends Immutable<MqttSubscribe> {
        @Override
        public void write(Kryo kryo, Output output, MqttSubscribe m) {
            output.writeVarInt(m.packetId(), true);
            list(kryo, output, m.filters());
        }

        @Override
        public MqttSubscribe read(Kryo kryo, Input input, Class<? extends MqttSubscribe> type) {
            int packetId = input.readVarInt(true);
            return new MqttSubscribe(packetId, list(kryo, input, MqttFilter.class));
        }
    }

    private static final class UnsubscribeSerializer extends Immutable<MqttUnsubscribe> {
        @Override
        public void write(Kryo kryo, Output output, MqttUnsubscribe m) {
            output.writeVarInt(m.packetId(), true);
            strings(kryo, output, m.filters());
        }

        @Override
        public MqttUnsubscribe read(Kryo kryo, Input input, Class<? extends MqttUnsubscribe> type) {
            int packetId = input.readVarInt(true);
            return new MqttUnsubscribe(packetId, strings(kryo, input));
        }
    }

    private static final class DisconnectSerializer extends Immutable<MqttDisconnect> {
        @Override
        public void write(Kryo kryo, Output output, MqttDisconnect m) {
            output.writeVarInt(m.reasonCode(), true);
            output.writeVarLong(m.sessionExpiry() + 1, true);
        }

        @Override
        public MqttDisconnect read(Kryo kryo, Input input, Class<? extends MqttDisconnect> type) {
            int reasonCode = input.readVarInt(true);
            return new MqttDisconnect(reasonCode, input.readVarLong(true) - 1);
        }
    }

    private static final class ResumeSerializer extends Immutable<MqttResume> {
        @Override
        public void write(Kryo kryo, Output output, MqttResume m) {
            string(kryo, output, m.clientId());
            output.writeVarInt(m.version(), true);
            output.writeBoolean(m.cleanStart());
            output.writeVarLong(m.sessionExpiry(), true);
            output.writeVarInt(m.receiveMaximum(), true);
            output.writeVarInt(m.maximumPacketSize(), true);
            kryo.writeObjectOrNull(output, m.will(), MqttWill.class);
            list(kryo, output, m.subscriptions());
            output.writeVarInt(m.nextPacketId(), true);
        }

        @Override
        public MqttResume read(Kryo kryo, Input input, Class<? extends MqttResume> type) {
            String clientId = string(kryo, input);
            int version = input.readVarInt(true);
            boolean cleanStart = input.readBoolean();
            long sessionExpiry = input.readVarLong(true);
            int receiveMaximum = input.readVarInt(true);
            int maximumPacketSize = input.readVarInt(true);
            MqttWill will = kryo.readObjectOrNull(input, MqttWill.class);
            var subscriptions = list(kryo, input, MqttFilter.class);
            return new MqttResume(
                    clientId,
                    version,
                    cleanStart,
                    sessionExpiry,
                    receiveMaximum,
                    maximumPacketSize,
                    will,
                    subscriptions,
                    input.readVarInt(true));
        }
    }

    private static final class ConnAckSerializer extends Immutable<MqttConnAck> {
        @Override
        public void write(Kryo kryo, Output output, MqttConnAck m) {
            output.writeVarLong(m.seq(), true);
            output.writeVarInt(m.reasonCode(), true);
            output.writeBoolean(m.sessionPresent());
            string(kryo, output, m.clientId());
            string(kryo, output, m.user());
            string(kryo, output, m.reason());
        }

        @Override
        public MqttConnAck read(Kryo kryo, Input input, Class<? extends MqttConnAck> type) {
            long seq = input.readVarLong(true);
            int reasonCode = input.readVarInt(true);
            boolean sessionPresent = input.readBoolean();
            String clientId = string(kryo, input);
            String user = string(kryo, input);
            return new MqttConnAck(seq, reasonCode, sessionPresent, clientId, user, string(kryo, input));
        }
    }

    private static final class PublishedSerializer extends Immutable<MqttPublished> {
        @Override
        public void write(Kryo kryo, Output output, MqttPublished m) {
            output.writeVarLong(m.seq(), true);
            output.writeVarInt(m.packetId(), true);
            output.writeVarInt(m.reasonCode(), true);
        }

        @Override
        public MqttPublished read(Kryo kryo, Input input, Class<? extends MqttPublished> type) {
            long seq = input.readVarLong(true);
            int packetId = input.readVarInt(true);
            return new MqttPublished(seq, packetId, input.readVarInt(true));
        }
    }

    private static final class SubAckSerializer extends Immutable<MqttSubAck> {
        @Override
        public void write(Kryo kryo, Output output, MqttSubAck m) {
            output.writeVarInt(m.packetId(), true);
            ints(output, m.codes());
        }

        @Override
        public MqttSubAck read(Kryo kryo, Input input, Class<? extends MqttSubAck> type) {
            int packetId = input.readVarInt(true);
            return new MqttSubAck(packetId, ints(input));
        }
    }

    private static final class UnsubAckSerializer extends Immutable<MqttUnsubAck> {
        @Override
        public void write(Kryo kryo, Output output, MqttUnsubAck m) {
            output.writeVarInt(m.packetId(), true);
            ints(output, m.codes());
        }

        @Override
        public MqttUnsubAck read(Kryo kryo, Input input, Class<? extends MqttUnsubAck> type) {
            int packetId = input.readVarInt(true);
            return new MqttUnsubAck(packetId, ints(input));
        }
    }

    private static final class DeliverSerializer extends Immutable<MqttDeliver> {
        @Override
        public void write(Kryo kryo, Output output, MqttDeliver m) {
            string(kryo, output, m.topic());
            bytes(output, m.payload());
            output.writeVarInt(m.qos(), true);
            output.writeBoolean(m.retain());
            output.writeBoolean(m.dup());
            output.writeVarInt(m.packetId(), true);
            ints(output, m.subscriptionIds());
            kryo.writeObject(output, m.properties());
        }

        @Override
        public MqttDeliver read(Kryo kryo, Input input, Class<? extends MqttDeliver> type) {
            String topic = string(kryo, input);
            byte[] payload = bytes(input);
            int qos = input.readVarInt(true);
            boolean retain = input.readBoolean();
            boolean dup = input.readBoolean();
            int packetId = input.readVarInt(true);
            var subscriptionIds = ints(input);
            return new MqttDeliver(
                    topic,
                    payload,
                    qos,
                    retain,
                    dup,
                    packetId,
                    subscriptionIds,
                    kryo.readObject(input, MqttProperties.class));
        }
    }

    private static final class ReleaseSerializer extends Immutable<MqttRelease> {
        @Override
        public void write(Kryo kryo, Output output, MqttRelease m) {
            output.writeVarInt(m.packetId(), true);
        }

        @Override
        public MqttRelease read(Kryo kryo, Input input, Class<? extends MqttRelease> type) {
            return new MqttRelease(input.readVarInt(true));
        }
    }

    private static final class KickSerializer extends Immutable<MqttKick> {
        @Override
        public void write(Kryo kryo, Output output, MqttKick m) {
            output.writeVarInt(m.reasonCode(), true);
            string(kryo, output, m.reason());
        }

        @Override
        public MqttKick read(Kryo kryo, Input input, Class<? extends MqttKick> type) {
            int reasonCode = input.readVarInt(true);
            return new MqttKick(reasonCode, string(kryo, input));
        }
    }
}
