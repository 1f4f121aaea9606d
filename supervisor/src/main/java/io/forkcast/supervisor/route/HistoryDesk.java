package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.SupervisorMessage.HistoryLines;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Room history: every room line goes to the {@link Archive} (written behind the relay, never waited for), and the
 * last {@code history_lines} of each room in use are kept here too, so that a client entering a room gets them
 * at once, before any later line. A room's tail is loaded from the store the first time someone needs it (at
 * start for the configured rooms); a client that enters meanwhile gets it when it comes. {@code /history N}
 * beyond the tail asks the store. Confined to the loop thread.
 */
public final class HistoryDesk {
    /** How often a sender whose lines the store cannot take is told so, at most. */
    private static final long NOT_KEPT_NOTICE_NANOS = 60_000_000_000L;

    /** Room for the frame header, the message's own fields and a room name, beside the lines of a part. */
    private static final int PART_OVERHEAD_BYTES = 512;

    /** The tail of one room's history, as the clients entering it are shown it. */
    private static final class Tail {
        /** The last lines, oldest first; at most {@link #shown}. */
        final ArrayDeque<PastLine> lines = new ArrayDeque<>();
        /** Loaded from the store (or nothing to load); until then lines said are kept, entrants wait. */
        boolean loaded;
        /** A load is under way. */
        boolean loading;
        /** Members that entered before the load came back, to be shown the tail when it does. */
        final List<Member> waiting = new ArrayList<>(1);
    }

    private final Archive archive;
    private final Postman postman;
    /** By room key: the rooms whose tail is known or being loaded. */
    private final Map<String, Tail> tails = new HashMap<>();
    /** history_lines: lines shown on entering a room (0: none kept); live. */
    private int shown;
    /** history_max: most lines {@code /history N} shows; live. */
    private int max;
    /** Lines handed to the store, and lines it refused (its queue was full). */
    private long kept;

    private long notKept;

    HistoryDesk(Archive archive, Postman postman, int shown, int max) {
        this.archive = archive;
        this.postman = postman;
        this.shown = shown;
        this.max = max;
    }

    /** New history_lines and history_max (a reload); tails already loaded keep what they have, trimmed. */
    public void limits(int nextShown, int nextMax) {
        shown = nextShown;
        max = nextMax;
        for (var tail : tails.values()) {
            while (tail.lines.size() > shown) {
                tail.lines.pollFirst();
            }
        }
    }

    private boolean on() {
        return shown > 0 && archive.enabled();
    }

    /** Loads the tail of {@code room} ahead of need (the configured rooms, at start). */
    public void preload(Room room) {
        if (on()) {
            load(room, tail(room));
        }
    }

    /** A line said in {@code room}: kept for history; its sender is told once if the store cannot take it. */
    void said(Room room, Member from, Style style, String text) {
        if (!on()) {
            return;
        }
        var line = new PastLine(System.currentTimeMillis(), from.name(), style, text);
        var tail = tails.get(room.key);
        if (tail != null) {
            append(tail, line);
        }
        if (archive.keepLine(room.key, from, line)) {
            kept++;
        } else {
            notKept++;
            // Told once a minute at most, however its lines alternate between kept and refused.
            long now = System.nanoTime();
            if (from.toldNotKeptNanos == 0 || now - from.toldNotKeptNanos > NOT_KEPT_NOTICE_NANOS) {
                from.toldNotKeptNanos = now;
                postman.send(from, new Notice("the store is not keeping up; lines are not kept in history for now"));
            }
        }
    }

    /**
     * A line another node of a federation said in {@code room} (that node keeps it in the shared store): added to
     * the tail shown on entering, not stored again.
     */
    void heard(Room room, String name, Style style, String text) {
        var tail = on() ? tails.get(room.key) : null;
        if (tail != null) {
            append(tail, new PastLine(System.currentTimeMillis(), name, style, text));
        }
    }

    /**
     * This node starts listening to {@code room} in a federation: the tail it has may lack what other nodes said
     * meanwhile, so the next entrant loads it again from the shared store.
     */
    void stale(Room room) {
        var tail = tails.get(room.key);
        if (tail != null && !tail.loading) {
            tails.remove(room.key);
        }
    }

    private void append(Tail tail, PastLine line) {
        tail.lines.addLast(line);
        while (tail.lines.size() > shown) {
            tail.lines.pollFirst();
        }
    }

    /** {@code member} has just entered {@code room} (arriving, logging in, or by /join): it is shown the tail. */
    void entered(Member member, Room room) {
        if (!on() || member.ref.level() < 4) {
            return;
        }
        var tail = tail(room);
        if (tail.loaded) {
            send(member, room.name, List.copyOf(tail.lines), false);
            return;
        }
        tail.waiting.add(member);
        load(room, tail);
    }

    /** {@code /history N}: the last {@code n} lines of the asker's room (0: history_max), at most history_max. */
    public void history(Member asker, int n) {
        var room = asker.room;
        if (room == null) {
            return;
        }
        if (!archive.enabled()) {
            postman.send(asker, new Notice("history is not kept on this server (it has no store)"));
            return;
        }
        if (shown == 0) {
            postman.send(asker, new Notice("history is not kept on this server"));
            return;
        }
        int wanted = n <= 0 ? max : Math.min(n, max);
        var tail = tails.get(room.key);
        if (tail != null && tail.loaded && wanted <= tail.lines.size()) {
            var lines = new ArrayList<>(tail.lines);
            send(asker, room.name, lines.subList(lines.size() - wanted, lines.size()), true);
            return;
        }
        String name = room.name;
        archive.lastLines(room.key, wanted, lines -> {
            if (!asker.present) {
                return;
            }
            if (lines == null) {
                postman.send(asker, new Notice("the history of #" + name + " is unavailable right now"));
            } else {
                send(asker, name, lines, true);
            }
        });
    }

    /** The room is gone (its last member left): its tail is forgotten, and loaded again when it is needed. */
    void dropped(Room room) {
        var tail = tails.get(room.key);
        if (tail != null && !tail.loading) {
            tails.remove(room.key);
        }
    }

    public long kept() {
        return kept;
    }

    public long notKept() {
        return notKept;
    }

    private Tail tail(Room room) {
        return tails.computeIfAbsent(room.key, k -> new Tail());
    }

    private void load(Room room, Tail tail) {
        if (tail.loaded || tail.loading) {
            return;
        }
        tail.loading = true;
        archive.lastLines(room.key, shown, lines -> loaded(room, tail, lines));
    }

    /** The store answered: the tail is what it had, then what was said since (without repeating what it has). */
    private void loaded(Room room, Tail tail, List<PastLine> stored) {
        tail.loading = false;
        var waiting = List.copyOf(tail.waiting);
        tail.waiting.clear();
        if (stored == null) {
            // The store is down: the entrants are told; the next entrant tries again.
            for (var member : waiting) {
                if (member.present) {
                    postman.send(member, new Notice("the history of #" + room.name + " is unavailable right now"));
                }
            }
            if (!room.configured && tails.get(room.key) == tail && waiting.isEmpty()) {
                tails.remove(room.key);
            }
            return;
        }
        var said = new ArrayList<>(tail.lines);
        tail.lines.clear();
        for (var line : stored) {
            append(tail, line);
        }
        for (var line : said) {
            if (!stored.contains(line)) {
                append(tail, line);
            }
        }
        tail.loaded = true;
        for (var member : waiting) {
            if (member.present && member.room == room) {
                send(member, room.name, List.copyOf(tail.lines), false);
            }
        }
    }

    /**
     * Sends {@code lines} to {@code to} as HistoryLines, in as many parts as the frame limit takes; an empty
     * history is sent only when asked for ({@code asked}), not on entering a room.
     */
    private void send(Member to, String room, List<PastLine> lines, boolean asked) {
        int total = lines.size();
        if (total == 0) {
            if (asked) {
                postman.send(to, new HistoryLines(room, 0, 0, List.of()));
            }
            return;
        }
        int offset = 0;
        while (offset < total) {
            int budget = postman.maxFrameBytes() - PART_OVERHEAD_BYTES;
            int end = offset;
            while (end < total) {
                var line = lines.get(end);
                budget -= 16 + 3 * (line.name().length() + line.text().length());
                if (budget < 0 && end > offset) {
                    break;
                }
                end++;
            }
            postman.send(to, new HistoryLines(room, total, offset, lines.subList(offset, end)));
            offset = end;
        }
    }
}
