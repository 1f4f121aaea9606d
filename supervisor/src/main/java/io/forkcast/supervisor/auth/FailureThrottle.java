package io.forkcast.supervisor.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consecutive failed logins per address and per user, and how long they slow the next attempt: the n-th failure
 * in a row costs {@code min(maxDelay, firstDelay * 2^(n-1))}, and the next check for that address or user does
 * not start before it has passed. A success forgets both; an entry with no failure for {@code forgetAfter} is
 * forgotten, and each table keeps at most {@code maxEntries} (the oldest failure goes first). Times are
 * {@code System.nanoTime()} values passed in. Not thread-safe: the {@link Authenticator} holds its lock.
 */
final class FailureThrottle {
    /** An address or user with failures: how many in a row, when the last was, and until when it waits. */
    private static final class Failures {
        int count;
        long lastNanos;
        long notBeforeNanos;
    }

    private final long firstNanos;
    private final long maxNanos;
    private final long forgetAfterNanos;
    private final int maxEntries;
    /** Address key -> failures; ordered by last failure, oldest first (an entry is re-inserted on each). */
    private final LinkedHashMap<String, Failures> byAddress = new LinkedHashMap<>();
    /** Nicknames.key(user) -> failures, likewise; also for names that have no account. */
    private final LinkedHashMap<String, Failures> byUser = new LinkedHashMap<>();

    FailureThrottle(Duration firstDelay, Duration maxDelay, int maxEntries) {
        this.firstNanos = firstDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
        this.forgetAfterNanos = Math.max(2 * maxNanos, 1);
        this.maxEntries = maxEntries;
    }

    /** The delay the {@code n}-th failure in a row costs. */
    long delayNanos(int n) {
        if (n <= 0 || firstNanos == 0) {
            return 0;
        }
        int shift = Math.min(n - 1, 62);
        return firstNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, firstNanos << shift);
    }

    /** When a check for {@code user} from {@code address} may start: at {@code now} or later. */
    long notBefore(String userKey, String addressKey, long nowNanos) {
        expire(nowNanos);
        long at = nowNanos;
        for (var f : new Failures[] {byAddress.get(addressKey), byUser.get(userKey)}) {
            if (f != null && f.notBeforeNanos - at > 0) {
                at = f.notBeforeNanos;
            }
        }
        return at;
    }

    /** Counts a failure at {@code now}; returns the delay it costs (the longer of the user's and the address's). */
    long failed(String userKey, String addressKey, long nowNanos) {
        expire(nowNanos);
        return Math.max(count(byAddress, addressKey, nowNanos), count(byUser, userKey, nowNanos));
    }

    /** A success: the user and the address start afresh. */
    void succeeded(String userKey, String addressKey) {
        byAddress.remove(addressKey);
        byUser.remove(userKey);
    }

    /** Consecutive failures counted for {@code addressKey}. */
    int addressFailures(String addressKey) {
        var f = byAddress.get(addressKey);
        return f == null ? 0 : f.count;
    }

    /** Consecutive failures counted for {@code userKey}. */
    int userFailures(String userKey) {
        var f = byUser.get(userKey);
        return f == null ? 0 : f.count;
    }

    /** Entries held in both tables. */
    int size() {
        return byAddress.size() + byUser.size();
    }

    private long count(Map<String, Failures> table, String key, long nowNanos) {
        var f = table.remove(key);
        if (f == null) {
            f = new Failures();
        }
        f.count = f.count == Integer.MAX_VALUE ? f.count : f.count + 1;
        f.lastNanos = nowNanos;
        long delay = delayNanos(f.count);
        f.notBeforeNanos = nowNanos + delay;
        table.put(key, f); // to the end: the table stays ordered by last failure
        if (table.size() > maxEntries) {
            Iterator<Map.Entry<String, Failures>> oldest = table.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return delay;
    }

    private void expire(long nowNanos) {
        for (var table : List.of(byAddress, byUser)) {
            for (var it = table.values().iterator(); it.hasNext(); ) {
                if (nowNanos - it.next().lastNanos < forgetAfterNanos) {
                    break; // ordered by last failure: the rest are newer
                }
                it.remove();
            }
        }
    }
}
