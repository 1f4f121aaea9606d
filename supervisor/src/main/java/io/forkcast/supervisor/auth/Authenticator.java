package io.forkcast.supervisor.auth;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.Nicknames;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Checks passwords off the loop: on a small bounded pool, with failures slowed per address and per user
 * ({@link FailureThrottle}), and each verdict handed to the loop's executor. {@link #verify} is called on the
 * loop thread and never blocks it; the pool and one timer thread do the rest.
 *
 * <pre>
 *  verify ─┬─▶ refused: queue or address share full, or closed ─────────────────────▶ then(BUSY)
 *          └─▶ waiting ─────▶ queued ──▶ checking ─┬─▶ OK ──────────────────────────▶ then(OK)
 *              (timer, until  (pool)     (pool)    └─▶ failed, counted ──▶ held ─────▶ then(BAD_PASSWORD |
 *              the address's                            (timer, until asked + its delay)    UNKNOWN_USER)
 *              and the user's delays pass)
 *  close: every pending check is dropped, its password wiped, its then never run
 * </pre>
 */
public final class Authenticator implements AutoCloseable {
    /** Addresses and users whose failures are remembered, each. */
    static final int THROTTLE_ENTRIES_MAX = 10_000;

    /**
     * {@code threads} check passwords; at most {@code queueMax} checks are pending (waiting, queued, checking or
     * held) at once, and one address key holds at most a quarter of them. The n-th failure in a row slows the
     * next attempt by {@code min(maxDelay, firstDelay * 2^(n-1))}.
     */
    public record Settings(int threads, int queueMax, Duration firstDelay, Duration maxDelay) {
        public Settings {
            if (threads < 1 || queueMax < 1) {
                throw new IllegalArgumentException(
                        "threads=" + threads + " queueMax=" + queueMax + ": each must be at least 1");
            }
            if (firstDelay.isNegative()
                    || maxDelay.compareTo(firstDelay) < 0
                    || maxDelay.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("delays need 0 <= firstDelay <= maxDelay <= 1 day: "
                        + firstDelay.toMillis() + " ms, " + maxDelay.toMillis() + " ms");
            }
        }

        public static Settings defaults() {
            return new Settings(2, 64, Duration.ofMillis(500), Duration.ofSeconds(30));
        }

        int perAddressMax() {
            return Math.max(1, queueMax / 4);
        }
    }

    /** {@code user}: the file's spelling when OK, otherwise as given. */
    public record Verdict(String user, Outcome outcome) {}

    public enum Outcome {
        OK,
        BAD_PASSWORD,
        UNKNOWN_USER,
        /** Too many checks pending; nothing was checked. */
        BUSY
    }

    /** Checks that succeeded, failed (bad password or unknown user) and were refused as BUSY; pending now. */
    public record Stats(long ok, long failed, long busy, int pending) {}

    /** One accepted check, from verify to its verdict. */
    private final class Check implements Runnable {
        final String user;
        final String userKey;
        final String peer;
        final String addressKey;
        final char[] password;
        final Consumer<Verdict> then;
        final UsersFile file;
        final long acceptedNanos;

        Check(String user, char[] password, String peer, String addressKey, Consumer<Verdict> then) {
            this.user = user;
            this.userKey = Nicknames.key(user);
            this.password = password;
            this.peer = peer;
            this.addressKey = addressKey;
            this.then = then;
            this.file = users; // in-flight checks finish on the file they started with
            this.acceptedNanos = clock.getAsLong();
        }

        /** On the timer or the caller's thread: to the pool once the throttle lets it start. */
        @Override
        public void run() {
            long now = clock.getAsLong();
            long at;
            synchronized (lock) {
                at = throttle.notBefore(userKey, addressKey, now);
            }
            if (at - now > 0) {
                var _ = timer.schedule(this, at - now, TimeUnit.NANOSECONDS);
            } else {
                pool.execute(this::check);
            }
        }

        /** On a pool thread. */
        void check() {
            Outcome outcome;
            byte[] bytes = utf8(password);
            Arrays.fill(password, '\0');
            try {
                var hash = file.hash(user);
                if (hash.isPresent()) {
                    outcome = hash.get().matches(bytes) ? Outcome.OK : Outcome.BAD_PASSWORD;
                } else {
                    file.decoy().matches(bytes); // costs what a real check costs; the answer is the same
                    outcome = Outcome.UNKNOWN_USER;
                }
            } catch (RuntimeException e) { // a library's surprise must not leave the check pending for good
                warn.accept("event=login_check_error user=" + EventLog.quote(user) + " error="
                        + EventLog.quote(e.getClass().getName()));
                outcome = Outcome.BAD_PASSWORD;
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            long now = clock.getAsLong();
            if (outcome == Outcome.OK) {
                synchronized (lock) {
                    throttle.succeeded(userKey, addressKey);
                }
                ok.incrementAndGet();
                deliver(this, new Verdict(file.canonical(user).orElse(user), outcome));
                return;
            }
            long delay;
            synchronized (lock) {
                delay = throttle.failed(userKey, addressKey, now);
            }
            failed.incrementAndGet();
            warn.accept("event=login_failed user=" + EventLog.quote(user) + " peer=" + EventLog.quote(peer) + " reason="
                    + (outcome == Outcome.UNKNOWN_USER ? "unknown_user" : "bad_password") + " delay_ms="
                    + TimeUnit.NANOSECONDS.toMillis(delay));
            long wait = acceptedNanos + delay - now;
            var verdict = new Verdict(user, outcome);
            if (wait > 0) {
                var _ = timer.schedule(() -> deliver(this, verdict), wait, TimeUnit.NANOSECONDS);
            } else {
                deliver(this, verdict);
            }
        }
    }

    private final Executor onLoop;
    private final Consumer<String> warn;
    private final Settings settings;
    private final LongSupplier clock;
    /** The file new checks use; replaced by the loop after a reload. */
    private volatile UsersFile users;
    /** Runs the checks: {@code threads} threads, a queue as long as {@code queueMax}. */
    private final ThreadPoolExecutor pool;
    /** Starts throttled checks and delivers held failures when their time comes. */
    private final ScheduledThreadPoolExecutor timer;
    /** Guards {@link #throttle}, {@link #pending} and {@link #pendingByAddress}. */
    private final Object lock = new Object();

    private final FailureThrottle throttle;
    /** Checks accepted and not yet answered; their passwords are wiped if the authenticator closes first. */
    private final Set<Check> pending = new HashSet<>();
    /** Address key -> its checks in {@link #pending}. */
    private final Map<String, Integer> pendingByAddress = new HashMap<>();

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private volatile boolean closed;

    public Authenticator(UsersFile users, Executor onLoop, EventLog log, Settings settings) {
        this(users, onLoop, log::warn, settings, System::nanoTime);
    }

    Authenticator(UsersFile users, Executor onLoop, Consumer<String> warn, Settings settings, LongSupplier clock) {
        this.users = Objects.requireNonNull(users);
        this.onLoop = Objects.requireNonNull(onLoop);
        this.warn = warn;
        this.settings = settings;
        this.clock = clock;
        this.throttle = new FailureThrottle(settings.firstDelay(), settings.maxDelay(), THROTTLE_ENTRIES_MAX);
        this.pool = new ThreadPoolExecutor(
                settings.threads(),
                settings.threads(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueMax()),
                Thread.ofPlatform().name("forkcast-auth-", 1).daemon().factory());
        this.timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("forkcast-auth-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
    }

    /** New checks use {@code users}; checks already accepted finish on the file they started with. */
    public void replace(UsersFile users) {
        this.users = Objects.requireNonNull(users);
    }

    public UsersFile users() {
        return users;
    }

    /**
     * Checks {@code password} for {@code user}; {@code then} runs on {@code onLoop} with the verdict, always
     * later, never on the caller's thread. {@code password} is wiped once checked (or refused). {@code peer}
     * ({@code ip:port}) is for the log; {@code addressKey} (the address, or its /64) is what failures are
     * counted by.
     */
    public void verify(String user, char[] password, String peer, String addressKey, Consumer<Verdict> then) {
        Objects.requireNonNull(user);
        Objects.requireNonNull(password);
        Objects.requireNonNull(then);
        Check check;
        synchronized (lock) {
            if (closed
                    || pending.size() >= settings.queueMax()
                    || pendingByAddress.getOrDefault(addressKey, 0) >= settings.perAddressMax()) {
                check = null;
            } else {
                check = new Check(user, password, peer, addressKey, then);
                pending.add(check);
                pendingByAddress.merge(addressKey, 1, Integer::sum);
            }
        }
        if (check == null) {
            Arrays.fill(password, '\0');
            busy.incrementAndGet();
            warn.accept("event=login_failed user=" + EventLog.quote(user) + " peer=" + EventLog.quote(peer)
                    + " reason=busy");
            post(then, new Verdict(user, Outcome.BUSY));
            return;
        }
        try {
            check.run();
        } catch (RejectedExecutionException e) { // closed meanwhile
            forget(check);
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(ok.get(), failed.get(), busy.get(), pending.size());
        }
    }

    /** Stops the threads; checks still pending are dropped (their {@code then} never runs, passwords wiped). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (var c : pending) {
                Arrays.fill(c.password, '\0');
            }
            pending.clear();
            pendingByAddress.clear();
        }
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private void deliver(Check check, Verdict verdict) {
        if (forget(check)) {
            post(check.then, verdict);
        }
    }

    /** Takes {@code check} out of the pending set; false if close() already did. */
    private boolean forget(Check check) {
        synchronized (lock) {
            if (!pending.remove(check)) {
                return false;
            }
            pendingByAddress.computeIfPresent(check.addressKey, (k, n) -> n == 1 ? null : n - 1);
            return true;
        }
    }

    private void post(Consumer<Verdict> then, Verdict verdict) {
        try {
            onLoop.execute(() -> then.accept(verdict));
        } catch (RejectedExecutionException e) {
            // the loop has stopped: nobody is waiting for this verdict
        }
    }

    /** {@code password} as UTF-8; the buffer it is encoded in is wiped. Unpaired surrogates become '?'. */
    static byte[] utf8(char[] password) {
        var out = ByteBuffer.allocate(password.length * 3); // UTF-8 needs at most 3 bytes a char
        var encoder = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        encoder.encode(CharBuffer.wrap(password), out, true);
        encoder.flush(out);
        byte[] bytes = Arrays.copyOf(out.array(), out.position());
        Arrays.fill(out.array(), (byte) 0);
        return bytes;
    }
}
