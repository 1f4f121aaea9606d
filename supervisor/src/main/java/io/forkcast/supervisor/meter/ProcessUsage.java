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
        long hundredths = cpuMillis / 10;
        return hundredths / 100 + "." + Long.toString(100 + hundredths % 100).substring(1);
    }

    /** The CPU share with one decimal: {@code 12.5}. */
    public String cpuPercentText() {
        // No Formatter: LIST JSON formats a thousand of these on the loop thread.
        long tenths = Math.round(Math.max(0, cpuPercent) * 10);
        return tenths / 10 + "." + tenths % 10;
    }
}
