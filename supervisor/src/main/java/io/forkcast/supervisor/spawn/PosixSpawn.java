package io.forkcast.supervisor.spawn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * {@code posix_spawnp} through the JDK's FFM API, with glibc's {@code posix_spawn_file_actions_addclosefrom_np}
 * (2.34+): the child closes every descriptor from a number up with one {@code close_range}, so a spawn costs the
 * same however many clients the supervisor holds, and no descriptor opened by the JDK (which marks almost none
 * close-on-exec: sockets, pipes, jars, the selector's eventfd) reaches a worker. {@link #available()} is false
 * where libc lacks it; the spawner then lists and closes descriptors itself. Thread-safe; called on the loop
 * thread. Linux, LP64, glibc.
 */
@SuppressWarnings("restricted") // native access is enabled for the supervisor by the launcher
final class PosixSpawn {
    /** glibc's POSIX_SPAWN_SETPGROUP. */
    static final short SETPGROUP = 2;

    // Opaque glibc structs, 80 and 336 bytes on x86-64; allocated with room to spare.
    private static final long FILE_ACTIONS_BYTES = 256;
    private static final long ATTRIBUTES_BYTES = 1024;

    private static final MethodHandle FA_INIT;
    private static final MethodHandle FA_DESTROY;
    private static final MethodHandle FA_ADDDUP2;
    private static final MethodHandle FA_ADDOPEN;
    private static final MethodHandle FA_ADDCLOSEFROM;
    private static final MethodHandle ATTR_INIT;
    private static final MethodHandle ATTR_DESTROY;
    private static final MethodHandle ATTR_SETFLAGS;
    private static final MethodHandle ATTR_SETPGROUP;
    private static final MethodHandle SPAWNP;

    static {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        var i = ValueLayout.JAVA_INT;
        var p = ValueLayout.ADDRESS;
        FA_ADDCLOSEFROM =
                find(linker, libc, "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(i, p, i));
        FA_INIT = find(linker, libc, "posix_spawn_file_actions_init", FunctionDescriptor.of(i, p));
        FA_DESTROY = find(linker, libc, "posix_spawn_file_actions_destroy", FunctionDescriptor.of(i, p));
        FA_ADDDUP2 = find(linker, libc, "posix_spawn_file_actions_adddup2", FunctionDescriptor.of(i, p, i, i));
        FA_ADDOPEN = find(linker, libc, "posix_spawn_file_actions_addopen", FunctionDescriptor.of(i, p, i, p, i, i));
        ATTR_INIT = find(linker, libc, "posix_spawnattr_init", FunctionDescriptor.of(i, p));
        ATTR_DESTROY = find(linker, libc, "posix_spawnattr_destroy", FunctionDescriptor.of(i, p));
        ATTR_SETFLAGS =
                find(linker, libc, "posix_spawnattr_setflags", FunctionDescriptor.of(i, p, ValueLayout.JAVA_SHORT));
        ATTR_SETPGROUP = find(linker, libc, "posix_spawnattr_setpgroup", FunctionDescriptor.of(i, p, i));
        SPAWNP = find(linker, libc, "posix_spawnp", FunctionDescriptor.of(i, p, p, p, p, p, p));
    }

    private PosixSpawn() {}

    private static MethodHandle find(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor) {
        return libc.find(name).map(f -> linker.downcallHandle(f, descriptor)).orElse(null);
    }

    /** A file action for the child, applied in order: dup2 {@code fd} onto {@code target}, or open a path there. */
    sealed interface FileAction {}

    record Dup(int fd, int target) implements FileAction {}

    record Open(String path, int target, int flags) implements FileAction {}

    /** True when this libc can close descriptors from a number up in the child (glibc 2.34 and later). */
    static boolean available() {
        return FA_ADDCLOSEFROM != null && SPAWNP != null && ATTR_SETPGROUP != null;
    }

    /**
     * Spawns {@code argv} (looked up on PATH) with {@code environment}; the child applies {@code actions}, then
     * closes every descriptor from {@code closeFrom} up, and gets a process group of its own when {@code
     * flags} holds {@link #SETPGROUP}. Returns the pid, or minus the error number posix_spawnp returned.
     */
    static long spawnp(
            List<FileAction> actions, int closeFrom, short flags, List<String> argv, List<String> environment) {
        if (!available()) {
            throw new IllegalStateException("posix_spawn_file_actions_addclosefrom_np is missing from libc");
        }
        try (var arena = Arena.ofConfined()) {
            var fileActions = arena.allocate(FILE_ACTIONS_BYTES, 16);
            var attributes = arena.allocate(ATTRIBUTES_BYTES, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fileActions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
                try {
                    for (var action : actions) {
                        add(arena, fileActions, action);
                    }
                    check("addclosefrom_np", (int) FA_ADDCLOSEFROM.invokeExact(fileActions, closeFrom));
                    check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attributes, flags));
                    check("posix_spawnattr_setpgroup", (int) ATTR_SETPGROUP.invokeExact(attributes, 0));
                    var pid = arena.allocate(ValueLayout.JAVA_INT);
                    int error = (int) SPAWNP.invokeExact(
                            pid,
                            arena.allocateFrom(argv.get(0)),
                            fileActions,
                            attributes,
                            strings(arena, argv),
                            strings(arena, environment));
                    return error == 0 ? pid.get(ValueLayout.JAVA_INT, 0) : -error;
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attributes);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(fileActions);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("posix_spawnp failed: " + e, e);
        }
    }

    private static void add(Arena arena, MemorySegment fileActions, FileAction action) throws Throwable {
        if (action instanceof Dup d) {
            check("adddup2", (int) FA_ADDDUP2.invokeExact(fileActions, d.fd(), d.target()));
        } else if (action instanceof Open o) {
            var path = arena.allocateFrom(o.path());
            check("addopen", (int) FA_ADDOPEN.invokeExact(fileActions, o.target(), path, o.flags(), 0));
        }
    }

    private static void check(String call, int error) {
        if (error != 0) {
            throw new IllegalStateException(call + " failed: error " + error);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        var array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
