package io.forkcast.supervisor.auth;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.text.Nicknames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One parsed users file: user name to password hash, as Apache's {@code htpasswd} writes it ({@code user:hash},
 * one a line). Names compare case-insensitively, as nicknames do ({@link Nicknames#key}). Immutable, so the
 * loop and the authenticator's pool share it; loading reads the file and is for the caller's thread.
 */
public final class UsersFile {
    /** A users file of a million bcrypt lines is 60 MB; past this it is not a users file. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Longer lines are refused before they are decoded: no accepted format comes close. */
    public static final int MAX_LINE_BYTES = 4096;

    private static final UsersFile EMPTY = new UsersFile(Map.of(), PasswordHash.defaultDecoy(new SecureRandom()), 0);

    /** Nicknames.key(user) -> the entry; in file order. */
    private final Map<String, Entry> entries;
    /** What an unknown user is checked against: the shape most of the file's hashes have. */
    private final PasswordHash decoy;
    /** Lines refused when the file was read. */
    private final int refused;

    private record Entry(String user, PasswordHash hash, int line) {}

    private UsersFile(Map<String, Entry> entries, PasswordHash decoy, int refused) {
        this.entries = entries;
        this.decoy = decoy;
        this.refused = refused;
    }

    /**
     * Reads an htpasswd file. Every line in a format not accepted (plain text, DES crypt, {@code $1$}, malformed),
     * with a user name that is not a valid nickname, or naming a user an earlier line named, is refused with one
     * {@code event=users_file_line_refused} line on {@code log} naming its line number and the reason, never the
     * hash. Blank lines and {@code #} comments are skipped. A missing, unreadable or oversized file throws.
     */
    public static UsersFile load(Path file, EventLog log) throws IOException {
        return load(file, log::warn);
    }

    /** {@link #load(Path, EventLog)} with the log lines' fields given to {@code warn}. */
    static UsersFile load(Path file, Consumer<String> warn) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException("users file " + file + " is " + size + " bytes, the limit is " + MAX_FILE_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        String where = "event=users_file_line_refused file=" + EventLog.quote(file.toString()) + " line=";
        var entries = new LinkedHashMap<String, Entry>();
        int refused = 0;
        int number = 0;
        for (int start = 0; start < bytes.length; ) {
            int end = indexOf(bytes, (byte) '\n', start);
            number++;
            String why = line(bytes, start, end, number, entries);
            if (why != null) {
                refused++;
                warn.accept(where + number + " " + why);
            }
            start = end + 1;
        }
        return new UsersFile(Collections.unmodifiableMap(entries), decoyFor(entries), refused);
    }

    /** No accounts. */
    public static UsersFile empty() {
        return EMPTY;
    }

    /** True if {@code user} has a line, compared case-insensitively. */
    public boolean contains(String user) {
        return entries.containsKey(Nicknames.key(user));
    }

    /** The spelling the file gives {@code user}. */
    public Optional<String> canonical(String user) {
        var e = entries.get(Nicknames.key(user));
        return e == null ? Optional.empty() : Optional.of(e.user());
    }

    public int size() {
        return entries.size();
    }

    /** The users' names as the file spells them, in file order. */
    public Set<String> users() {
        var names = new LinkedHashSet<String>();
        entries.values().forEach(e -> names.add(e.user()));
        return Collections.unmodifiableSet(names);
    }

    /** Lines refused when the file was read (each was logged). */
    public int refused() {
        return refused;
    }

    /** The hash of {@code user}. */
    Optional<PasswordHash> hash(String user) {
        var e = entries.get(Nicknames.key(user));
        return e == null ? Optional.empty() : Optional.of(e.hash());
    }

    PasswordHash decoy() {
        return decoy;
    }

    @Override
    public String toString() {
        return "UsersFile[users=" + entries.size() + " refused=" + refused + "]";
    }

    /** Takes one line into {@code entries}; returns why it is refused ({@code reason=...}), or null. */
    private static String line(byte[] bytes, int start, int end, int number, Map<String, Entry> entries) {
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        if (end - start > MAX_LINE_BYTES) {
            return "reason=line_too_long bytes=" + (end - start) + " limit=" + MAX_LINE_BYTES;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, end - start))
                    .toString()
                    .strip();
        } catch (CharacterCodingException e) {
            return "reason=not_utf8";
        }
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return "reason=no_colon";
        }
        String user = text.substring(0, colon);
        String problem = Nicknames.problem(user);
        if (problem != null) {
            return "reason=bad_user_name problem=" + EventLog.quote(problem);
        }
        // As Apache's mod_authn_file reads it: the hash ends at the next colon, later fields are ignored.
        int next = text.indexOf(':', colon + 1);
        var parsed = HashFormat.parse(text.substring(colon + 1, next < 0 ? text.length() : next));
        if (parsed.hash() == null) {
            return "reason=" + parsed.refusal() + " user=" + EventLog.quote(user);
        }
        var earlier = entries.putIfAbsent(Nicknames.key(user), new Entry(user, parsed.hash(), number));
        if (earlier != null) {
            return "reason=duplicate_user user=" + EventLog.quote(user) + " first_line=" + earlier.line();
        }
        return null;
    }

    /** A decoy of the shape most entries have, so that an unknown name costs what a known one does. */
    private static PasswordHash decoyFor(Map<String, Entry> entries) {
        var counts = new HashMap<String, Integer>();
        PasswordHash common = null;
        int best = 0;
        for (var e : entries.values()) {
            int n = counts.merge(e.hash().shape(), 1, Integer::sum);
            if (n > best) {
                best = n;
                common = e.hash();
            }
        }
        var random = new SecureRandom();
        return common == null ? PasswordHash.defaultDecoy(random) : common.decoy(random);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }
}
