package io.forkcast.worker.loop;

/**
 * Per-client flood limit: a token bucket of {@code burst} lines refilled at {@code linesPerSecond}. Lines past
 * it are dropped; drops fill a second bucket, forgiven at half the rate, and a client that drops more than
 * {@code dropsBeforeDisconnect} lines faster than that is disconnected. Confined to the worker's loop thread.
 */
final class FloodGate {
    enum Verdict {
        PASS,
        /** The first line dropped since the last one passed: tell the client once. */
        DROP_FIRST,
        DROP,
        DISCONNECT
    }

    private int linesPerSecond;
    private int burst;
    private int dropsBeforeDisconnect;
    private double tokens;
    private double drops;
    private boolean dropping;
    private long lastNanos;

    FloodGate(int linesPerSecond, int burst, int dropsBeforeDisconnect, long nowNanos) {
        configure(linesPerSecond, burst, dropsBeforeDisconnect);
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    void configure(int linesPerSecond, int burst, int dropsBeforeDisconnect) {
        this.linesPerSecond = linesPerSecond;
        this.burst = burst;
        this.dropsBeforeDisconnect = dropsBeforeDisconnect;
        this.tokens = Math.min(tokens, burst);
    }

    Verdict admit(long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        tokens = Math.min(burst, tokens + seconds * linesPerSecond);
        drops = Math.max(0, drops - seconds * Math.max(1, linesPerSecond / 2.0));
        if (tokens >= 1) {
            tokens -= 1;
            dropping = false;
            return Verdict.PASS;
        }
        drops += 1;
        if (drops > dropsBeforeDisconnect) {
            return Verdict.DISCONNECT;
        }
        if (!dropping) {
            dropping = true;
            return Verdict.DROP_FIRST;
        }
        return Verdict.DROP;
    }

    int linesPerSecond() {
        return linesPerSecond;
    }
}
