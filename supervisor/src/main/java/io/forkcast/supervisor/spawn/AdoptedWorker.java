package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker started by an earlier supervisor that reconnected to this one. It is not our child, so it is held by a
 * pidfd (Linux 5.3+): signals sent through it reach that process or nobody, never a later process that reused the
 * pid. Confined to the loop thread.
 */
public final class AdoptedWorker extends HeldProcess {
    private AdoptedWorker(long pid, int pidfd) {
        super(pid, pidfd);
    }

    /**
     * Takes hold of {@code pid} if it is a worker: a process whose command line runs {@code workerMain}. Returns
     * null (and holds nothing) otherwise.
     */
    public static AdoptedWorker open(long pid, String workerMain) {
        int fd = -1;
        try {
            fd = Pidfd.open(pid);
            // Read the command line after the pidfd is open: from here on the pid cannot change hands unnoticed.
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0", -1)) {
                if (arg.equals(workerMain)) {
                    return new AdoptedWorker(pid, fd);
                }
            }
        } catch (IOException e) {
            // Gone already, or not readable: not adoptable.
        }
        Pidfd.close(fd);
        return null;
    }
}
