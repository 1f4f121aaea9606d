package io.forkcast.protocol.kryo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KryoRegistryTest {

    /** The registry as of the first frame codec. Append rows for new classes; never change or remove one. */
    private static final Map<Integer, Class<?>> IDS = new TreeMap<>(Map.ofEntries(
            Map.entry(32, WorkerMessage.Hello.class),
            Map.entry(33, WorkerMessage.ClientSaid.class),
            Map.entry(34, WorkerMessage.ClientActed.class),
            Map.entry(35, WorkerMessage.NickRequested.class),
            Map.entry(36, WorkerMessage.WhoRequested.class),
            Map.entry(37, WorkerMessage.ClientLeft.class),
            Map.entry(38, WorkerMessage.Resume.class),
            Map.entry(39, WorkerMessage.Ready.class),
            Map.entry(64, SupervisorMessage.Limits.class),
            Map.entry(65, SupervisorMessage.Welcome.class),
            Map.entry(66, SupervisorMessage.Say.class),
            Map.entry(67, SupervisorMessage.Act.class),
            Map.entry(68, SupervisorMessage.Joined.class),
            Map.entry(69, SupervisorMessage.Left.class),
            Map.entry(70, SupervisorMessage.Renamed.class),
            Map.entry(71, SupervisorMessage.Notice.class),
            Map.entry(72, SupervisorMessage.NickAccepted.class),
            Map.entry(73, SupervisorMessage.NickRefused.class),
            Map.entry(74, SupervisorMessage.WhoEntry.class),
            Map.entry(75, SupervisorMessage.WhoEntry[].class),
            Map.entry(76, SupervisorMessage.WhoList.class),
            Map.entry(77, SupervisorMessage.Disconnect.class),
            Map.entry(78, SupervisorMessage.Ack.class),
            Map.entry(79, SupervisorMessage.Assign.class),
            // Level 2.
            Map.entry(40, WorkerMessage.Hello2.class),
            Map.entry(41, WorkerMessage.Resume2.class),
            Map.entry(80, SupervisorMessage.Welcome2.class),
            Map.entry(81, SupervisorMessage.Deliver.class),
            Map.entry(82, SupervisorMessage.Style.class),
            Map.entry(96, Sender.class),
            Map.entry(97, Address.Everyone.class),
            Map.entry(98, Address.Room.class),
            Map.entry(99, Address.Client.class),
            // Level 3.
            Map.entry(42, WorkerMessage.JoinRequested.class),
            Map.entry(43, WorkerMessage.RoomsRequested.class),
            Map.entry(44, WorkerMessage.PeopleRequested.class),
            Map.entry(45, WorkerMessage.TopicRequested.class),
            Map.entry(46, WorkerMessage.PrivateSaid.class),
            Map.entry(47, WorkerMessage.Resume3.class),
            Map.entry(83, SupervisorMessage.Entered.class),
            Map.entry(84, SupervisorMessage.RoomJoined.class),
            Map.entry(85, SupervisorMessage.RoomLeft.class),
            Map.entry(86, SupervisorMessage.RoomList.class),
            Map.entry(87, SupervisorMessage.PeopleList.class),
            Map.entry(88, SupervisorMessage.TopicChanged.class),
            Map.entry(89, SupervisorMessage.PrivateSent.class),
            Map.entry(100, RoomEntry.class),
            Map.entry(101, Present.class),
            // Level 4.
            Map.entry(128, WorkerMessage.LoginRequested.class),
            Map.entry(129, WorkerMessage.HistoryRequested.class),
            Map.entry(130, WorkerMessage.Resume4.class),
            Map.entry(192, SupervisorMessage.LoginNeeded.class),
            Map.entry(193, SupervisorMessage.LoggedIn.class),
            Map.entry(194, SupervisorMessage.LoginRefused.class),
            Map.entry(195, SupervisorMessage.HistoryLines.class),
            Map.entry(196, SupervisorMessage.AwayLines.class),
            Map.entry(197, SupervisorMessage.PrivateStored.class),
            // Level 5.
            Map.entry(131, WorkerMessage.BrokerAttach.class),
            Map.entry(132, WorkerMessage.BrokerSend.class),
            Map.entry(133, WorkerMessage.BrokerAck.class),
            Map.entry(198, SupervisorMessage.BrokerAttached.class),
            Map.entry(199, SupervisorMessage.BrokerRefused.class),
            Map.entry(200, SupervisorMessage.BrokerSent.class),
            Map.entry(201, SupervisorMessage.BrokerBatch.class),
            // Level 6.
            Map.entry(134, WorkerMessage.OpenRequested.class),
            Map.entry(135, WorkerMessage.TaggedSaid.class),
            Map.entry(202, SupervisorMessage.OpenAnswered.class),
            Map.entry(203, SupervisorMessage.TaggedLine.class),
            Map.entry(204, SupervisorMessage.TaggedSent.class),
            Map.entry(205, SupervisorMessage.AdminMessage.class),
            Map.entry(206, SupervisorMessage.Assign2.class),
            Map.entry(256, PastLine.class),
            // Level 7.
            Map.entry(136, WorkerMessage.MqttConnect.class),
            Map.entry(137, WorkerMessage.MqttPublish.class),
            Map.entry(138, WorkerMessage.MqttPubRel.class),
            Map.entry(139, WorkerMessage.MqttDelivered.class),
            Map.entry(140, WorkerMessage.MqttSubscribe.class),
            Map.entry(141, WorkerMessage.MqttUnsubscribe.class),
            Map.entry(142, WorkerMessage.MqttDisconnect.class),
            Map.entry(143, WorkerMessage.MqttResume.class),
            Map.entry(207, SupervisorMessage.MqttConnAck.class),
            Map.entry(208, SupervisorMessage.MqttPublished.class),
            Map.entry(209, SupervisorMessage.MqttSubAck.class),
            Map.entry(210, SupervisorMessage.MqttUnsubAck.class),
            Map.entry(211, SupervisorMessage.MqttDeliver.class),
            Map.entry(212, SupervisorMessage.MqttRelease.class),
            Map.entry(213, SupervisorMessage.MqttKick.class),
            // Level 8.
            Map.entry(214, SupervisorMessage.DeliverRendered.class),
            Map.entry(257, MqttProperties.class),
            Map.entry(258, MqttWill.class),
            Map.entry(259, MqttFilter.class)));

    /**
     * The shape of every registered record and enum as it was registered: components by name and type, constants
     * in order. A registered record is never reshaped (KryoRegistry's rule 2): a new field is a new message. Append
     * a row for each new class; a row that no longer matches is a wire break, not a test to update.
     */
    private static final Map<Class<?>, String> SHAPES = Map.ofEntries(
            Map.entry(WorkerMessage.Hello.class, "long pid, String peer"),
            Map.entry(WorkerMessage.ClientSaid.class, "long seq, String text"),
            Map.entry(WorkerMessage.ClientActed.class, "long seq, String action"),
            Map.entry(WorkerMessage.NickRequested.class, "long seq, String nick"),
            Map.entry(WorkerMessage.WhoRequested.class, ""),
            Map.entry(WorkerMessage.ClientLeft.class, "String cause"),
            Map.entry(WorkerMessage.Resume.class, "long pid, String peer, long clientId, String nick"),
            Map.entry(WorkerMessage.Ready.class, "long pid"),
            Map.entry(
                    SupervisorMessage.Limits.class,
                    "int maxLineBytes, int floodLinesPerSecond, int floodBurst, int floodDropsBeforeDisconnect, "
                            + "int clientBufferBytes"),
            Map.entry(SupervisorMessage.Welcome.class, "long clientId, Limits limits"),
            Map.entry(SupervisorMessage.Say.class, "long fromId, String fromName, long fromPid, long seq, String text"),
            Map.entry(
                    SupervisorMessage.Act.class, "long fromId, String fromName, long fromPid, long seq, String action"),
            Map.entry(SupervisorMessage.Joined.class, "long id, String name, long pid"),
            Map.entry(SupervisorMessage.Left.class, "long id, String name, long pid"),
            Map.entry(SupervisorMessage.Renamed.class, "long id, String oldName, String newName, long pid"),
            Map.entry(SupervisorMessage.Notice.class, "String text"),
            Map.entry(SupervisorMessage.NickAccepted.class, "long seq, String nick"),
            Map.entry(SupervisorMessage.NickRefused.class, "long seq, String nick, String reason"),
            Map.entry(SupervisorMessage.WhoEntry.class, "long id, String name, String peer, long pid"),
            Map.entry(SupervisorMessage.WhoEntry[].class, "WhoEntry[]"),
            Map.entry(SupervisorMessage.WhoList.class, "WhoEntry[] entries"),
            Map.entry(SupervisorMessage.Disconnect.class, "String reason"),
            Map.entry(SupervisorMessage.Ack.class, "long seq"),
            Map.entry(SupervisorMessage.Assign.class, ""),
            Map.entry(WorkerMessage.Hello2.class, "int level, long pid, String peer, String kind"),
            Map.entry(
                    WorkerMessage.Resume2.class,
                    "int level, long pid, String peer, long clientId, String nick, String kind"),
            Map.entry(SupervisorMessage.Welcome2.class, "int level, long clientId, String node, Limits limits"),
            Map.entry(SupervisorMessage.Deliver.class, "Address to, Sender from, long seq, Style style, String text"),
            Map.entry(SupervisorMessage.Style.class, "enum SAY, ACT"),
            Map.entry(Sender.class, "String node, long clientId, String name, long pid"),
            Map.entry(Address.Everyone.class, ""),
            Map.entry(Address.Room.class, "String name"),
            Map.entry(Address.Client.class, "String node, long clientId"),
            Map.entry(WorkerMessage.JoinRequested.class, "long seq, String room"),
            Map.entry(WorkerMessage.RoomsRequested.class, ""),
            Map.entry(WorkerMessage.PeopleRequested.class, "boolean everyone"),
            Map.entry(WorkerMessage.TopicRequested.class, "String topic"),
            Map.entry(WorkerMessage.PrivateSaid.class, "long seq, String to, Client toClient, String text"),
            Map.entry(
                    WorkerMessage.Resume3.class,
                    "int level, long pid, String peer, long clientId, String nick, String kind, List rooms"),
            Map.entry(SupervisorMessage.Entered.class, "long seq, String room, String topic"),
            Map.entry(SupervisorMessage.RoomJoined.class, "Sender who, String room"),
            Map.entry(SupervisorMessage.RoomLeft.class, "Sender who, String room, String to"),
            Map.entry(SupervisorMessage.RoomList.class, "int total, int offset, List rooms"),
            Map.entry(SupervisorMessage.PeopleList.class, "String room, int total, int offset, List people"),
            Map.entry(SupervisorMessage.TopicChanged.class, "Sender by, String room, String topic"),
            Map.entry(SupervisorMessage.PrivateSent.class, "long seq, String to, String text"),
            Map.entry(WorkerMessage.LoginRequested.class, "long seq, String user, String password"),
            Map.entry(WorkerMessage.HistoryRequested.class, "int lines"),
            Map.entry(
                    WorkerMessage.Resume4.class,
                    "int level, long pid, String peer, long clientId, String nick, String kind, List rooms, "
                            + "String user"),
            Map.entry(SupervisorMessage.LoginNeeded.class, "int attemptsLeft"),
            Map.entry(SupervisorMessage.LoggedIn.class, "long seq, String user"),
            Map.entry(SupervisorMessage.LoginRefused.class, "long seq, String user, String reason"),
            Map.entry(SupervisorMessage.HistoryLines.class, "String room, int total, int offset, List lines"),
            Map.entry(SupervisorMessage.AwayLines.class, "int total, int offset, List lines"),
            Map.entry(SupervisorMessage.PrivateStored.class, "long seq, String to"),
            Map.entry(PastLine.class, "long time, String name, Style style, String text"),
            Map.entry(WorkerMessage.BrokerAttach.class, "long seq, String role, String channel"),
            Map.entry(WorkerMessage.BrokerSend.class, "long seq, String channel, String data"),
            Map.entry(WorkerMessage.BrokerAck.class, "List ids"),
            Map.entry(SupervisorMessage.BrokerAttached.class, "long seq, String role, String channel"),
            Map.entry(SupervisorMessage.BrokerRefused.class, "long seq, String command, String reason"),
            Map.entry(
                    SupervisorMessage.BrokerSent.class,
                    "long seq, long id, String channel, int receivers, boolean stored"),
            Map.entry(SupervisorMessage.BrokerBatch.class, "String channel, List ids, List data"),
            Map.entry(WorkerMessage.OpenRequested.class, "long seq, String key, String secret, Map tags"),
            Map.entry(WorkerMessage.TaggedSaid.class, "long seq, String message, Map tags, String key, String secret"),
            Map.entry(SupervisorMessage.OpenAnswered.class, "long seq, boolean accepted, String reason"),
            Map.entry(SupervisorMessage.TaggedLine.class, "Sender from, long seq, String message, Map tags"),
            Map.entry(SupervisorMessage.TaggedSent.class, "long seq, int receivers, String refusal"),
            Map.entry(SupervisorMessage.AdminMessage.class, "String text"),
            Map.entry(SupervisorMessage.Assign2.class, "String kind"),
            Map.entry(
                    WorkerMessage.MqttConnect.class,
                    "long seq, int version, String clientId, boolean cleanStart, long sessionExpiry, int receiveMaximum,"
                            + " int maximumPacketSize, String user, String password, MqttWill will"),
            Map.entry(
                    WorkerMessage.MqttPublish.class,
                    "long seq, String topic, byte[] payload, int qos, boolean retain, int packetId,"
                            + " MqttProperties properties"),
            Map.entry(WorkerMessage.MqttPubRel.class, "int packetId"),
            Map.entry(WorkerMessage.MqttDelivered.class, "int packetId, int stage"),
            Map.entry(WorkerMessage.MqttSubscribe.class, "int packetId, List filters"),
            Map.entry(WorkerMessage.MqttUnsubscribe.class, "int packetId, List filters"),
            Map.entry(WorkerMessage.MqttDisconnect.class, "int reasonCode, long sessionExpiry"),
            Map.entry(
                    WorkerMessage.MqttResume.class,
                    "String clientId, int version, boolean cleanStart, long sessionExpiry, int receiveMaximum,"
                            + " int maximumPacketSize, MqttWill will, List subscriptions, int nextPacketId"),
            Map.entry(
                    SupervisorMessage.MqttConnAck.class,
                    "long seq, int reasonCode, boolean sessionPresent, String clientId, String user, String reason"),
            Map.entry(SupervisorMessage.MqttPublished.class, "long seq, int packetId, int reasonCode"),
            Map.entry(SupervisorMessage.MqttSubAck.class, "int packetId, List codes"),
            Map.entry(SupervisorMessage.MqttUnsubAck.class, "int packetId, List codes"),
            Map.entry(
                    SupervisorMessage.MqttDeliver.class,
                    "String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId,"
                            + " List subscriptionIds, MqttProperties properties"),
            Map.entry(SupervisorMessage.MqttRelease.class, "int packetId"),
            Map.entry(SupervisorMessage.MqttKick.class, "int reasonCode, String reason"),
            Map.entry(SupervisorMessage.DeliverRendered.class, "String node, long fromId, long seq, byte[] text"),
            Map.entry(
                    MqttProperties.class,
                    "int payloadFormat, long messageExpiry, String contentType, String responseTopic,"
                            + " byte[] correlationData, List userProperties"),
            Map.entry(
                    MqttWill.class,
                    "String topic, byte[] payload, int qos, boolean retain, long delaySeconds,"
                            + " MqttProperties properties"),
            Map.entry(
                    MqttFilter.class,
                    "String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,"
                            + " int subscriptionId"),
            Map.entry(RoomEntry.class, "String name, int members, String topic"),
            Map.entry(Present.class, "Sender who, String peer, String room"));

    /** Far above any id the registry will reach; ids are scanned up to here. */
    private static final int SCAN_LIMIT = 4096;

    @Test
    void existingClassesKeepTheirIds() {
        var kryo = KryoRegistry.newKryo();
        IDS.forEach((id, type) -> {
            var registration = kryo.getRegistration(id);
            assertNotNull(registration, "id " + id);
            assertSame(type, registration.getType(), "id " + id);
            assertEquals(id, kryo.getRegistration(type).getId(), type.getName());
        });
    }

    @Test
    void everyRegisteredIdIsUniqueAndInTheTable() {
        var kryo = KryoRegistry.newKryo();
        var registered = new TreeMap<Integer, Class<?>>();
        var types = new HashSet<Class<?>>();
        for (int id = KryoRegistry.FIRST_ID; id < SCAN_LIMIT; id++) {
            var registration = kryo.getRegistration(id);
            if (registration != null) {
                registered.put(id, registration.getType());
                // a class registered twice keeps only its last id, and an id given twice keeps only the last class
                var type = registration.getType();
                assertEquals(id, kryo.getRegistration(type).getId(), type.getName());
                assertTrue(types.add(type), type.getName());
            }
        }
        assertEquals(IDS, registered);
    }

    @Test
    void noRegisteredClassIsReshaped() {
        for (var type : IDS.values()) {
            assertEquals(SHAPES.get(type), shapeOf(type), type.getName());
        }
    }

    @Test
    void everyMessageAndEveryTypeItContainsIsRegistered() {
        var kryo = KryoRegistry.newKryo();
        var reachable = new HashSet<Class<?>>();
        collect(Message.class, reachable);
        for (var type : reachable) {
            assertNotNull(kryo.getClassResolver().getRegistration(type), type.getName());
        }
    }

    @Test
    void everyMessageHasALevelAtOrBelowTheCurrentOne() {
        assertTrue(ProtocolLevel.BASE <= ProtocolLevel.CURRENT);
        assertEquals(ProtocolLevel.BASE, ProtocolLevel.agreed(0));
        assertEquals(ProtocolLevel.BASE, ProtocolLevel.agreed(ProtocolLevel.BASE));
        assertEquals(ProtocolLevel.CURRENT, ProtocolLevel.agreed(ProtocolLevel.CURRENT + 5));
    }

    private static String shapeOf(Class<?> type) {
        if (type.isArray()) {
            return type.getSimpleName();
        }
        if (type.isEnum()) {
            return "enum "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        return Arrays.stream(type.getRecordComponents())
                .map(c -> c.getType().getSimpleName() + " " + c.getName())
                .collect(Collectors.joining(", "));
    }

    /**
     * Every concrete type a message can contain: the records of sealed interfaces, their components, arrays, the
     * elements of lists.
     */
    private static void collect(Class<?> type, Set<Class<?>> into) {
        // A byte[] (an MQTT payload) is written by its record's explicit serializer as a length and the bytes.
        if (type.isPrimitive() || type == String.class || type == byte[].class || into.contains(type)) {
            return;
        }
        if (type.isSealed()) {
            for (var permitted : type.getPermittedSubclasses()) {
                collect(permitted, into);
            }
            return;
        }
        into.add(type);
        if (type.isArray()) {
            collect(type.getComponentType(), into);
        } else if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                if (component.getType() == List.class) {
                    // A list is written by its record's explicit serializer, element by element: its elements
                    // must be registered, the list itself is not.
                    var element = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
                    collect((Class<?>) element, into);
                } else if (component.getType() == Map.class) {
                    // A map (of tags) likewise: its keys and values are strings, written one by one.
                    for (var argument : ((ParameterizedType) component.getGenericType()).getActualTypeArguments()) {
                        collect((Class<?>) argument, into);
                    }
                } else {
                    collect(component.getType(), into);
                }
            }
        }
    }
}
