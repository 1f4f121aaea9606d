package io.forkcast.supervisor.spawn;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.front.FrontDoorKind;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jnr.posix.POSIX;
import jnr.posix.SpawnAttribute;
import jnr.posix.SpawnFileAction;

/**
 * Starts worker JVMs with {@code posix_spawnp}: the client socket becomes the worker's fd 0, its fd 1 and 2 go to
 * a pipe the loop reads ({@link WorkerOutput}: what the JVM prints before the worker runs, such as a bad option),
 * the supervisor's own stderr becomes its fd 3 ({@code --log-fd 3}), and every other descriptor is closed in the
 * child, so a worker never holds the listening socket or another client's socket. Each worker gets a process group
 * of its own, so a Ctrl-C at the supervisor's terminal reaches the supervisor only. Called on the loop thread.
 *
 * <p>The child closes everything from fd 4 up itself ({@link PosixSpawn}, one close_range): a spawn costs the same
 * with 10 or 1000 clients. The JDK marks almost none of its descriptors close-on-exec (sockets, pipes, jars and
 * the selector's eventfd all lack it; measured on JDK 25), so marking ours would not be enough. Where libc cannot
 * close from a number up, the spawner lists /proc/self/fd and adds one close action per descriptor, as before.
 */
public final class WorkerSpawner {
    /** Variables that describe the supervisor's own systemd context and must not leak into workers. */
    private static final Set<String> SUPERVISOR_ONLY_ENV =
            Set.of("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID");

    /** The descriptor a worker finds the supervisor's stderr on. */
    static final int LOG_FD = 3;

    /** For {@link #start}: a spare, with no client yet. */
    private static final int NO_CLIENT = -1;

    /** What the worker's Main needs to reach FileDescriptor's fd for {@code --log-fd}. */
    static final String OPEN_JAVA_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";

    /** A worker just started: its pid, and the read end of the pipe its fd 1 and 2 write to. */
    public record Spawned(long pid, WorkerOutput output) {}

    private final POSIX posix;
    private final Reaper reaper;
    /** The client kind every worker started here serves. */
    private final FrontDoorKind kind;

    private final List<String> argvPrefix;
    private final List<String> spareArgv;
    /** The kinds a spare may be handed, but its own: what {@code --warm} chooses from. */
    private final List<String> otherKinds;

    private final List<String> environment;

    public WorkerSpawner(POSIX posix, Reaper reaper, Config config, Path hubSocket, FrontDoorKind kind) {
        this(posix, reaper, config, hubSocket, kind, List.of(kind));
    }

    /**
     * A spawner whose spares start as {@code kind} workers and may be handed a client of any of {@code served}:
     * they are started with the flags of every one.
     */
    public WorkerSpawner(
            POSIX posix, Reaper reaper, Config config, Path hubSocket, FrontDoorKind kind, List<FrontDoorKind> served) {
        this.posix = posix;
        this.reaper = reaper;
        this.kind = kind;
        var argv = new ArrayList<String>();
        argv.add(config.workerJava());
        argv.addAll(config.workerJvmOptions());
        argv.add(OPEN_JAVA_IO);
        Path aotCache = config.workerAotCache();
        if (aotCache != null) {
            // A missing cache would make every worker JVM print errors; a stale one the JVM ignores by itself.
            if (Files.isReadable(aotCache)) {
                argv.add("-XX:AOTCache=" + aotCache.toAbsolutePath());
            } else {
                EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid())
                        .warn("event=aot_cache state=missing path=" + EventLog.quote(aotCache.toString())
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
        argv.add("--idle-timeout-ms");
        argv.add(Long.toString(config.idleTimeout().toMillis()));
        argv.add("--flood-bytes-per-second");
        argv.add(Integer.toString(config.floodBytesPerSecond()));
        argv.add("--flood-bytes-burst");
        argv.add(Integer.toString(config.floodBytesBurst()));
        argv.add("--log-fd");
        argv.add(Integer.toString(LOG_FD));
        this.argvPrefix = List.copyOf(argv);
        argv.addAll(kindArguments(kind));
        var others = new ArrayList<String>();
        for (var other : served) {
            if (!other.name().equals(kind.name())) {
                argv.addAll(other.workerArguments());
                others.add(other.name());
            }
        }
        argv.add("--spare");
        if (!config.pool().warmup()) {
            argv.add("--warmup");
            argv.add("off");
        }
        this.spareArgv = List.copyOf(argv);
        this.otherKinds = List.copyOf(others);
        var env = new ArrayList<String>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (!SUPERVISOR_ONLY_ENV.contains(e.getKey())) {
                env.add(e.getKey() + "=" + e.getValue());
            }
        }
        this.environment = List.copyOf(env);
    }

    /** The client kind the workers started here serve. */
    public FrontDoorKind kind() {
        return kind;
    }

    /** Thrown when the worker could not be started; the message says why. */
    public static final class SpawnException extends Exception {
        private static final long serialVersionUID = 1L;

        SpawnException(String message) {
            super(message);
        }
    }

    /** Starts a worker serving {@code client}, of the pool's kind. The caller still owns (and closes) client. */
    public Spawned spawn(SocketChannel client) throws SpawnException {
        return spawn(client, kind);
    }

    /** Starts a worker serving {@code client}, a client of {@code clientKind}. The caller still owns client. */
    public Spawned spawn(SocketChannel client, FrontDoorKind clientKind) throws SpawnException {
        var argv = new ArrayList<>(argvPrefix);
        argv.addAll(kindArguments(clientKind));
        return start(Fds.of(client), argv);
    }

    private static List<String> kindArguments(FrontDoorKind kind) {
        var argv = new ArrayList<String>();
        argv.add("--kind");
        argv.add(kind.name());
        argv.addAll(kind.workerArguments());
        return argv;
    }

    /** Starts a spare worker, with /dev/null as fd 0, that waits on the hub for a client; it warms every kind. */
    public Spawned spawnSpare() throws SpawnException {
        return spawnSpare(kind -> true);
    }

    /**
     * Starts a spare that warms the paths of its own kind and of the other kinds {@code warm} accepts
     * ({@code --warm}); it can still be handed a client of any kind, whose first moments then run colder.
     */
    public Spawned spawnSpare(Predicate<String> warm) throws SpawnException {
        var argv = new ArrayList<>(spareArgv);
        argv.add("--warm");
        argv.add(String.join(",", otherKinds.stream().filter(warm).toList()));
        return start(NO_CLIENT, argv);
    }

    /** {@code clientFd} becomes the child's fd 0; {@link #NO_CLIENT}: /dev/null does. */
    private Spawned start(int clientFd, List<String> argv) throws SpawnException {
        Pipe pipe;
        try {
            pipe = Pipe.open();
        } catch (IOException e) {
            throw new SpawnException("cannot open a pipe for the worker's output: " + e.getMessage());
        }
        boolean started = false;
        try {
            long pid = PosixSpawn.available()
                    ? spawnClosingFrom(clientFd, Fds.of(pipe.sink()), argv)
                    : spawnListingFds(clientFd, Fds.of(pipe.sink()), argv);
            reaper.spawned();
            started = true;
            return new Spawned(pid, new WorkerOutput(pipe.source(), System.err));
        } catch (IOException e) {
            throw new SpawnException("cannot list open descriptors: " + e.getMessage());
        } finally {
            // The child has its own copy of the write end: ours must go, or the loop never sees the pipe's end.
            closeQuietly(pipe.sink());
            if (!started) {
                closeQuietly(pipe.source());
            }
        }
    }

    private long spawnClosingFrom(int clientFd, int pipeFd, List<String> argv) throws SpawnException {
        var actions = new ArrayList<PosixSpawn.FileAction>();
        actions.add(clientFd == NO_CLIENT ? new PosixSpawn.Open("/dev/null", 0, 0) : new PosixSpawn.Dup(clientFd, 0));
        // In this order whatever number the pipe got: fd 1 first, then our stderr saved as fd 3, then fd 2.
        actions.add(new PosixSpawn.Dup(pipeFd, 1));
        actions.add(new PosixSpawn.Dup(2, LOG_FD));
        actions.add(new PosixSpawn.Dup(1, 2));
        long pid;
        try {
            pid = PosixSpawn.spawnp(actions, LOG_FD + 1, PosixSpawn.SETPGROUP, argv, environment);
        } catch (IllegalStateException e) {
            throw new SpawnException(e.getMessage());
        }
        if (pid <= 0) {
            throw new SpawnException("posix_spawnp " + argv.get(0) + " failed: errno=" + -pid);
        }
        return pid;
    }

    /** Without addclosefrom_np: one close action per descriptor open now, O(clients) per spawn. */
    private long spawnListingFds(int clientFd, int pipeFd, List<String> argv) throws SpawnException, IOException {
        var actions = new ArrayList<SpawnFileAction>();
        actions.add(
                clientFd == NO_CLIENT ? SpawnFileAction.open("/dev/null", 0, 0, 0) : SpawnFileAction.dup(clientFd, 0));
        actions.add(SpawnFileAction.dup(pipeFd, 1));
        actions.add(SpawnFileAction.dup(2, LOG_FD));
        actions.add(SpawnFileAction.dup(1, 2));
        for (int fd : Fds.open()) {
            if (fd > LOG_FD) {
                // Closing a descriptor that another thread closed meanwhile is harmless in the child.
                actions.add(SpawnFileAction.close(fd));
            }
        }
        var attributes = List.of(SpawnAttribute.flags((short) SpawnAttribute.SETPGROUP), SpawnAttribute.pgroup(0));
        long pid = posix.posix_spawnp(argv.get(0), actions, attributes, argv, environment);
        if (pid <= 0) {
            throw new SpawnException("posix_spawnp " + argv.get(0) + " failed: errno=" + posix.errno());
        }
        return pid;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // One end of a pipe we no longer need.
        }
    }
}
