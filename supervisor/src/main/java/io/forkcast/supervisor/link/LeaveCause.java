package io.forkcast.supervisor.link;

import java.util.EnumSet;
import java.util.List;

/**
 * Why a link closed, as logged in {@code event=left ... cause=} and counted in STATS ({@code left_<word>}). The
 * first eleven are counted under their own name; the others close links that serve no client (spares, workers that
 * never resumed) and count as {@link #OTHER} should one ever close a client's link. A worker names its own cause in
 * ClientLeft: a word of its own is logged as it came and counted as {@link #OTHER}. Immutable.
 */
public enum LeaveCause {
    QUIT,
    EOF,
    RESET,
    FLOOD,
    SLOW,
    SLOW_WORKER,
    KICKED,
    REJECTED,
    HUB_ERROR,
    DISCONNECTED,
    OTHER,
    HANDOFF_FAILED,
    NO_RESUME,
    SHUTDOWN,
    RETIRED;

    /** The causes with a counter of their own, in STATS order ({@code left_quit} ... {@code left_other}). */
    public static final List<LeaveCause> COUNTED = List.copyOf(EnumSet.range(QUIT, OTHER));

    /** The word logged and counted: {@code slow_worker}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The counter this cause goes to. */
    public LeaveCause counter() {
        return COUNTED.contains(this) ? this : OTHER;
    }

    /** The cause a worker's word stands for: one of the counted causes, or {@link #OTHER}. */
    public static LeaveCause ofWord(String word) {
        for (var cause : COUNTED) {
            if (cause.word().equals(word)) {
                return cause;
            }
        }
        return OTHER;
    }
}
