package io.forkcast.supervisor.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.forkcast.protocol.log.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What systemd hears and when, driven by the relay's calls with explicit times. */
class ServiceStatusTest {
    private static final long T0 = TimeUnit.SECONDS.toNanos(1000);
    private NotifySocket socket;
    private SdNotify notify;

    @BeforeEach
    void bind() throws Exception {
        socket = NotifySocket.abstractNamed(
                "forkcast-status-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()), EventLog.of("role=test"));
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
    }

    /** Every message sent so far, in order: a marker is sent last, so nothing can still be on its way. */
    private List<String> received() throws Exception {
        notify.send("END=1");
        var messages = new ArrayList<String>();
        for (String m = socket.next(); !m.equals("END=1"); m = socket.next()) {
            messages.add(m);
        }
        return messages;
    }

    private static long at(long millis) {
        return T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void watchdogPingsComeOnlyFromLoopTurnsAtHalfTheInterval() throws Exception {
        var status = new ServiceStatus(notify, Duration.ofSeconds(1));
        status.ready(at(0));
        status.onLoopTurn(at(400));
        status.onLoopTurn(at(499));
        status.onLoopTurn(at(500));
        status.onLoopTurn(at(900));
        status.onLoopTurn(at(1100));
        assertEquals(List.of("READY=1\nSTATUS=0 clients", "WATCHDOG=1", "WATCHDOG=1"), received());
        // However long the loop hangs, nothing more is sent until it turns again.
        assertEquals(List.of(), received());
        status.onLoopTurn(at(60_000));
        assertEquals(List.of("WATCHDOG=1"), received());
    }

    @Test
    void theLoopWaitsAtMostAQuarterOfTheWatchdogInterval() {
        assertEquals(250, new ServiceStatus(notify, Duration.ofSeconds(1)).maxWaitMillis());
        assertEquals(7500, new ServiceStatus(notify, Duration.ofSeconds(30)).maxWaitMillis());
        assertEquals(Long.MAX_VALUE, new ServiceStatus(notify, null).maxWaitMillis());
    }

    @Test
    void withoutAWatchdogThereAreNoPings() throws Exception {
        var status = new ServiceStatus(notify, null);
        status.ready(at(0));
        status.onLoopTurn(at(3_600_000));
        assertEquals(List.of("READY=1\nSTATUS=0 clients"), received());
    }

    @Test
    void theClientCountIsReportedOnceAfterItChanges() throws Exception {
        var status = new ServiceStatus(notify, null);
        status.onClientCountChanged(1);
        status.ready(at(0));
        status.onLoopTurn(at(1));
        status.onClientCountChanged(2);
        status.onClientCountChanged(3);
        status.onLoopTurn(at(2));
        status.onLoopTurn(at(3));
        status.onClientCountChanged(2);
        status.onClientCountChanged(3);
        status.onLoopTurn(at(4));
        assertEquals(List.of("READY=1\nSTATUS=1 clients", "STATUS=3 clients"), received());
    }

    @Test
    void aReloadIsBracketedByReloadingWithItsMonotonicTimeAndReady() throws Exception {
        var status = new ServiceStatus(notify, null);
        status.ready(at(0));
        status.onReloading(123_456_789_000L);
        status.onReloaded(true);
        status.onReloading(123_456_999_000L);
        status.onReloaded(false);
        status.onStopping();
        assertEquals(
                List.of(
                        "READY=1\nSTATUS=0 clients",
                        "RELOADING=1\nMONOTONIC_USEC=123456789\nSTATUS=reloading",
                        "READY=1\nSTATUS=0 clients",
                        "RELOADING=1\nMONOTONIC_USEC=123456999\nSTATUS=reloading",
                        "READY=1\nSTATUS=0 clients; last reload refused, see the log",
                        "STOPPING=1\nSTATUS=stopping"),
                received());
    }

    @Test
    void theWatchdogIntervalComesFromWatchdogUsecForThisPidOnly() {
        assertEquals(Duration.ofSeconds(30), ServiceStatus.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), 7));
        assertEquals(
                Duration.ofMillis(1500),
                ServiceStatus.watchdogInterval(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", "7"), 7));
        assertNull(ServiceStatus.watchdogInterval(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", "8"), 7));
        assertNull(ServiceStatus.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 7));
        assertNull(ServiceStatus.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 7));
        assertNull(ServiceStatus.watchdogInterval(Map.of(), 7));
    }
}
