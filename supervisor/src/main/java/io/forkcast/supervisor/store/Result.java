package io.forkcast.supervisor.store;

/**
 * What the store answers: {@link Ok} with the value (after COMMIT, for a write); {@link Full} when the
 * recipient's offline messages are at their cap; {@link Off} when storing is turned off ({@code store_url =
 * none}); {@link Refused} when the store's queue is full; {@link Failed} when the database could not do it.
 */
public sealed interface Result<T> {
    record Ok<T>(T value) implements Result<T> {}

    record Full<T>() implements Result<T> {}

    record Off<T>() implements Result<T> {}

    record Refused<T>() implements Result<T> {}

    record Failed<T>(String reason) implements Result<T> {}
}
