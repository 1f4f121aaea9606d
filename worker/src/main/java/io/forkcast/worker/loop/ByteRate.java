package io.forkcast.worker.loop;

/**
 * Per-client byte limit: a token bucket of {@code burstBytes} refilled at {@code bytesPerSecond}, charged with
 * every byte read from the client (blank lines, overlong lines and telnet negotiation included). A read that
 * overdraws it says how long to stop reading: meanwhile the client's bytes wait in the kernel and TCP slows the
 * sender, at no cost to this process. Confined to the worker's loop thread.
 */
final class ByteRate {
    private final long bytesPerSecond;
    private final long burstBytes;
    /** Bytes that may be read now; negative after a read overdrew the bucket. */
    private double tokens;

    private long lastNanos;

    /** {@code bytesPerSecond} 0: no limit. */
    ByteRate(long bytesPerSecond, long burstBytes, long nowNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = Math.max(1, burstBytes);
        this.tokens = this.burstBytes;
        this.lastNanos = nowNanos;
    }

    /** Charges {@code bytes} just read; returns how many nanoseconds to wait before reading again (0: read on). */
    long charge(int bytes, long nowNanos) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        refill(nowNanos);
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / bytesPerSecond);
    }

    private void refill(long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        tokens = Math.min((double) burstBytes, tokens + seconds * bytesPerSecond);
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }
}
