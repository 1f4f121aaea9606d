package io.forkcast.supervisor.spawn;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.config.Config;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jnr.posix.POSIX;
import jnr.posix.SpawnAttribute;
import jnr.posix.SpawnFileAction;

/**
 * Starts worker JVMs with {@code posix_spawnp}: the client socket becomes the worker's fd 0, its stdout goes
 * to the supervisor's stderr, and every other descriptor is closed in the child, so a worker never holds the
 * listening socket or another client's socket. Each worker gets a process group of its own, so a Ctrl-C at
 * the supervisor's terminal reaches the supervisor only. Called on the loop thread.
 */
public final class WorkerSpawner {
    /** Variables that describe the supervisor's own systemd context and must not leak into workers. */
    private static final Set<String> SUPERVISOR_ONLY_ENV = Set.of(
            "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID");

    private final POSIX posix;
    private final Reaper reaper;
    private final List<String> argvPrefix;
    private final List<String> spareArgv;
    private final List<String> environment;

    public WorkerSpawner(POSIX posix, Reaper reaper, Config config, Path hubSocket) {
        this.posix = posix;
        this.reaper = reaper;
        var argv = new ArrayList<String>();
        argv.add(config.workerJava());
        argv.addAll(config.workerJvmOptions());
        Path aotCache = config.workerAotCache();
        if (aotCache != null) {
            // A missing cache would make every worker JVM print errors; a stale one the JVM ignores by itself.
            if (Files.isReadable(aotCache)) {
                argv.add("-XX:AOTCache=" + aotCache.toAbsolutePath());
            } else {
                EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid()).warn(
                        "event=aot_cache state=missing path=" + EventLog.quote(aotCache.toString())
                                + " action=workers_start_without_it");
            }
        }
        argv.add("-cp");
        argv.add(config.workerClasspath());
        argv.add(config.workerMain());
        argv.add("--hub");
        argv.add(hubSocket.toAbsolutePath().toString());
        argv.add("--max-frame-bytes");
        argv.add(Integer.toString(config.maxFrameBytes()));
        argv.add("--hub-reconnect-timeout-ms");
        argv.add(Long.toString(config.hubReconnectTimeout().toMillis()));
        this.argvPrefix = List.copyOf(argv);
        argv.add("--spare");
        this.spareArgv = List.copyOf(argv);
        var env = new ArrayList<String>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (!SUPERVISOR_ONLY_ENV.contains(e.getKey())) {
                env.add(e.getKey() + "=" + e.getValue());
            }
        }
        this.environment = List.copyOf(env);
    }

    /** Thrown when the worker could not be started; the message says why. */
    public static final class SpawnException extends Exception {
        private static final long serialVersionUID = 1L;

        SpawnException(String message) {
            super(message);
        }
    }

    /** Starts a worker serving {@code client}; returns its pid. The caller still owns (and closes) client. */
    public long spawn(SocketChannel client) throws SpawnException {
        return start(SpawnFileAction.dup(Fds.of(client), 0), argvPrefix);
    }

    /** Starts a spare worker, with /dev/null as fd 0, that waits on the hub for a client; returns its pid. */
    public long spawnSpare() throws SpawnException {
        return start(SpawnFileAction.open("/dev/null", 0, 0, 0), spareArgv);
    }

    private long start(SpawnFileAction stdin, List<String> argv) throws SpawnException {
        var actions = new ArrayList<SpawnFileAction>();
        actions.add(stdin);
        actions.add(SpawnFileAction.dup(2, 1));
        try {
            for (int fd : Fds.open()) {
                if (fd > 2) {
                    // Closing a descriptor that another thread closed meanwhile is harmless in the child.
                    actions.add(SpawnFileAction.close(fd));
                }
            }
        } catch (IOException e) {
            throw new SpawnException("cannot list open descriptors: " + e.getMessage());
        }
        var attributes = List.of(SpawnAttribute.flags((short) SpawnAttribute.SETPGROUP), SpawnAttribute.pgroup(0));
        long pid = posix.posix_spawnp(argv.get(0), actions, attributes, argv, environment);
        if (pid <= 0) {
            throw new SpawnException("posix_spawnp " + argv.get(0) + " failed: errno=" + posix.errno());
        }
        reaper.spawned();
        return pid;
    }
}
