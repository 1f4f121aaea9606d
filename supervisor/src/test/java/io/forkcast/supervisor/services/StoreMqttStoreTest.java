package io.forkcast.supervisor.services;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.supervisor.route.MqttStore;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import io.forkcast.supervisor.route.mqtt.Outgoing;
import io.forkcast.supervisor.route.mqtt.Retained;
import io.forkcast.supervisor.store.MqttState;
import io.forkcast.supervisor.store.MqttWrite;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing domain's MQTT store over a real store on H2, with clocks of the test's own: times turned into wall
 * clock and back across a "restart", expired sessions and messages dropped (and deleted) at load, messages in
 * flight kept under their packet ids, ids above every id read back, QoS 2 ids awaiting release read back by client
 * id (an expired session's deleted with it).
 */
@Timeout(60)
class StoreMqttStoreTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(5 * SECOND);
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    private Store open() {
        return Store.open(
                StoreSettings.of("jdbc:h2:file:" + dir.resolve("forkcast"), null, null),
                Runnable::run,
                EventLog.of("role=test"));
    }

    /** Every write queued before it is committed (the writer commits in order). */
    private static void flush(Store store) throws Exception {
        var done = new CompletableFuture<Result<Long>>();
        store.mqtt(new MqttWrite.EndSession("-"), done::complete);
        assertTrue(done.get(30, TimeUnit.SECONDS) instanceof Result.Ok<Long>);
    }

    private static MqttStore.Kept load(MqttStore store) throws Exception {
        var kept = new CompletableFuture<MqttStore.Kept>();
        store.load(kept::complete);
        return kept.get(30, TimeUnit.SECONDS);
    }

    private static MqttSession offline(String clientId, long expiry, long endsAtNanos) {
        var s = new MqttSession(clientId);
        s.version = 5;
        s.sessionExpiry = expiry;
        s.endsAtNanos = endsAtNanos;
        s.subscriptions.put("a/+", new MqttFilter("a/+", 1, false, true, 0, 4));
        return s;
    }

    private static Outgoing message(String text, long expiresAtNanos) {
        return new Outgoing(
                "a/b",
                text.getBytes(StandardCharsets.UTF_8),
                1,
                false,
                List.of(4),
                MqttProperties.NONE,
                expiresAtNanos);
    }

    @Test
    void keptRowsComeBackWithTheirTimesAndExpiredOnesAreDroppedAndDeleted() throws Exception {
        long firstId;
        try (var store = open()) {
            var mqtt = new StoreMqttStore(store, nanos::get, millis::get);
            mqtt.save(offline("stays", 3600, nanos.get() + 3600 * SECOND));
            mqtt.save(offline("goes", 10, nanos.get() + 10 * SECOND));
            var queued = message("queued", nanos.get() + 100 * SECOND);
            mqtt.keep("stays", queued, null);
            firstId = queued.storedId;
            var sent = message("in flight", Long.MAX_VALUE);
            sent.packetId = 42;
            sent.stage = Outgoing.SENT;
            mqtt.keep("stays", sent, null);
            mqtt.keep("stays", message("expires", nanos.get() + 20 * SECOND), null);
            mqtt.keep("goes", message("of a session that ends", Long.MAX_VALUE), null);
            var retained = new Retained();
            mqtt.retain(retained.put("r/keep", new byte[] {1, 2}, 1, MqttProperties.NONE, nanos.get()));
            var shortLived = new MqttProperties(-1, 30, null, null, null, List.of());
            mqtt.retain(retained.put("r/short", new byte[] {3}, 0, shortLived, nanos.get()));
            // QoS 2 ids awaiting PUBREL: of a kept session, of one that expires, of a client with no kept session.
            var committed = new CompletableFuture<Boolean>();
            mqtt.received("stays", 7, () -> committed.complete(true));
            assertTrue(committed.get(30, TimeUnit.SECONDS));
            mqtt.received("stays", 8, null);
            mqtt.released("stays", 8);
            mqtt.received("goes", 9, null);
            mqtt.received("clean", 65535, null);
            flush(store);
        }
        // The restart: 60 s later by the wall clock, and a monotonic clock that starts again elsewhere.
        millis.addAndGet(60_000);
        nanos.set(999 * SECOND);
        try (var store = open()) {
            var mqtt = new StoreMqttStore(store, nanos::get, millis::get);
            var kept = load(mqtt);

            assertEquals(1, kept.sessions().size(), kept.sessions().toString());
            var s = kept.sessions().getFirst();
            assertEquals("stays", s.clientId);
            assertEquals(nanos.get() + (3600 - 60) * SECOND, s.endsAtNanos);
            assertEquals(List.of("a/+"), List.copyOf(s.subscriptions.keySet()));
            assertEquals(4, s.subscriptions.get("a/+").subscriptionId());
            assertEquals(
                    List.of("queued"),
                    s.queue.stream()
                            .map(m -> new String(m.payload, StandardCharsets.UTF_8))
                            .toList());
            assertEquals(nanos.get() + 40 * SECOND, s.queue.getFirst().expiresAtNanos);
            assertEquals(firstId, s.queue.getFirst().storedId);
            var inFlight = s.inflight.get(42);
            assertEquals("in flight", new String(inFlight.payload, StandardCharsets.UTF_8));
            assertEquals(Outgoing.SENT, inFlight.stage);
            assertEquals(Long.MAX_VALUE, inFlight.expiresAtNanos);
            assertEquals(43, s.nextPacketId);
            assertEquals(
                    List.of("r/keep"),
                    kept.retained().stream().map(Retained.Message::topic).toList());
            assertArrayEquals(new byte[] {1, 2}, kept.retained().getFirst().payload());
            assertEquals(Map.of("stays", Set.of(7), "clean", Set.of(65535)), kept.received());

            // A new message's id is above every id read back.
            var next = message("new", Long.MAX_VALUE);
            mqtt.keep("stays", next, null);
            assertTrue(next.storedId > inFlight.storedId);
            flush(store);
            var rows = new CompletableFuture<Result<MqttState>>();
            store.mqttState(rows::complete);
            var state = ((Result.Ok<MqttState>) rows.get(30, TimeUnit.SECONDS)).value();
            assertEquals(
                    List.of("stays"),
                    state.sessions().stream().map(MqttState.Session::clientId).toList());
            assertEquals(3, state.messages().size(), "expired and orphaned messages were deleted");
            assertEquals(1, state.retained().size(), "the expired retained message was deleted");
            assertEquals(
                    List.of(new MqttState.Received("clean", 65535), new MqttState.Received("stays", 7)),
                    state.received(),
                    "the expired session's ids were deleted with it");
        }
    }
}
