package io.forkcast.supervisor.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sd_notify over a real datagram socket: paths, abstract addresses, a full socket, no socket at all. */
class SdNotifyTest {
    private static final EventLog LOG = EventLog.of("role=test");

    @Test
    void sendsOneDatagramPerMessageToAPath() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-notify-");
        try (var socket = NotifySocket.atPath(dir.resolve("notify"))) {
            var notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()), LOG);
            assertTrue(notify.enabled());
            notify.send("READY=1", "STATUS=0 clients");
            notify.send("WATCHDOG=1");
            assertEquals("READY=1\nSTATUS=0 clients", socket.next());
            assertEquals("WATCHDOG=1", socket.next());
        } finally {
            Files.deleteIfExists(dir.resolve("notify"));
            Files.delete(dir);
        }
    }

    @Test
    void anAtSignNamesAnAbstractAddress() throws Exception {
        try (var socket = NotifySocket.abstractNamed(
                "forkcast-test-" + ProcessHandle.current().pid())) {
            var notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()), LOG);
            notify.send("READY=1");
            assertEquals("READY=1", socket.next());
        }
    }

    @Test
    void aSocketThatTakesNoMoreDropsMessagesWithoutThrowingAndRecovers() throws Exception {
        try (var socket = NotifySocket.abstractNamed(
                "forkcast-full-" + ProcessHandle.current().pid())) {
            var notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()), LOG);
            for (int i = 0; i < 1000; i++) {
                notify.send("STATUS=" + i);
            }
            String first = socket.next();
            assertEquals("STATUS=0", first);
            String message;
            do {
                message = socket.next(java.time.Duration.ZERO);
            } while (message != null);
            notify.send("READY=1");
            assertEquals("READY=1", socket.next());
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        assertFalse(SdNotify.fromEnvironment(Map.of(), LOG).enabled());
        assertFalse(SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", ""), LOG).enabled());
        SdNotify.fromEnvironment(Map.of(), LOG).send("READY=1");
    }

    @Test
    void aRelativePathIsRefused() {
        assertFalse(SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), LOG)
                .enabled());
    }

    @Test
    void aSocketThatIsGoneCostsNothing() {
        var notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/nonexistent/forkcast/notify"), LOG);
        assertTrue(notify.enabled());
        notify.send("READY=1");
        notify.send("WATCHDOG=1");
    }
}
