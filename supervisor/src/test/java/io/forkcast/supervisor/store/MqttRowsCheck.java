package io.forkcast.supervisor.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import java.util.List;

/**
 * The store's MQTT rows written and read back, on any database: sessions with their subscriptions (replaced when
 * saved again), messages with every byte value and every kept 5.0 property (four-byte characters too), in-flight
 * state, retained messages set, replaced and cleared, QoS 2 packet ids received and released (of clients with no
 * kept session too), and a session's end deleting its messages and ids. Used by
 * MqttStoreTest (H2) and the integration tests on MariaDB and PostgreSQL. Stateless.
 */
public final class MqttRowsCheck {
    private static final EventLog LOG = EventLog.of("role=test");

    private MqttRowsCheck() {}

    static final String LONG_ID = "€".repeat(MqttRows.CLIENT_ID_MAX);
    static final String LONG_TOPIC = "€".repeat(MqttRows.TOPIC_KEY_MAX);

    public static byte[] everyByte() {
        var bytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    public static final MqttProperties FULL = new MqttProperties(
            1, 3600, "text/plain; ü 🎉", "replies/ann", new byte[] {0, -1, 7}, List.of("k:1", "v 🎉", "", "x"));

    static void write(Store store, MqttWrite write) throws Exception {
        var answer = new Answer<Long>();
        store.mqtt(write, answer);
        assertEquals(0L, answer.ok());
    }

    static MqttState state(Store store) throws Exception {
        var answer = new Answer<MqttState>();
        store.mqttState(answer);
        return answer.ok();
    }

    static MqttState.Message message(long id, String clientId, byte[] payload, MqttProperties props) {
        return new MqttState.Message(
                id, clientId, "a/b", payload, 2, true, List.of(3, 9), props, 1_800_000_000_000L, 0, 0);
    }

    /** Writes every kind of MQTT row through a store of {@code settings}, then reads them back from a new one. */
    public static void roundTrip(StoreSettings settings) throws Exception {
        var filters = List.of(
                new MqttFilter("a/#", 2, true, true, 1, 17), new MqttFilter("$share/g/b/+", 1, false, false, 2, 0));
        try (var store = Store.open(settings, Runnable::run, LOG)) {
            write(
                    store,
                    new MqttWrite.SaveSession(
                            new MqttState.Session("dev-1", "ann", 5, 3600, 1_700_000_000_000L, List.of())));
            // Saved again: replaced, subscriptions and all.
            var session = new MqttState.Session("dev-1", "ann", 5, 7200, MqttState.NEVER, filters);
            write(store, new MqttWrite.SaveSession(session));
            write(
                    store,
                    new MqttWrite.SaveSession(
                            new MqttState.Session("old", null, 4, 4294967295L, MqttState.NEVER, List.of())));
            // The longest kept client id and retained topic, in three-byte characters (the key columns' limits).
            write(store, new MqttWrite.SaveSession(new MqttState.Session(LONG_ID, null, 5, 1, 1, List.of())));
            write(store, new MqttWrite.Retain(new MqttState.Retained(LONG_TOPIC, new byte[] {9}, 0, null, 1)));
            write(store, new MqttWrite.StoreMessage(message(10, "dev-1", everyByte(), FULL)));
            write(store, new MqttWrite.StoreMessage(message(11, "dev-1", new byte[0], MqttProperties.NONE)));
            write(store, new MqttWrite.StoreMessage(message(12, "old", new byte[] {1}, MqttProperties.NONE)));
            write(store, new MqttWrite.InFlight(10, 65535, 2));
            write(store, new MqttWrite.ForgetMessages(List.of(11L, 99L)));
            write(store, new MqttWrite.Retain(new MqttState.Retained("r/1", everyByte(), 1, FULL, MqttState.NEVER)));
            write(store, new MqttWrite.Retain(new MqttState.Retained("r/2", new byte[] {2}, 0, null, 5)));
            write(store, new MqttWrite.Retain(new MqttState.Retained("r/2", new byte[] {3}, 1, null, 6)));
            write(store, new MqttWrite.Retain(new MqttState.Retained("r/3", new byte[] {4}, 0, null, 7)));
            write(store, new MqttWrite.Retain(new MqttState.Retained("r/3", new byte[0], 0, null, 7)));
            write(store, new MqttWrite.Received("dev-1", 5));
            write(store, new MqttWrite.Received("dev-1", 6));
            write(store, new MqttWrite.Received("dev-1", 6)); // sent again: still one row
            write(store, new MqttWrite.Received("clean-1", 65535)); // a client with no kept session
            write(store, new MqttWrite.Received(LONG_ID, 1));
            write(store, new MqttWrite.Released("dev-1", 5));
            write(store, new MqttWrite.Released("dev-1", 99)); // none: nothing happens
        }
        try (var store = Store.open(settings, Runnable::run, LOG)) {
            var state = state(store);

            assertEquals(3, state.sessions().size(), state.sessions().toString());
            assertTrue(state.sessions().stream().anyMatch(x -> x.clientId().equals(LONG_ID)));
            var dev = state.sessions().stream()
                    .filter(s -> s.clientId().equals("dev-1"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(new MqttState.Session("dev-1", "ann", 5, 7200, MqttState.NEVER, filters), dev);
            var old = state.sessions().stream()
                    .filter(s -> s.clientId().equals("old"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(new MqttState.Session("old", null, 4, 4294967295L, MqttState.NEVER, List.of()), old);

            assertEquals(
                    List.of(10L, 12L),
                    state.messages().stream().map(MqttState.Message::id).toList());
            var first = state.messages().getFirst();
            assertArrayEquals(everyByte(), first.payload());
            assertEquals(FULL, first.properties());
            assertEquals(List.of(3, 9), first.subscriptionIds());
            assertEquals(1_800_000_000_000L, first.expiresAtMillis());
            assertEquals(65535, first.packetId());
            assertEquals(2, first.stage());
            assertEquals(2, first.qos());
            assertEquals(true, first.retain());
            assertEquals(MqttProperties.NONE, state.messages().get(1).properties());

            assertEquals(
                    List.of("r/1", "r/2", LONG_TOPIC),
                    state.retained().stream()
                            .map(MqttState.Retained::topic)
                            .sorted()
                            .toList());
            var r1 = state.retained().stream()
                    .filter(r -> r.topic().equals("r/1"))
                    .findFirst()
                    .orElseThrow();
            assertArrayEquals(everyByte(), r1.payload());
            assertEquals(FULL, r1.properties());
            assertEquals(MqttState.NEVER, r1.expiresAtMillis());
            var r2 = state.retained().stream()
                    .filter(r -> r.topic().equals("r/2"))
                    .findFirst()
                    .orElseThrow();
            assertArrayEquals(new byte[] {3}, r2.payload());
            assertEquals(6, r2.expiresAtMillis());

            assertEquals(
                    List.of("clean-1 65535", "dev-1 6", LONG_ID + " 1"),
                    state.received().stream()
                            .map(r -> r.clientId() + " " + r.packetId())
                            .sorted()
                            .toList());

            write(store, new MqttWrite.EndSession("dev-1"));
            write(store, new MqttWrite.EndSession(LONG_ID));
            var after = state(store);
            assertEquals(List.of(new MqttState.Received("clean-1", 65535)), after.received());
            assertEquals(
                    List.of("old"),
                    after.sessions().stream().map(MqttState.Session::clientId).toList());
            assertEquals(
                    List.of(12L),
                    after.messages().stream().map(MqttState.Message::id).toList());
        }
    }
}
