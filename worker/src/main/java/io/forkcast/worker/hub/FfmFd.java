package io.forkcast.worker.hub;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@link FdReceiver}'s fallback, for when the JNI helper cannot load: {@code recvmsg} and {@code dup2} through
 * the JDK's foreign function API, which costs a spare worker about twice the CPU and memory of the JNI path
 * (linking the downcalls spins classes at run time). Loaded only then. Linux, LP64.
 */
@SuppressWarnings("restricted") // native access is enabled for workers by their JVM options
final class FfmFd {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int CMSG_HEADER_BYTES = 16;
    private static final int CMSG_SPACE_ONE_FD = 24;

    private static final StructLayout IOVEC =
            MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("base"), ValueLayout.JAVA_LONG.withName("len"));
    private static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("name"),
            ValueLayout.JAVA_INT.withName("namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("iov"),
            ValueLayout.JAVA_LONG.withName("iovlen"),
            ValueLayout.ADDRESS.withName("control"),
            ValueLayout.JAVA_LONG.withName("controllen"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.paddingLayout(4));
    private static final VarHandle IOV_BASE = IOVEC.varHandle(MemoryLayout.PathElement.groupElement("base"));
    private static final VarHandle IOV_LEN = IOVEC.varHandle(MemoryLayout.PathElement.groupElement("len"));
    private static final VarHandle MSG_IOV = MSGHDR.varHandle(MemoryLayout.PathElement.groupElement("iov"));
    private static final VarHandle MSG_IOVLEN = MSGHDR.varHandle(MemoryLayout.PathElement.groupElement("iovlen"));
    private static final VarHandle MSG_CONTROL = MSGHDR.varHandle(MemoryLayout.PathElement.groupElement("control"));
    private static final VarHandle MSG_CONTROLLEN =
            MSGHDR.varHandle(MemoryLayout.PathElement.groupElement("controllen"));

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RECVMSG;
    private static final MethodHandle DUP2;
    private static final MethodHandle CLOSE;

    static {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        RECVMSG = linker.downcallHandle(
                libc.find("recvmsg").orElseThrow(),
                FunctionDescriptor.of(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                ERRNO);
        DUP2 = linker.downcallHandle(
                libc.find("dup2").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                ERRNO);
        CLOSE = linker.downcallHandle(
                libc.find("close").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private FfmFd() {}

    /** One blocking {@code recvmsg} of up to {@code maxBytes} on {@code socketFd}, retried on EINTR. */
    static FdReceiver.Received receive(int socketFd, int maxBytes) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var data = arena.allocate(maxBytes);
            var control = arena.allocate(CMSG_SPACE_ONE_FD, 8);
            var iov = arena.allocate(IOVEC);
            IOV_BASE.set(iov, 0L, data);
            IOV_LEN.set(iov, 0L, (long) maxBytes);
            var msg = arena.allocate(MSGHDR);
            MSG_IOV.set(msg, 0L, iov);
            MSG_IOVLEN.set(msg, 0L, 1L);
            MSG_CONTROL.set(msg, 0L, control);
            MSG_CONTROLLEN.set(msg, 0L, (long) CMSG_SPACE_ONE_FD);
            var state = arena.allocate(CALL_STATE);
            long n;
            while (true) {
                n = (long) RECVMSG.invokeExact(state, socketFd, msg, MSG_CMSG_CLOEXEC);
                if (n >= 0) {
                    break;
                }
                int errno = (int) ERRNO_HANDLE.get(state, 0L);
                if (errno != 4) { // EINTR
                    throw new IOException("recvmsg failed: errno " + errno);
                }
            }
            int fd = -1;
            long controlLen = (long) MSG_CONTROLLEN.get(msg, 0L);
            if (controlLen >= CMSG_HEADER_BYTES + 4
                    && control.get(ValueLayout.JAVA_INT, 8) == SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, 12) == SCM_RIGHTS) {
                fd = control.get(ValueLayout.JAVA_INT, CMSG_HEADER_BYTES);
            }
            return new FdReceiver.Received(data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("recvmsg failed: " + e, e);
        }
    }

    /** Links the native calls once, while nobody waits (dup2 of stderr onto itself changes nothing). */
    static void warmUp() throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CALL_STATE);
            int ignored = (int) DUP2.invokeExact(state, 2, 2);
        } catch (Throwable e) {
            throw new IOException("dup2 failed: " + e, e);
        }
    }

    /** Moves {@code fd} onto fd 0 (closing the original), where System.inheritedChannel() finds it. */
    static void moveToStdin(int fd) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CALL_STATE);
            if ((int) DUP2.invokeExact(state, fd, 0) < 0) {
                throw new IOException("dup2 failed: errno " + (int) ERRNO_HANDLE.get(state, 0L));
            }
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("dup2 failed: " + e, e);
        }
    }
}
