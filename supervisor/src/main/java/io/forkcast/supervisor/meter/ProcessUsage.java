package io.forkcast.supervisor.meter;

/**
 * What one process cost when it was last sampled, as the kernel counts it. A figure the kernel would not give
 * (another user's process, a kernel without {@code smaps_rollup}) is -1. Immutable.
 *
 * @param cpuMillis CPU time used since the process started, user and system, in milliseconds
 * @param cpuPercent CPU used between the last two samples, in percent of one core as {@code top} shows it; 0 after
 *     the first sample
 * @param rssBytes resident memory, shared pages counted in full
 * @param pssBytes proportional resident memory: each shared page divided among the processes that map it
 * @param threads threads the process runs
 * @param fds descriptors it has open
 * @param sampledAtNanos when it was sampled ({@link System#nanoTime()})
 */
public record ProcessUsage(
        long pid,
        long cpuMillis,
        double cpuPercent,
        long rssBytes,
        long pssBytes,
        int threads,
        int fds,
        long sampledAtNanos) {

    /** CPU time as seconds with two decimals, as LIST and TOP show it: {@code 1.25}. */
    public String cpuSeconds() {
        return String.format(java.util.Locale.ROOT, "%d.%02d", cpuMillis / 1000, (cpuMillis % 1000) / 10);
    }

    /** The CPU share with one decimal: {@code 12.5}. */
    public String cpuPercentText() {
        return String.format(java.util.Locale.ROOT, "%.1f", cpuPercent);
    }
}
