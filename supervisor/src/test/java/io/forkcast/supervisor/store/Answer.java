package io.forkcast.supervisor.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A store callback a test can wait on: the first answer it is given, within a deadline. Thread-safe. */
public final class Answer<T> implements Consumer<Result<T>> {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final CompletableFuture<Result<T>> future = new CompletableFuture<>();

    @Override
    public void accept(Result<T> result) {
        future.complete(result);
    }

    public boolean done() {
        return future.isDone();
    }

    /** The answer, waiting at most 30 s for it. */
    public Result<T> get() throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The value of an Ok answer; fails with the answer otherwise. */
    public T ok() throws InterruptedException, ExecutionException, TimeoutException {
        var result = get();
        if (result instanceof Result.Ok<T>(var value)) {
            return value;
        }
        throw new AssertionError("the store answered " + result + ", not Ok");
    }
}
