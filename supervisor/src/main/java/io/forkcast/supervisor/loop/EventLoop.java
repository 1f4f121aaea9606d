package io.forkcast.supervisor.loop;

import io.forkcast.protocol.log.EventLog;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The loop, like a prefork arbiter's run(): wait for I/O or an event, take every event posted, dispatch every ready
 * key to its {@link KeyHandler}, run housekeeping when the {@link Ticker} says so, end the turn. A RuntimeException
 * costs the event or key it came from, never the loop. Runs on the thread that calls {@link #run}; {@link #post} is
 * safe from any thread.
 *
 * <pre>
 *   run: [select] -> events -> ready keys -> tick (every 100 ms) -> end of turn (acks, writes) -> [select] ...
 *        until the owner says it is finished
 * </pre>
 */
public final class EventLoop {
    /** Housekeeping period: timers here are seconds, so a tenth of one is fine and costs nothing when idle. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What the loop runs. Called on the loop thread. */
    public interface Owner {
        void onEvent(Event event);

        /** A key whose attachment is no {@link KeyHandler} (the admin socket's). */
        void onOtherKey(SelectionKey key);

        /** Housekeeping, at a fixed rate. */
        void onTick(long nowNanos);

        /** After the turn's events, keys and tick: what must happen once per turn (acks, writes). */
        void endOfTurn(long nowNanos);

        /** The longest the loop may wait for I/O now, in milliseconds. */
        long maxWaitMillis();

        /** True once the loop should return. */
        boolean finished();
    }

    private final Selector selector;
    private final EventLog log;
    /** Events posted by other threads, taken by the loop on its next turn. */
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();

    private final Ticker ticker = new Ticker(TICK_NANOS, System.nanoTime());

    public EventLoop(EventLog log) throws IOException {
        this.selector = Selector.open();
        this.log = log;
    }

    /** The selector every channel of the loop registers with. */
    public Selector selector() {
        return selector;
    }

    /** Hands an event to the loop; safe from any thread. */
    public void post(Event event) {
        events.add(event);
        selector.wakeup();
    }

    /** Runs turns until {@code owner} is finished, then closes the selector. */
    public void run(Owner owner) throws IOException {
        while (!owner.finished()) {
            long now = System.nanoTime();
            selector.select(Math.min(ticker.millisUntilNext(now), owner.maxWaitMillis()));
            Event event;
            while ((event = events.poll()) != null) {
                try {
                    owner.onEvent(event);
                } catch (RuntimeException e) {
                    log.error("event=relay_error on=" + event + " error=" + EventLog.quote(e.toString()));
                }
            }
            for (var key : selector.selectedKeys()) {
                dispatch(owner, key);
            }
            selector.selectedKeys().clear();
            now = System.nanoTime();
            if (ticker.due(now)) {
                owner.onTick(now);
            }
            owner.endOfTurn(now);
        }
        selector.close();
    }

    private void dispatch(Owner owner, SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        try {
            if (attachment instanceof KeyHandler handler) {
                handler.onReady(key);
            } else {
                owner.onOtherKey(key);
            }
        } catch (RuntimeException e) {
            log.error("event=relay_error on=" + attachment + " error=" + EventLog.quote(e.toString()));
            if (attachment instanceof KeyHandler handler) {
                handler.onFailure(e);
            }
        }
    }
}
