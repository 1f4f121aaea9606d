package io.forkcast.supervisor.signal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Reads and resets a signal's disposition with {@code sigaction(2)} (FFM). HotSpot will not install a handler for
 * a signal that is ignored at the time ({@code nohup} ignores SIGHUP, a shell's {@code cmd &} SIGINT), so one
 * inherited as ignored is set back to its default first. Called once, on the main thread, before handlers are set.
 */
@SuppressWarnings("restricted") // native access is enabled for the supervisor by the launcher
final class Dispositions {
    private static final long SIG_IGN = 1;
    /** Room for glibc's {@code struct sigaction} (152 bytes on x86-64), whose first field is the handler. */
    private static final long SIGACTION_BYTES = 256;

    private static final MethodHandle SIGACTION;

    static {
        var linker = Linker.nativeLinker();
        SIGACTION = linker.downcallHandle(
                linker.defaultLookup().find("sigaction").orElseThrow(),
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    private Dispositions() {}

    /** True if {@code signal} was ignored and now has its default action again; false if it was not ignored. */
    static boolean resetIfIgnored(Signal signal) {
        try (var arena = Arena.ofConfined()) {
            var old = arena.allocate(SIGACTION_BYTES);
            if (call(signal.number, MemorySegment.NULL, old) != 0) {
                throw new IllegalStateException("sigaction(" + signal.name() + ") could not be read");
            }
            if (old.get(ValueLayout.JAVA_LONG, 0) != SIG_IGN) {
                return false;
            }
            // Zeroed: SIG_DFL, an empty mask, no flags.
            if (call(signal.number, arena.allocate(SIGACTION_BYTES), MemorySegment.NULL) != 0) {
                throw new IllegalStateException("sigaction(" + signal.name() + ", SIG_DFL) failed");
            }
            return true;
        }
    }

    private static int call(int signal, MemorySegment action, MemorySegment old) {
        try {
            return (int) SIGACTION.invokeExact(signal, action, old);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("sigaction failed: " + e, e);
        }
    }
}
