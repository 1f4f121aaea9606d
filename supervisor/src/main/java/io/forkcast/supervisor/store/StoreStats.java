package io.forkcast.supervisor.store;

/**
 * A snapshot of the store for STATS: its {@code state}; {@code database} ({@code h2}, {@code mariadb}, {@code
 * postgresql} or {@code none}); {@code queued} writes accepted but not yet committed; {@code committed} and {@code
 * failed} writes; {@code transactions} committed (committed / transactions is the mean batch); {@code refused}
 * writes and reads (queue full or store closed); {@code retries} of a failed transaction or connection; the
 * {@code lastError} seen (null if none).
 */
public record StoreStats(
        StoreState state,
        String database,
        int queued,
        long committed,
        long failed,
        long transactions,
        long refused,
        long retries,
        String lastError) {

    /** {@code store=up store_db=h2 store_queued=0 ...} for a STATS line or a log line. */
    public String fields() {
        return "store=" + state.word() + " store_db=" + database + " store_queued=" + queued + " store_committed="
                + committed + " store_failed=" + failed + " store_transactions=" + transactions + " store_refused="
                + refused + " store_retries=" + retries + " store_error="
                + io.forkcast.protocol.log.EventLog.quote(lastError);
    }
}
