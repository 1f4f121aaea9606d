package io.forkcast.supervisor.auth;

import io.forkcast.supervisor.route.Applications;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Seed 001's applications file (ws_auth_file), in 001's layout:
 *
 * <pre>
 * applications:
 *   - key: application1
 *     secret: ...
 *     authorizeOpen: true
 * </pre>
 *
 * Read with SnakeYAML's safe loader (plain maps, lists and scalars; no tags that build objects, no duplicate keys,
 * few aliases, a bounded size). A key may be listed once; {@code authorizeOpen} is {@code true} or {@code false}
 * (left out: false). Secrets are compared in constant time ({@link MessageDigest#isEqual}) and appear in no message,
 * log line or {@code toString}. Immutable; loading reads the file and is for the caller's thread.
 */
public final class ApplicationsFile implements Applications {
    /** A file of thousands of applications is a few hundred KiB: past this it is not an applications file. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    /** One application: its secret as UTF-8 bytes (never copied out), and whether it may open connections. */
    private static final class Application {
        private final byte[] secret;
        private final boolean mayOpen;

        Application(byte[] secret, boolean mayOpen) {
            this.secret = secret;
            this.mayOpen = mayOpen;
        }

        byte[] secret() {
            return secret;
        }

        boolean mayOpen() {
            return mayOpen;
        }
    }

    /** Thrown for a file that cannot be read or is not in 001's layout; the message names the file, never a secret. */
    public static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String message) {
            super(message);
        }
    }

    /** Key -> application, in file order. */
    private final Map<String, Application> byKey;
    /** What an unknown key's secret is compared with, so that it takes as long as a known one's. */
    private final byte[] decoy = new byte[32];

    private ApplicationsFile(Map<String, Application> byKey) {
        this.byKey = byKey;
    }

    /** Reads and checks {@code file}. */
    public static ApplicationsFile load(Path file) throws BadFile {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new BadFile("ws_auth_file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadFile("ws_auth_file " + file + " cannot be read: " + e);
        }
        return parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses {@code text}, naming {@code where} in each problem. */
    static ApplicationsFile parse(String where, String text) throws BadFile {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(16);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_FILE_BYTES);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            // SnakeYAML's messages quote the line in question, which may hold a secret: only the position is kept.
            throw new BadFile("ws_auth_file " + where + " is not YAML" + position(e));
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("applications") instanceof List<?> list)) {
            throw new BadFile("ws_auth_file " + where + " has no applications: list (seed 001's layout: applications:"
                    + " then - key: ..., secret: ..., authorizeOpen: true|false)");
        }
        for (Object name : top.keySet()) {
            if (!"applications".equals(name)) {
                throw new BadFile("ws_auth_file " + where + ": unknown top-level key " + printable(name));
            }
        }
        var byKey = new LinkedHashMap<String, Application>();
        for (int i = 0; i < list.size(); i++) {
            String entry = "ws_auth_file " + where + ": application " + (i + 1);
            if (!(list.get(i) instanceof Map<?, ?> fields)) {
                throw new BadFile(entry + " is not a mapping of key, secret and authorizeOpen");
            }
            for (Object field : fields.keySet()) {
                if (!"key".equals(field) && !"secret".equals(field) && !"authorizeOpen".equals(field)) {
                    throw new BadFile(entry + ": unknown field " + printable(field)
                            + " (an application has key, secret and authorizeOpen)");
                }
            }
            String key = scalar(fields.get("key"));
            String secret = scalar(fields.get("secret"));
            if (key == null || key.isEmpty()) {
                throw new BadFile(entry + " has no key");
            }
            if (secret == null || secret.isEmpty()) {
                throw new BadFile(entry + " (" + printable(key) + ") has no secret");
            }
            Object open = fields.get("authorizeOpen");
            if (open != null && !(open instanceof Boolean)) {
                throw new BadFile(entry + " (" + printable(key) + "): authorizeOpen is not true or false");
            }
            if (byKey.containsKey(key)) {
                throw new BadFile(entry + ": key " + printable(key) + " is listed twice");
            }
            byKey.put(key, new Application(secret.getBytes(StandardCharsets.UTF_8), Boolean.TRUE.equals(open)));
        }
        return new ApplicationsFile(Map.copyOf(byKey));
    }

    /** A string, or a number or boolean as written (a key of digits is still a key); null for anything else. */
    private static String scalar(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return null;
    }

    private static String position(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
            var mark = marked.getProblemMark();
            return " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
        }
        return "";
    }

    /** A name from the file as one short line of printable text, for a message. */
    private static String printable(Object name) {
        String s = String.valueOf(name);
        var out = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    @Override
    public Grant grant(String key, String secret) {
        if (key == null || secret == null) {
            return Grant.NONE;
        }
        var app = byKey.get(key);
        byte[] given = secret.getBytes(StandardCharsets.UTF_8);
        // An unknown key is compared too: whether a key exists takes no less time to learn than its secret.
        boolean equal = MessageDigest.isEqual(app == null ? decoy : app.secret(), given);
        if (app == null || !equal) {
            return Grant.NONE;
        }
        return app.mayOpen() ? Grant.OPEN : Grant.SEND;
    }

    @Override
    public boolean required() {
        return true;
    }

    /** Applications listed. */
    public int size() {
        return byKey.size();
    }

    /** Applications that may open connections. */
    public int openers() {
        return (int) byKey.values().stream().filter(Application::mayOpen).count();
    }

    @Override
    public String toString() {
        return "ApplicationsFile[" + byKey.size() + " applications]";
    }
}
