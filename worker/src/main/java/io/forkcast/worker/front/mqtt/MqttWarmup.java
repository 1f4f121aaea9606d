package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A spare's practice MQTT session, so that a client handed to it finds the codec's paths loaded and run: the hub
 * messages of a session (for the frames' round trip), and a 5.0 client's packets fed to a front door with the
 * supervisor's answers rendered. Stateless.
 */
public final class MqttWarmup {
    private MqttWarmup() {}

    /** Hub messages of an MQTT session, both ways. */
    public static List<Message> messages() {
        var props = new MqttProperties(1, 60, "text/plain", null, null, List.of("k", "v"));
        var filter = new MqttFilter("warm/#", 1, false, false, 0, 1);
        return List.of(
                new WorkerMessage.MqttConnect(1, 5, "warm", true, 0, 10, 0, "u", "p", null),
                new WorkerMessage.MqttPublish(2, "warm/a", new byte[] {1}, 1, false, 1, props),
                new WorkerMessage.MqttSubscribe(1, List.of(filter)),
                new WorkerMessage.MqttDelivered(1, WorkerMessage.MqttDelivered.PUBACK),
                new WorkerMessage.MqttPubRel(1),
                new SupervisorMessage.MqttConnAck(1, 0, false, "warm", null, null),
                new SupervisorMessage.MqttPublished(2, 1, 0),
                new SupervisorMessage.MqttSubAck(1, List.of(1)),
                new SupervisorMessage.MqttDeliver("warm/a", new byte[] {1}, 1, false, false, 1, List.of(1), props));
    }

    /** Feeds {@code door} a 5.0 client's CONNECT, SUBSCRIBE, PUBLISHes, PINGREQ and acks, with answers between. */
    public static void run(MqttFrontDoor door, Consumer<Intent> intents) {
        var connect = new PacketWriter().utf8("MQTT").u8(5).u8(0xC2).u16(30);
        connect.properties(new PacketWriter().u8(0x11).u32(0).u8(0x21).u16(10))
                .utf8("warm")
                .utf8("u")
                .utf8("p");
        door.feed(ByteBuffer.wrap(connect.packet(0x10)), intents);
        door.render(new SupervisorMessage.MqttConnAck(1, 0, false, "warm", null, null), 1);
        var subscribe =
                new PacketWriter().u16(1).properties(new PacketWriter().u8(0x0B).varint(1));
        subscribe.utf8("warm/+").u8(1);
        var props = new PacketWriter().u8(0x01).u8(1).u8(0x23).u16(1).userProperties(List.of("k", "v"));
        var publish = new PacketWriter().utf8("warm/a").u16(2).properties(props);
        publish.raw("warm".getBytes(StandardCharsets.UTF_8));
        var aliased = new PacketWriter()
                .utf8("")
                .properties(new PacketWriter().u8(0x23).u16(1))
                .raw(new byte[] {1});
        byte[][] packets = {
            subscribe.packet(0x82),
            publish.packet(0x32),
            aliased.packet(0x30),
            new PacketWriter().packet(0xC0),
            new PacketWriter().u16(1).packet(0x40),
            new PacketWriter().u16(2).packet(0x50),
            new PacketWriter().u16(3).packet(0x62),
            new PacketWriter().u16(2).packet(0x70),
        };
        for (byte[] packet : packets) {
            door.feed(ByteBuffer.wrap(packet), intents);
        }
        for (var message : messages()) {
            if (message instanceof SupervisorMessage order) {
                door.render(order, 1);
            }
        }
        door.resume();
        door.tick(intents);
        door.goodbye("warm");
    }
}
