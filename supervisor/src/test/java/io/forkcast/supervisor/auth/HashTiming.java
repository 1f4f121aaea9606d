package io.forkcast.supervisor.auth;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Prints how long one check of each hash shape takes on this machine, wall clock and the thread's CPU time
 * (median and spread of 20, after 5 to warm up), for docs/benchmarks.md. Not a test: run it by hand with the
 * supervisor's test classpath; the CPU figure holds when other work shares the cores, the wall clock does not.
 */
final class HashTiming {
    private HashTiming() {}

    public static void main(String[] args) throws Exception {
        String[][] shapes = {
            {"B", "-C", "10"}, {"B", "-C", "5"}, {"m"}, {"2"}, {"5"}, {"s"},
        };
        for (String[] shape : shapes) {
            String flags = shape[0];
            String[] extra = Arrays.copyOfRange(shape, 1, shape.length);
            String line = Htpasswd.line(flags, "alice", "correct horse", extra);
            var hash = HashFormat.parse(line.substring(line.indexOf(':') + 1)).hash();
            var cpu = ManagementFactory.getThreadMXBean();
            long[] nanos = new long[20];
            long[] cpuNanos = new long[20];
            for (int i = -5; i < nanos.length; i++) {
                byte[] password = Authenticator.utf8("correct horse".toCharArray());
                long startCpu = cpu.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                boolean ok = hash.matches(password);
                long took = System.nanoTime() - start;
                long tookCpu = cpu.getCurrentThreadCpuTime() - startCpu;
                if (!ok) {
                    throw new AssertionError("no match for " + hash.shape());
                }
                if (i >= 0) {
                    nanos[i] = took;
                    cpuNanos[i] = tookCpu;
                }
            }
            Arrays.sort(nanos);
            Arrays.sort(cpuNanos);
            System.out.printf(
                    "%-20s wall median %8.2f ms (min %8.2f, max %8.2f)  cpu median %8.2f ms (min %8.2f)%n",
                    hash.shape(),
                    nanos[10] / 1e6,
                    nanos[0] / 1e6,
                    nanos[19] / 1e6,
                    cpuNanos[10] / 1e6,
                    cpuNanos[0] / 1e6);
        }
    }
}
