package io.forkcast.worker.loop;

import io.forkcast.worker.chat.Intent;

/**
 * idle_timeout's clock: when the client last sent data. A read that held only keep-alives (WebSocket pings and
 * pongs) leaves it running, so an open tab that only answers pings is still idle; any other read moves it, a
 * partial frame that makes no intent yet included. Confined to the worker's loop thread.
 */
final class IdleClock {
    private long lastHeardNanos;
    /** Intents of the feed under way, and how many of them were keep-alives. */
    private int fed;

    private int keepAlives;

    /** The client was heard from now (welcomed). */
    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    /** A read is about to be fed to the front door. */
    void feedStarts() {
        fed = 0;
        keepAlives = 0;
    }

    /** An intent the feed made. */
    void fed(Intent intent) {
        fed++;
        if (intent instanceof Intent.KeepAlive) {
            keepAlives++;
        }
    }

    /** The feed of a read of {@code bytes} bytes at {@code readNanos} is done. */
    void feedEnds(int bytes, long readNanos) {
        if (bytes > 0 && (keepAlives == 0 || fed > keepAlives)) {
            lastHeardNanos = readNanos;
        }
    }

    /** How long the client has been silent; 0 before it was {@code welcomed}, when it is not read. */
    long silentFor(long nowNanos, boolean welcomed) {
        return welcomed ? nowNanos - lastHeardNanos : 0;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }
}
