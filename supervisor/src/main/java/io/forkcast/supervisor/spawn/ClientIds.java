package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Client ids: short, never reused, not even by a later supervisor on the same runtime directory, and the record of
 * which ones are out (held by a client's worker), so that a later supervisor adopts a worker only for an id this
 * one handed out and whose client had not left. Loop thread only.
 *
 * <p>Two files in the runtime directory: {@code client-ids}, the high-water mark, reserved in blocks so that it is
 * written once per {@link #BLOCK} clients (a crash skips at most one block); and {@code clients}, the ids out, one
 * per line, written at the end of a loop turn in which it changed. A line is the id alone or, for a client in a
 * room, {@code id TAB pid TAB name TAB room} ({@link Seen}): who it was, so that the next supervisor can tell its
 * room it left if its worker never comes back. A supervisor that starts reads {@code clients}
 * as the ids it may adopt during its adoption window (hub_reconnect_timeout from its start); when the window
 * closes, the ids no worker came back for are given up. A runtime directory with a mark but no {@code clients}
 * file (one left by a supervisor from before the file existed) lets any id below the mark be adopted, once.
 */
public final class ClientIds {
    /** A client as the others saw it: its worker's pid, its name and its room; persisted with its id. */
    public record Seen(long id, long pid, String name, String room) {
        /** The file's line, or the id alone if a field could not be read back (it cannot hold a tab or newline). */
        String line() {
            if (name == null || room == null || (name + room).chars().anyMatch(c -> c < ' ')) {
                return Long.toString(id);
            }
            return id + "\t" + pid + "\t" + name + "\t" + room;
        }
    }

    static final long BLOCK = 1024;
    static final String MARK_FILE = "client-ids";
    static final String OUT_FILE = "clients";

    private final Path file;
    private final Path outFile;
    private long next;
    private long reservedUpTo;
    /** Ids held by a client now, ours or adopted, plus the adoptable ones while the window is open. */
    private final Set<Long> out = new TreeSet<>();
    /** Ids the previous supervisor had out and no worker has resumed yet; emptied when the window closes. */
    private final Set<Long> adoptable = new TreeSet<>();
    /** Who the adoptable ids were, as the previous supervisor recorded them; emptied when the window closes. */
    private final Map<Long, Seen> previous = new HashMap<>();
    /** True when the previous supervisor left no {@code clients} file: any id below the mark is adoptable. */
    private boolean legacy;
    /** The end of the adoption window, in {@link System#nanoTime} terms; fixed. */
    private final long windowEndsNanos;

    private boolean windowClosed;
    /** True when {@link #out} changed since it was last written. */
    private boolean dirty;

    public ClientIds(Path runtimeDir, Duration adoptionWindow) throws IOException {
        this.file = runtimeDir.resolve(MARK_FILE);
        this.outFile = runtimeDir.resolve(OUT_FILE);
        this.windowEndsNanos = System.nanoTime() + adoptionWindow.toNanos();
        long start = 1;
        if (Files.exists(file)) {
            try {
                start = Math.max(
                        1,
                        Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII)
                                .strip()));
            } catch (NumberFormatException e) {
                throw new IOException("corrupt " + file + ": " + e.getMessage());
            }
        }
        next = start;
        reservedUpTo = start - 1;
        if (Files.exists(outFile)) {
            for (String line : Files.readAllLines(outFile, StandardCharsets.US_ASCII)) {
                try {
                    String[] fields = line.strip().split("\t", -1);
                    long id = Long.parseLong(fields[0]);
                    // Only ids below the mark were ever handed out; anything else in the file is not trusted.
                    if (id > 0 && id < next) {
                        adoptable.add(id);
                        if (fields.length == 4) {
                            previous.put(id, new Seen(id, Long.parseLong(fields[1]), fields[2], fields[3]));
                        }
                    }
                } catch (NumberFormatException e) {
                    // A line cut short by a crash mid-write cannot happen (the file is replaced whole); skip junk.
                }
            }
        } else {
            legacy = Files.exists(file);
        }
        out.addAll(adoptable);
        dirty = true;
    }

    /** A fresh id for a new client; it is out from now on. */
    public long next() throws IOException {
        if (next > reservedUpTo) {
            reserve(next + BLOCK - 1);
        }
        long id = next++;
        out.add(id);
        dirty = true;
        return id;
    }

    /**
     * True while workers of the previous supervisor may still be adopted: for hub_reconnect_timeout after start,
     * or less if every one of them came back.
     */
    public boolean adoptionOpen(long now) {
        return !windowClosed && now - windowEndsNanos < 0 && (legacy || !adoptable.isEmpty());
    }

    /**
     * A resuming worker claims {@code id}: true (and the id is its from now on) if the previous supervisor handed
     * it out, no worker has claimed it since, and the window is open; false otherwise, and nothing changes.
     */
    public boolean claim(long id, long now) {
        if (!adoptionOpen(now) || id <= 0 || id >= next) {
            return false;
        }
        if (legacy) {
            if (out.contains(id)) {
                return false;
            }
            out.add(id);
            dirty = true;
            return true;
        }
        previous.remove(id);
        return adoptable.remove(id);
    }

    /** The client holding {@code id} is gone: the id is not out any more (and never handed out again). */
    public void released(long id) {
        if (id > 0 && out.remove(id)) {
            adoptable.remove(id);
            previous.remove(id);
            dirty = true;
        }
    }

    /**
     * Closes the adoption window once its time is up: the ids no worker came back for are given up. Returns how
     * many, or -1 if the window was closed already or is still open.
     */
    public int closeWindowIfOver(long now) {
        return closeWindowIfOver(now, seen -> {});
    }

    /** {@link #closeWindowIfOver(long)}, handing {@code gone} who each unclaimed id was, if it was recorded. */
    public int closeWindowIfOver(long now, Consumer<Seen> gone) {
        if (windowClosed || (now - windowEndsNanos < 0 && (legacy || !adoptable.isEmpty()))) {
            return -1;
        }
        windowClosed = true;
        legacy = false;
        int unclaimed = adoptable.size();
        for (long id : adoptable) {
            var seen = previous.get(id);
            if (seen != null) {
                gone.accept(seen);
            }
        }
        previous.clear();
        out.removeAll(adoptable);
        adoptable.clear();
        dirty = unclaimed > 0 || dirty;
        return unclaimed;
    }

    /** Ids out now, for the admin socket and tests. */
    public int outCount() {
        return out.size();
    }

    /** Who is where changed (a rename, a move): the file is written again at the next flush. */
    public void touched() {
        dirty = true;
    }

    /** Writes the ids out if they changed since the last write; at the end of a loop turn. */
    public void flush() throws IOException {
        flush(id -> null);
    }

    /**
     * Writes the ids out if they changed since the last write, each with who it is now ({@code present}, null for
     * an id without a client in a room) or, for one not resumed yet, who it was; at the end of a loop turn.
     */
    public void flush(LongFunction<Seen> present) throws IOException {
        if (!dirty) {
            return;
        }
        var text = new StringBuilder(out.size() * 32);
        for (long id : out) {
            var seen = present.apply(id);
            if (seen == null) {
                seen = previous.get(id);
            }
            text.append(seen == null ? Long.toString(id) : seen.line()).append('\n');
        }
        Path tmp = outFile.resolveSibling(OUT_FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, outFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        dirty = false;
    }

    private void reserve(long upTo) throws IOException {
        Path tmp = file.resolveSibling(MARK_FILE + ".tmp");
        Files.writeString(tmp, Long.toString(upTo + 1) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        reservedUpTo = upTo;
    }
}
