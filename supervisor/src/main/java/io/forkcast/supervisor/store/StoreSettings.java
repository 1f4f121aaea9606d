package io.forkcast.supervisor.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the store and how patient to be with it: {@code url} is {@code none} or a JDBC url ({@code
 * jdbc:h2:...}, {@code jdbc:mariadb:...}, {@code jdbc:postgresql:...}); {@code user} and {@code password} may be
 * null (H2); {@code queueMax} bounds the writes waiting for a commit; a failed write is retried after {@code
 * retryFirst}, doubling up to {@code retryMax}; {@code historyKeep} lines of each room's history are kept (0: all).
 */
public record StoreSettings(
        String url,
        String user,
        String password,
        int queueMax,
        Duration retryFirst,
        Duration retryMax,
        int historyKeep) {
    public static final int DEFAULT_QUEUE_MAX = 10_000;
    public static final Duration DEFAULT_RETRY_FIRST = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
    /** history_keep's default: lines of each room's history kept in the store. */
    public static final int DEFAULT_HISTORY_KEEP = 10_000;

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(retryFirst, "retryFirst");
        Objects.requireNonNull(retryMax, "retryMax");
        if (queueMax < 1) {
            throw new IllegalArgumentException("store_queue_max must be at least 1: " + queueMax);
        }
        if (retryFirst.isNegative() || retryFirst.isZero()) {
            throw new IllegalArgumentException("store retry delay must be positive: " + retryFirst);
        }
        if (historyKeep < 0) {
            throw new IllegalArgumentException("history_keep must not be negative: " + historyKeep);
        }
        if (retryMax.compareTo(retryFirst) < 0) {
            throw new IllegalArgumentException(
                    "store retry maximum " + retryMax + " is shorter than the first retry " + retryFirst);
        }
    }

    /** {@code url} with the defaults for everything else. */
    public static StoreSettings of(String url, String user, String password) {
        return new StoreSettings(
                url, user, password, DEFAULT_QUEUE_MAX, DEFAULT_RETRY_FIRST, DEFAULT_RETRY_MAX, DEFAULT_HISTORY_KEEP);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "StoreSettings[url=" + Dialect.redact(url) + ", user=" + user + ", queueMax=" + queueMax
                + ", retryFirst=" + retryFirst + ", retryMax=" + retryMax + ", historyKeep=" + historyKeep + "]";
    }
}
