package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts the supervisor that takes over from this one in a planned restart (nginx's and unicorn's binary
 * upgrade): the launcher again, with the arguments this supervisor was started with, so that it runs whatever is
 * installed now. It inherits the listeners from fd 3 on with {@code LISTEN_FDS} and {@code LISTEN_FDNAMES} (the
 * socket-activation protocol, so it serves the same sockets and binds nothing: the chat port, then the broker port
 * if there is one), the write end of a pipe on the next fd ({@code FORKCAST_HANDOVER_FD} names it), where it writes
 * {@code READY <pid>} once it serves, and this process's stdout and stderr. A thread reads the
 * pipe and reports the outcome once: the new pid, or -1 when the successor closed the pipe without a word (it
 * failed to start). Called on the loop thread; the report comes on the pipe's thread.
 */
public final class Successor {
    public static final String HANDOVER_FD_VARIABLE = "FORKCAST_HANDOVER_FD";
    /** Set by the launcher: itself, so that a successor runs the launcher again (and the jars installed now). */
    public static final String LAUNCHER_VARIABLE = "FORKCAST_LAUNCHER";
    /** Set by the launcher: how many of the supervisor's arguments are the ones `run` was given. */
    public static final String ARGC_VARIABLE = "FORKCAST_RUN_ARGC";

    private static final int LISTEN_FD = 3;
    /** Sets the pids the socket-activation protocol wants to the successor's own: the shell's, kept by exec. */
    private static final String SHELL = "LISTEN_PID=$$; export LISTEN_PID; "
            + "if [ -n \"${WATCHDOG_USEC:-}\" ]; then WATCHDOG_PID=$$; export WATCHDOG_PID; fi; exec \"$@\"";

    private Successor() {}

    /**
     * The command line of a successor: the launcher with {@code run} and the arguments it was given, when the
     * launcher started this supervisor; otherwise this JVM's own command line.
     */
    public static List<String> commandLine(Map<String, String> env, List<String> ownArgs) throws IOException {
        String launcher = env.get(LAUNCHER_VARIABLE);
        String argc = env.get(ARGC_VARIABLE);
        if (launcher != null && argc != null) {
            int count;
            try {
                count = Integer.parseInt(argc.strip());
            } catch (NumberFormatException e) {
                throw new IOException(ARGC_VARIABLE + " is not a number: " + argc);
            }
            var command = new ArrayList<String>(List.of(launcher, "run"));
            command.addAll(ownArgs.subList(Math.max(0, ownArgs.size() - count), ownArgs.size()));
            return command;
        }
        byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        var own = new String(cmdline, StandardCharsets.UTF_8);
        return List.of(
                own.substring(0, own.length() - (own.endsWith("\0") ? 1 : 0)).split("\0", -1));
    }

    /**
     * Spawns the successor running {@code command} with {@code listeners} (in order, each with its systemd name)
     * as its listeners; {@code outcome} later gets its pid once it serves, or -1 if it failed. Returns the
     * successor's pid.
     */
    public static long start(
            List<Named> listeners, List<String> command, Map<String, String> env, Reaper reaper, Consumer<Long> outcome)
            throws IOException {
        var pipe = Pipe.open();
        long pid;
        try {
            var sources = new ArrayList<Integer>();
            for (var listener : listeners) {
                sources.add(Fds.of(listener.channel()));
            }
            sources.add(Fds.of(pipe.sink()));
            int handoverFd = LISTEN_FD + listeners.size();
            // Through numbers above every source and target, so that no dup2 overwrites another's source.
            int spare =
                    Math.max(sources.stream().mapToInt(Integer::intValue).max().orElse(0), handoverFd) + 1;
            var actions = new ArrayList<PosixSpawn.FileAction>();
            actions.add(new PosixSpawn.Open("/dev/null", 0, 0));
            for (int i = 0; i < sources.size(); i++) {
                actions.add(new PosixSpawn.Dup(sources.get(i), spare + i));
            }
            for (int i = 0; i < sources.size(); i++) {
                actions.add(new PosixSpawn.Dup(spare + i, LISTEN_FD + i));
            }
            var argv = new ArrayList<String>(List.of("/bin/sh", "-c", SHELL, "forkcast-successor"));
            argv.addAll(command);
            var environment = new ArrayList<String>();
            for (var e : env.entrySet()) {
                if (!e.getKey().equals("LISTEN_FDNAMES") && !e.getKey().equals("LISTEN_FDS")) {
                    environment.add(e.getKey() + "=" + e.getValue());
                }
            }
            environment.add("LISTEN_FDS=" + listeners.size());
            environment.add("LISTEN_FDNAMES="
                    + String.join(":", listeners.stream().map(Named::name).toList()));
            environment.add(HANDOVER_FD_VARIABLE + "=" + handoverFd);
            pid = PosixSpawn.spawnp(actions, handoverFd + 1, (short) 0, argv, environment);
            if (pid <= 0) {
                throw new IOException("posix_spawnp /bin/sh failed: errno=" + -pid);
            }
            reaper.spawned();
        } catch (IOException | RuntimeException e) {
            pipe.source().close();
            throw e;
        } finally {
            // The successor holds its own copy: ours must go, or its failure never shows as the pipe's end.
            pipe.sink().close();
        }
        long successor = pid;
        Thread.ofPlatform().daemon().name("successor-" + pid).start(() -> outcome.accept(readReady(pipe, successor)));
        return pid;
    }

    /** The pid the successor wrote as {@code READY <pid>}, or -1 if the pipe ended first. */
    private static long readReady(Pipe pipe, long expected) {
        var buffer = ByteBuffer.allocate(64);
        try (var source = pipe.source()) {
            while (buffer.hasRemaining() && source.read(buffer) >= 0) {
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                if (text.endsWith("\n")) {
                    return text.strip().equals("READY " + expected) ? expected : -1;
                }
            }
        } catch (IOException e) {
            // The pipe broke: as good as no word from the successor.
        }
        return -1;
    }

    /**
     * On the successor's side, once it serves: tells the supervisor that started it, when there is one, by writing
     * {@code READY <pid>} to the pipe it inherited. Returns true when it did.
     */
    public static boolean tellPredecessor(Map<String, String> env, long pid) {
        int fd = handoverFd(env);
        if (fd < 0) {
            return false;
        }
        try (var out = new java.io.FileOutputStream("/proc/self/fd/" + fd)) {
            out.write(("READY " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The readiness pipe a predecessor left this process ({@code FORKCAST_HANDOVER_FD}), or -1 for none. */
    public static int handoverFd(Map<String, String> env) {
        String value = env.get(HANDOVER_FD_VARIABLE);
        try {
            int fd = value == null ? -1 : Integer.parseInt(value.strip());
            return fd > LISTEN_FD ? fd : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A listener and the name it goes by in {@code LISTEN_FDNAMES} ({@code chat}, {@code broker}). */
    public record Named(ServerSocketChannel channel, String name) {}
}
