package io.forkcast.supervisor.store;

import java.util.List;
import java.util.function.Consumer;

/** A read waiting in the store's queue for the reader thread. Immutable. */
sealed interface Read {
    record History(String room, int limit, Consumer<Result<List<StoredLine>>> then) implements Read {}

    record Offline(String user, Consumer<Result<List<OfflineMessage>>> then) implements Read {}

    record Broker(String channel, int limit, Consumer<Result<List<BrokerMessage>>> then) implements Read {}

    /** Everything kept of MQTT, read at start. */
    record Mqtt(Consumer<Result<MqttState>> then) implements Read {}

    /** The reader's cue to close its connection and stop; queued by {@link Store#close}. */
    record Stop() implements Read {}
}
