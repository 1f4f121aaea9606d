package io.forkcast.supervisor.systemd;

import io.forkcast.supervisor.loop.LoopObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd how the supervisor is doing: READY, STATUS with the client count, WATCHDOG, RELOADING, STOPPING.
 * Watchdog pings come from the event loop's own turns, never from a timer thread, so a hung loop stops them and
 * systemd restarts the service. Confined to the loop thread ({@link #ready} is called by main just before).
 */
public final class ServiceStatus implements LoopObserver {
    private final SdNotify notify;
    /** Half the watchdog interval; 0 when systemd does not watch. */
    private final long pingEveryNanos;

    private boolean ready;
    private long lastPingNanos;
    private int clients;
    private int reportedClients;

    public ServiceStatus(SdNotify notify, Duration watchdogInterval) {
        this.notify = notify;
        this.pingEveryNanos = watchdogInterval == null ? 0 : watchdogInterval.toNanos() / 2;
    }

    /**
     * The watchdog interval systemd asks for (sd_watchdog_enabled(3)): {@code WATCHDOG_USEC}, when
     * {@code WATCHDOG_PID} is unset or names this process; null when there is no watchdog.
     */
    public static Duration watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String watchedPid = env.get("WATCHDOG_PID");
        if (usec == null || (watchedPid != null && !watchedPid.strip().equals(Long.toString(pid)))) {
            return null;
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(micros)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The server listens: tell systemd it is up. */
    public void ready(long nowNanos) {
        ready = true;
        lastPingNanos = nowNanos;
        reportedClients = clients;
        notify.send("READY=1", "STATUS=" + describe(clients));
    }

    @Override
    public long maxWaitMillis() {
        // Turns at most a quarter interval apart keep each ping within three quarters of the interval.
        return pingEveryNanos == 0 ? Long.MAX_VALUE : Math.max(1, TimeUnit.NANOSECONDS.toMillis(pingEveryNanos / 2));
    }

    @Override
    public void onLoopTurn(long nowNanos) {
        if (!ready) {
            return;
        }
        if (pingEveryNanos > 0 && nowNanos - lastPingNanos >= pingEveryNanos) {
            lastPingNanos = nowNanos;
            notify.send("WATCHDOG=1");
        }
        if (clients != reportedClients) {
            reportedClients = clients;
            notify.send("STATUS=" + describe(clients));
        }
    }

    @Override
    public void onClientCountChanged(int clients) {
        this.clients = clients;
    }

    @Override
    public void onReloading(long nowNanos) {
        // System.nanoTime() is CLOCK_MONOTONIC on Linux, the clock systemd reads MONOTONIC_USEC against.
        notify.send("RELOADING=1", "MONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(nowNanos), "STATUS=reloading");
    }

    @Override
    public void onReloaded(boolean applied) {
        reportedClients = clients;
        notify.send("READY=1", "STATUS=" + describe(clients) + (applied ? "" : "; last reload refused, see the log"));
    }

    @Override
    public void onStopping() {
        notify.send("STOPPING=1", "STATUS=stopping");
    }

    private static String describe(int clients) {
        return clients + " clients";
    }
}
