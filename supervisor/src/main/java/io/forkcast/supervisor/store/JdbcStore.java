package io.forkcast.supervisor.store;

import io.forkcast.protocol.log.EventLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The store over JDBC: callers on any thread queue writes and reads; the {@link Writer} thread commits the writes
 * in batches, the {@link Reader} thread answers the reads, and every answer is posted to {@code onLoop}. The
 * queue is bounded by a count of writes accepted and not yet answered ({@code store_queue_max}), so a write that
 * waits for a lost database is still counted until it is committed.
 *
 * <pre>
 *   open ──▶ DOWN ──writer connected──▶ RECOVERING / UP ◀──▶ DOWN (see Health)
 *   close ──▶ new writes refused, STOP queued, writer drains for at most CLOSE_BOUND ──▶ closed
 * </pre>
 */
final class JdbcStore implements Store {
    /** How long close() lets the writer drain the queue before failing what is left. */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(2);

    final StoreSettings settings;
    final Dialect dialect;
    final EventLog log;
    final Health health;
    /** Writes for the writer; never more than settings.queueMax() of them (see queued), plus STOP. */
    final LinkedBlockingQueue<Write> writes = new LinkedBlockingQueue<>();
    /** Counted down by close(): cuts the writer's backoff short. */
    final CountDownLatch stop = new CountDownLatch(1);

    private final Executor onLoop;
    private final Reader reader;
    private final Writer writer;
    private final Thread readerThread;
    private final Thread writerThread;
    /** Writes accepted and not yet answered: in the queue or in the writer's current batch. */
    private final AtomicInteger queued = new AtomicInteger();

    private final LongAdder committed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder retries = new LongAdder();
    /** Set by close(); from then on writes and reads are refused. */
    private volatile boolean closed;
    /** System.nanoTime() past which a closing writer stops trying; set by close(). */
    private volatile long closeDeadlineNanos;

    private JdbcStore(StoreSettings settings, Dialect dialect, Executor onLoop, EventLog log) {
        this.settings = settings;
        this.dialect = dialect;
        this.onLoop = onLoop;
        this.log = log;
        this.health = new Health(log, dialect.word());
        this.reader = new Reader(this);
        this.writer = new Writer(this);
        this.writerThread = Thread.ofPlatform().daemon().name("store-writer").unstarted(writer);
        this.readerThread = Thread.ofPlatform().daemon().name("store-reader").unstarted(reader);
    }

    static JdbcStore start(StoreSettings settings, Dialect dialect, Executor onLoop, EventLog log) {
        var store = new JdbcStore(settings, dialect, onLoop, log);
        log.info("event=store_open db=" + dialect.word() + " url=" + EventLog.quote(Dialect.redact(settings.url()))
                + " queue_max=" + settings.queueMax());
        store.writerThread.start();
        store.readerThread.start();
        return store;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean appendLine(StoredLine line, Consumer<Result<Long>> then) {
        if (!reserve()) {
            return false;
        }
        writes.add(new Write.Append(line, then));
        return true;
    }

    @Override
    public void storeOffline(OfflineMessage message, int offlineMax, Consumer<Result<Long>> then) {
        if (!reserve()) {
            post(then, new Result.Refused<>());
            return;
        }
        writes.add(new Write.Offline(message, offlineMax, then));
    }

    @Override
    public void deleteOffline(List<Long> ids) {
        if (!ids.isEmpty() && reserve()) {
            writes.add(new Write.Delete(Rows.PRIVATE, List.copyOf(ids)));
        }
    }

    @Override
    public void storeBroker(BrokerMessage message, Consumer<Result<Long>> then) {
        if (!reserve()) {
            post(then, new Result.Refused<>());
            return;
        }
        writes.add(new Write.Broker(message, then));
    }

    @Override
    public void deleteBroker(List<Long> rowIds) {
        if (!rowIds.isEmpty() && reserve()) {
            writes.add(new Write.Delete(Rows.BROKER, List.copyOf(rowIds)));
        }
    }

    @Override
    public void mqtt(MqttWrite write, Consumer<Result<Long>> then) {
        if (!reserve()) {
            post(then, new Result.Refused<>());
            return;
        }
        writes.add(new Write.Mqtt(write, then));
    }

    @Override
    public void mqttState(Consumer<Result<MqttState>> then) {
        read(new Read.Mqtt(then), then);
    }

    @Override
    public void history(String room, int limit, Consumer<Result<List<StoredLine>>> then) {
        if (limit <= 0) {
            post(then, new Result.Ok<>(List.of()));
        } else {
            read(new Read.History(room, limit, then), then);
        }
    }

    @Override
    public void offlineFor(String user, Consumer<Result<List<OfflineMessage>>> then) {
        read(new Read.Offline(user, then), then);
    }

    @Override
    public void brokerWaiting(String channel, int limit, Consumer<Result<List<BrokerMessage>>> then) {
        if (limit <= 0) {
            post(then, new Result.Ok<>(List.of()));
        } else {
            read(new Read.Broker(channel, limit, then), then);
        }
    }

    private <T> void read(Read read, Consumer<Result<T>> then) {
        if (closed) {
            refused.increment();
            post(then, new Result.Refused<>());
        } else if (health.outage()) {
            post(then, new Result.Failed<>(downReason()));
        } else if (reader.queue.size() >= Reader.QUEUE_MAX || !reader.queue.offer(read)) {
            refused.increment();
            post(then, new Result.Refused<>());
        }
    }

    /** Takes a place in the write queue; false (and counted) if it is full or the store is closed. */
    private boolean reserve() {
        while (!closed) {
            int now = queued.get();
            if (now >= settings.queueMax()) {
                break;
            }
            if (queued.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        refused.increment();
        return false;
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(
                health.state(),
                dialect.word(),
                queued.get(),
                committed.sum(),
                failed.sum(),
                transactions.sum(),
                refused.sum(),
                retries.sum(),
                health.lastError());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + CLOSE_BOUND.toNanos();
        closed = true;
        writes.add(new Write.Stop());
        reader.queue.offer(new Read.Stop());
        stop.countDown();
        try {
            if (!writerThread.join(CLOSE_BOUND.plusSeconds(1))) {
                // A statement is stuck on a server that does not answer: cut it off.
                writer.abort();
                writerThread.interrupt();
                writerThread.join(Duration.ofSeconds(1));
            }
            readerThread.interrupt();
            readerThread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("event=store_closed db=" + dialect.word() + " " + stats().fields());
    }

    // ---- called by the writer and reader threads ----

    int queued() {
        return queued.get();
    }

    boolean pastCloseDeadline() {
        return nanosPastCloseDeadline() > 0;
    }

    long nanosPastCloseDeadline() {
        return System.nanoTime() - closeDeadlineNanos;
    }

    String downReason() {
        var error = health.lastError();
        return error == null ? "store not connected yet" : "store down: " + error;
    }

    void retried() {
        retries.increment();
    }

    /** The writes of a committed transaction: counted, their places freed, their answers posted in order. */
    void committed(List<Write> writesDone, List<Result<Long>> results) {
        queued.addAndGet(-writesDone.size());
        committed.add(writesDone.size());
        transactions.increment();
        health.answered(writesDone.size());
        for (int i = 0; i < writesDone.size(); i++) {
            post(writesDone.get(i).then(), results.get(i));
        }
    }

    /** Writes that will not be committed: counted, their places freed, each answered Failed(reason). */
    void failAll(List<Write> writesFailed, String reason) {
        queued.addAndGet(-writesFailed.size());
        failed.add(writesFailed.size());
        health.answered(writesFailed.size());
        for (var write : writesFailed) {
            post(write.then(), new Result.Failed<>(reason));
        }
    }

    /** Runs {@code then} with {@code result} on the loop; a loop that is gone is not an error here. */
    <T> void post(Consumer<Result<T>> then, Result<T> result) {
        if (then == null) {
            return;
        }
        try {
            onLoop.execute(() -> then.accept(result));
        } catch (RejectedExecutionException e) {
            // The loop has stopped: nobody is left to tell.
        }
    }
}
