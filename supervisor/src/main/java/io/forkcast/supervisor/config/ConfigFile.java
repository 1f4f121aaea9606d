package io.forkcast.supervisor.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The syntax of a config file: {@code key = value} lines, blank lines, and comment lines starting with {@code #}.
 * The value is everything after the first {@code =}, stripped, unquoted: a later {@code #} is part of it. Which
 * keys exist is {@link Config}'s business. Stateless; called on main at start and on the loop thread on reload.
 */
final class ConfigFile {
    /** A config file is a few kilobytes; anything this big is the wrong file. */
    static final long MAX_BYTES = 1 << 20;

    /** One {@code key = value} line. */
    record Entry(String key, String value, int line) {}

    private ConfigFile() {}

    /** The entries of {@code file}, in order; each problem is added as one line naming the file and line. */
    static List<Entry> read(Path file, List<String> problems) {
        List<String> lines;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.add("cannot read config " + file + ": " + size + " bytes is more than " + MAX_BYTES);
                return List.of();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add("cannot read config " + file + ": no such file");
            return List.of();
        } catch (AccessDeniedException e) {
            problems.add("cannot read config " + file + ": permission denied");
            return List.of();
        } catch (CharacterCodingException e) {
            problems.add("cannot read config " + file + ": not UTF-8 text");
            return List.of();
        } catch (IOException e) {
            problems.add("cannot read config " + file + ": " + e.getMessage());
            return List.of();
        }
        var entries = new ArrayList<Entry>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!isKey(key)) {
                problems.add(file + ":" + number + ": expected key = value, got " + abbreviate(line));
                continue;
            }
            Integer first = firstLine.putIfAbsent(key, number);
            if (first != null) {
                problems.add(file + ":" + number + ": " + key + " is already set on line " + first);
                continue;
            }
            entries.add(new Entry(key, line.substring(eq + 1).strip(), number));
        }
        return entries;
    }

    private static boolean isKey(String key) {
        return !key.isEmpty()
                && key.chars().allMatch(c -> c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? line : line.substring(0, 37) + "...";
    }
}
