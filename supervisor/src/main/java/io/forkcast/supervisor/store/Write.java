package io.forkcast.supervisor.store;

import java.util.List;
import java.util.function.Consumer;

/** A write waiting in the store's queue for the writer thread. Immutable. */
sealed interface Write {
    record Append(StoredLine line, Consumer<Result<Long>> then) implements Write {}

    record Offline(OfflineMessage message, int offlineMax, Consumer<Result<Long>> then) implements Write {}

    record Broker(BrokerMessage message, Consumer<Result<Long>> then) implements Write {}

    /** A change to the MQTT rows; answered Ok(0) once committed. */
    record Mqtt(MqttWrite write, Consumer<Result<Long>> then) implements Write {}

    /** Deletes the rows of {@code ids} that are of {@code kind} ({@link Rows#PRIVATE} or {@link Rows#BROKER}). */
    record Delete(String kind, List<Long> ids) implements Write {}

    /** The writer's cue to drain what is left and stop; queued by {@link Store#close}. */
    record Stop() implements Write {}

    /** Who hears the outcome, or null. */
    default Consumer<Result<Long>> then() {
        return null;
    }
}
