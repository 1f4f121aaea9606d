package io.forkcast.supervisor.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's room events published to the stream and not yet acknowledged by JetStream, oldest first, at most
 * {@code max}: an event is sent again after a failure, a reconnection, or no answer for {@code resendAfterNanos};
 * the stream's duplicate window (by message id) drops a copy of one that did get stored. Past the bound a new
 * event is dropped and counted. Confined to the loop thread.
 *
 * <pre>
 *   add ──▶ IN_FLIGHT ──ack──▶ (gone)
 *              │ failed, or no answer for resendAfter, or reconnected
 *              ▼
 *           WAITING ──{@link #due} / {@link #everything}──▶ IN_FLIGHT (attempt + 1)
 * </pre>
 */
final class StreamOutbox {
    /** One event: where it goes, its bytes and message id, and its latest attempt. */
    static final class Entry {
        final long n;
        final String subject;
        final byte[] payload;
        final String messageId;
        /** The attempt in flight (1 for the first send); an answer to an older one is ignored but for an ack. */
        int attempt;
        /** True after a failure, until sent again. */
        boolean waiting;
        /** When the latest attempt was sent (System.nanoTime). */
        long sentNanos;

        Entry(long n, String subject, byte[] payload, String messageId) {
            this.n = n;
            this.subject = subject;
            this.payload = payload;
            this.messageId = messageId;
        }
    }

    private final int max;
    private final long resendAfterNanos;
    /** The least wait before a failed event goes again (a stream without a leader answers at once). */
    private final long retryAfterNanos;
    /** By n, in the order added (n grows). */
    private final Map<Long, Entry> entries = new LinkedHashMap<>();

    private long dropped;
    private long resent;
    private long acked;
    /** True from the first drop until there is room again: the drop is logged once per episode. */
    private boolean full;
    /** True once this episode's drop was logged. */
    private boolean logged;

    StreamOutbox(int max, long resendAfterNanos, long retryAfterNanos) {
        this.max = max;
        this.resendAfterNanos = resendAfterNanos;
        this.retryAfterNanos = retryAfterNanos;
    }

    /**
     * A new event, about to be sent (attempt 1 at {@code nowNanos}); null when the outbox holds {@code max}
     * already: the event is dropped and counted.
     */
    Entry add(long n, String subject, byte[] payload, String messageId, long nowNanos) {
        if (entries.size() >= max) {
            dropped++;
            full = true;
            return null;
        }
        var entry = new Entry(n, subject, payload, messageId);
        entry.attempt = 1;
        entry.sentNanos = nowNanos;
        entries.put(n, entry);
        return entry;
    }

    /** True once per episode of being full (the first drop since there was room): the drop to log. */
    boolean firstDropOfEpisode() {
        if (full && !logged) {
            logged = true;
            return true;
        }
        return false;
    }

    /** JetStream stored event {@code n} (by any attempt). */
    void acked(long n) {
        if (entries.remove(n) != null) {
            acked++;
            if (full && entries.size() < max) {
                full = false;
                logged = false;
            }
        }
    }

    /** Attempt {@code attempt} of event {@code n} failed (error, timeout, or not sent): it waits to go again. */
    void failed(long n, int attempt) {
        var entry = entries.get(n);
        if (entry != null && entry.attempt == attempt) {
            entry.waiting = true;
        }
    }

    /**
     * The events to send again now: those that failed at least retryAfter ago, and those unanswered for
     * resendAfter; marked as sent.
     */
    List<Entry> due(long nowNanos) {
        var out = new ArrayList<Entry>();
        for (var entry : entries.values()) {
            long since = nowNanos - entry.sentNanos;
            if (entry.waiting ? since >= retryAfterNanos : since >= resendAfterNanos) {
                out.add(resend(entry, nowNanos));
            }
        }
        return out;
    }

    /** Every event not acknowledged, to send again after a reconnection; marked as sent. */
    List<Entry> everything(long nowNanos) {
        var out = new ArrayList<Entry>(entries.size());
        for (var entry : entries.values()) {
            out.add(resend(entry, nowNanos));
        }
        return out;
    }

    private Entry resend(Entry entry, long nowNanos) {
        entry.attempt++;
        entry.waiting = false;
        entry.sentNanos = nowNanos;
        resent++;
        return entry;
    }

    /** Events not acknowledged yet. */
    int pending() {
        return entries.size();
    }

    long dropped() {
        return dropped;
    }

    long resent() {
        return resent;
    }

    long acked() {
        return acked;
    }

    int max() {
        return max;
    }
}
