package io.forkcast.admin.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request to the Java admin page passes before anything else: its {@code Host} must name this server
 * (the bound address, {@code localhost}, or a name in {@code admin_web_hosts}), which defeats DNS rebinding (a
 * page on another site that rebinds its name to us still sends its own name); and, when a password file
 * ({@code admin_web_password_file}) is set, HTTP basic credentials matching it. Immutable; any thread.
 */
public final class WebGuard {
    static final String REALM = "forkcast admin";

    /** Host names (no port, lower case, IPv6 without brackets) a request may name. */
    private final Set<String> hosts;
    /** {@code user:password} as the file holds it, or null when no credential is required. */
    private final byte[] credential;

    private WebGuard(Set<String> hosts, byte[] credential) {
        this.hosts = Set.copyOf(hosts);
        this.credential = credential;
    }

    /**
     * The guard for a page bound to {@code bound}: the hosts it answers to are {@code localhost}, the loopback
     * addresses, the bound address (unless it is the wildcard) and {@code extraHosts}; {@code passwordFile}
     * (null: none) holds one line {@code user:password} and must not be readable by others.
     */
    public static WebGuard of(InetAddress bound, Collection<String> extraHosts, Path passwordFile) throws IOException {
        var hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!bound.isAnyLocalAddress()) {
            hosts.add(bound.getHostAddress().toLowerCase(Locale.ROOT));
        }
        for (String host : extraHosts) {
            if (!host.isBlank()) {
                hosts.add(hostName(host.strip()));
            }
        }
        return new WebGuard(hosts, passwordFile == null ? null : readCredential(passwordFile));
    }

    /** True when requests need credentials. */
    public boolean requiresCredential() {
        return credential != null;
    }

    /** The host names requests may name, for the start-up line. */
    public Set<String> hosts() {
        return hosts;
    }

    /**
     * True when the request may go on; otherwise it has been answered: 421 for a Host that is not ours, 401 (with
     * a basic challenge) for missing or wrong credentials.
     */
    public boolean admit(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(hostName(host))) {
            refuse(exchange, 421, "unexpected Host header\n");
            return false;
        }
        if (credential != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            refuse(exchange, 401, "credentials required\n");
            return false;
        }
        return true;
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, credential);
    }

    /** {@code host[:port]}, {@code [v6][:port]} or a bare IPv6 literal as the name alone, lower case. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
    }

    /** The one line {@code user:password} of {@code file}, refused when others may read it or it is malformed. */
    static byte[] readCredential(Path file) throws IOException {
        var mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("password file " + file + " is readable or writable by others: chmod 600 " + file);
        }
        String line = Files.readString(file, StandardCharsets.UTF_8).strip();
        int colon = line.indexOf(':');
        if (line.indexOf('\n') >= 0 || colon <= 0 || colon == line.length() - 1) {
            throw new IOException("password file " + file + " must hold one line, user:password");
        }
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The guard's own command-line options, taken out of the admin page's: {@code --password-file FILE}, {@code
     * --allowed-hosts NAME,...} and {@code --config FILE} (default {@code /etc/forkcast/forkcast.conf} when it is
     * readable), whose {@code admin_web_password_file} and {@code admin_web_hosts} apply unless a flag says
     * otherwise.
     */
    public record Options(Path passwordFile, List<String> hosts, List<String> rest) {
        static final Path DEFAULT_CONFIG = Path.of("/etc/forkcast/forkcast.conf");

        public static Options take(String[] args) throws IOException {
            Path passwordFile = null;
            String hostList = null;
            Path config = Files.isReadable(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
            var rest = new java.util.ArrayList<String>();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--password-file" -> passwordFile = Path.of(required(value, args[i++]));
                    case "--allowed-hosts" -> hostList = required(value, args[i++]);
                    case "--config" -> config = Path.of(required(value, args[i++]));
                    default -> rest.add(args[i]);
                }
            }
            if (config != null) {
                for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (line.strip().startsWith("#") || eq < 0) {
                        continue;
                    }
                    String key = line.substring(0, eq).strip();
                    String v = unquote(line.substring(eq + 1).strip());
                    if (key.equals("admin_web_password_file") && passwordFile == null && !v.isEmpty()) {
                        passwordFile = Path.of(v);
                    } else if (key.equals("admin_web_hosts") && hostList == null) {
                        hostList = v;
                    }
                }
            }
            var hosts = hostList == null ? List.<String>of() : List.of(hostList.split(","));
            return new Options(passwordFile, hosts, List.copyOf(rest));
        }

        /**
         * The guard for a page bound to {@code bound}. A page on an address other than loopback without a
         * password file is refused: anyone who reaches it could message and kick everyone.
         */
        public WebGuard guardFor(InetAddress bound) throws IOException {
            if (!bound.isLoopbackAddress() && passwordFile == null) {
                throw new IllegalArgumentException("the admin page on " + bound.getHostAddress()
                        + " (not loopback) needs a credential: --password-file FILE (admin_web_password_file)");
            }
            return WebGuard.of(bound, hosts, passwordFile);
        }

        private static String required(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            return value;
        }

        private static String unquote(String v) {
            return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }
    }

    private static void refuse(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }
}
