package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MQTT across the nodes of a federation, the routing side: the filters a node listens to follow its sessions'
 * subscriptions (once per filter, $ topics never), its clients' PUBLISHes are told to the other nodes, and theirs
 * reach the matching subscribers here once, without being retained here.
 */
class MqttFederationTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** What this node told the mesh. */
    private final List<String> told = new ArrayList<>();

    private RemoteMqtt remote;
    private long nextId = 1;

    private final MqttFederation mesh = new MqttFederation() {
        @Override
        public void listen(String filter) {
            told.add("listen " + filter);
        }

        @Override
        public void unlisten(String filter) {
            told.add("unlisten " + filter);
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {
            told.add("publish " + topic + " " + new String(payload, StandardCharsets.UTF_8) + " q" + qos
                    + (retain ? " r" : ""));
        }

        @Override
        public void attach(RemoteMqtt desk) {
            remote = desk;
        }
    };

    private Router router() {
        var router = new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(System.nanoTime() - 1, 1 << 20),
                new RoomBook("lobby", List.of(), 10),
                LIMITS,
                List.of(),
                Accounts.NONE,
                Archive.NONE,
                Router.History.OFF,
                BrokerQueue.NONE,
                BrokerDesk.Settings.DEFAULT,
                line -> {});
        router.mqtt().federate(mesh);
        return router;
    }

    private Member client(Router router, TestMailbox box, String clientId) {
        long id = nextId++;
        var member = router.join(new ClientRef("node-a", id, "127.0.0.1:" + (7000 + id), 300 + id, 7, "mqtt"), box);
        router.mqtt().connect(member, new MqttConnect(1, 5, clientId, true, 0, 65535, 0, null, null, null));
        assertEquals(0, box.all(MqttConnAck.class).getFirst().reasonCode(), box.received.toString());
        return member;
    }

    private static void subscribe(Router router, Member member, String... filters) {
        var list = new ArrayList<MqttFilter>();
        for (String f : filters) {
            list.add(new MqttFilter(f, 1, false, false, 0, 0));
        }
        router.mqtt().subscribe(member, 9, list);
    }

    private static List<String> texts(TestMailbox box) {
        return box.all(MqttDeliver.class).stream()
                .map(d -> d.topic() + " " + new String(d.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void theFiltersListenedToFollowTheSessionsSubscriptionsOncePerFilterAndNeverDollarTopics() {
        var router = router();
        var first = client(router, new TestMailbox(), "one");
        var second = client(router, new TestMailbox(), "two");
        subscribe(router, first, "sensors/#", "$SYS/#");
        subscribe(router, second, "sensors/#", "$share/g/jobs/+");
        assertEquals(List.of("listen sensors/#", "listen jobs/+"), told);
        told.clear();
        router.mqtt().unsubscribe(first, 10, List.of("sensors/#"));
        assertEquals(List.of(), told, "the second session still has it");
        router.left(second);
        assertEquals(List.of("unlisten sensors/#", "unlisten jobs/+"), told);
    }

    @Test
    void aClientsPublishIsToldToTheOtherNodesAndTheirsReachTheSubscribersHereOnce() {
        var router = router();
        var box = new TestMailbox();
        var subscriber = client(router, box, "sub");
        subscribe(router, subscriber, "sensors/+/temp");
        told.clear();
        var publisher = client(router, new TestMailbox(), "pub");
        router.mqtt()
                .publish(
                        publisher,
                        new MqttPublish(
                                1,
                                "sensors/k/temp",
                                "21".getBytes(StandardCharsets.UTF_8),
                                0,
                                true,
                                0,
                                MqttProperties.NONE));
        assertEquals(List.of("publish sensors/k/temp 21 q0 r"), told);
        assertEquals(List.of("sensors/k/temp 21"), texts(box));

        assertEquals(1, remote.arrived("sensors/b/temp", "19".getBytes(StandardCharsets.UTF_8), 1, false));
        assertEquals(0, remote.arrived("sensors/b/hum", "40".getBytes(StandardCharsets.UTF_8), 1, false));
        assertEquals(0, remote.arrived("$SYS/x", "1".getBytes(StandardCharsets.UTF_8), 0, false));
        assertEquals(List.of("sensors/k/temp 21", "sensors/b/temp 19"), texts(box));
        assertEquals(1, told.size(), "what came from another node is not told again");
    }
}
