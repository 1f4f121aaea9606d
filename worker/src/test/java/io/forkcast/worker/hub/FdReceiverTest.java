package io.forkcast.worker.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both hand-off paths receive what a supervisor sends with SCM_RIGHTS: the bytes, and a descriptor for the same
 * open file. The sending side is FFM {@code sendmsg} here, as jnr-posix's is in the supervisor.
 */
@Timeout(20)
@SuppressWarnings("restricted") // the test's sendmsg; native access is enabled by surefire's argLine
class FdReceiverTest {
    @TempDir
    Path dir;

    @Test
    void theJniHelperIsBuiltBesideTheClassesAndLoads() {
        assertNull(FdReceiver.jniUnavailable(), "the JNI helper did not load");
    }

    @Test
    void theLibraryIsLookedForBesideTheWorkersJarOrClasses() {
        assertEquals(
                "/opt/forkcast/lib/worker/libforkcast-worker.so",
                JniFd.libraryPath(
                        "/opt/forkcast/lib/worker/kryo-5.6.2.jar:/opt/forkcast/lib/worker/forkcast-worker.jar"));
        assertEquals(
                "/src/worker/target/libforkcast-worker.so",
                JniFd.libraryPath(
                        "/src/worker/target/forkcast-worker-0.1.0-SNAPSHOT.jar:/src/worker/target/lib/x.jar"));
        assertEquals("/src/worker/target/libforkcast-worker.so", JniFd.libraryPath("/src/worker/target/classes"));
        assertNull(JniFd.libraryPath("/elsewhere/custom-worker.jar"));
        assertNull(JniFd.libraryPath(""));
    }

    @Test
    void theJniPathReceivesTheBytesAndTheDescriptor() throws Throwable {
        handOff(false);
    }

    @Test
    void theFfmFallbackReceivesTheBytesAndTheDescriptor() throws Throwable {
        handOff(true);
    }

    private void handOff(boolean ffm) throws Throwable {
        var address = UnixDomainSocketAddress.of(dir.resolve("hub.sock"));
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
                var supervisorEnd = SocketChannel.open(address);
                var workerEnd = server.accept()) {
            var pipe = Pipe.open();
            try (var sink = pipe.sink()) {
                pipe.source().close();
                byte[] frame = "assign".getBytes(StandardCharsets.US_ASCII);
                send(FdReceiver.fdOf(supervisorEnd), frame, FdReceiver.fdOf(sink));
                int workerFd = FdReceiver.fdOf(workerEnd);
                var received = ffm ? FfmFd.receive(workerFd, 4096) : FdReceiver.receive(workerFd, 4096);
                assertArrayEquals(frame, received.bytes());
                assertTrue(received.fd() >= 0, "no descriptor came");
                assertEquals(link(FdReceiver.fdOf(sink)), link(received.fd()), "a descriptor for the same pipe");
                close(received.fd());
            }
        }
    }

    private static String link(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    // ---- the supervisor's side: sendmsg with one descriptor, through FFM

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SENDMSG = LINKER.downcallHandle(
            LINKER.defaultLookup().find("sendmsg").orElseThrow(),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static void send(int socketFd, byte[] bytes, int fd) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var data = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            var iov = arena.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, bytes.length);
            var control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int)) on LP64
            control.set(ValueLayout.JAVA_LONG, 0, 20); // cmsg_len = CMSG_LEN(sizeof(int))
            control.set(ValueLayout.JAVA_INT, 8, 1); // SOL_SOCKET
            control.set(ValueLayout.JAVA_INT, 12, 1); // SCM_RIGHTS
            control.set(ValueLayout.JAVA_INT, 16, fd);
            var msg = arena.allocate(56, 8); // struct msghdr on LP64
            msg.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            msg.set(ValueLayout.ADDRESS, 32, control);
            msg.set(ValueLayout.JAVA_LONG, 40, 24);
            long sent = (long) SENDMSG.invokeExact(socketFd, msg, 0);
            assertEquals(bytes.length, sent, "sendmsg");
        }
    }

    private static void close(int fd) throws Throwable {
        int ignored = (int) CLOSE.invokeExact(fd);
    }
}
