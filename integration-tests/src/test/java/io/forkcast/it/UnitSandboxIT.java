package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.systemd.NotifySocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * forkcast.service's sandbox, held against what the server really does. systemd is not PID 1 on the test
 * machines, so the launcher, the supervisor and its workers run under {@code strace -f} through a session
 * (sd_notify and watchdog, clients, chat, a reload, a stop), and every system call, socket family and file
 * written must be one the unit allows.
 */
@Timeout(180)
class UnitSandboxIT {
    // strace pads each line's pid to a common width.
    private static final Pattern CALL = Pattern.compile("^\\d+ +([a-z0-9_]+)\\(");
    private static final Pattern SOCKET_FAMILY = Pattern.compile("^\\d+ +socket(?:pair)?\\((AF_[A-Z0-9]+)");
    /** Paths written: opened with a writing flag (relative ones against the directory strace -y shows). */
    private static final Pattern OPEN_FOR_WRITE = Pattern.compile(
            "^\\d+ +openat\\([^<]*<([^>]*)>, \"([^\"]*)\", [A-Z_|]*(?:O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)");
    /** Paths created, removed or changed. */
    private static final Pattern CHANGE_NAME = Pattern.compile(
            "^\\d+ +(?:mkdir|unlink|rmdir|chmod|chown|rename|link|symlink|truncate|mknod)\\(\"([^\"]*)\"");

    private static final Pattern CHANGE_NAME_AT = Pattern.compile(
            "^\\d+ +(?:mkdirat|unlinkat|renameat2?|fchmodat|fchownat|linkat|mknodat)\\([^<]*<([^>]*)>, \"([^\"]*)\"");
    private static final Pattern BIND_PATH = Pattern.compile("^\\d+ +bind\\(.*sun_path=\"([^\"]*)\"");
    /** Stands in for the unit's CacheDirectory= (/var/cache/forkcast), where the launcher keeps the AOT cache. */
    private static final Path CACHE_DIRECTORY = ForkcastServer.HOME.resolve("worker/target/aot");
    /** Writable under the unit: PrivateTmp's /tmp (and the test's runtime directory in it), devices, procfs, cache. */
    private static final List<String> WRITABLE = List.of("/tmp/", "/dev/", "/proc/", CACHE_DIRECTORY + "/");

    @TempDir
    Path dir;

    @Test
    void theServerStaysWithinTheServiceUnitsSandbox() throws Exception {
        var unit = UnitFilesIT.directives(UnitFilesIT.UNITS.resolve("forkcast.service"));
        Set<String> allowed = allowedSystemCalls(unit.get("SystemCallFilter"));
        Set<String> families =
                Set.of(unit.get("RestrictAddressFamilies").getFirst().split(" "));
        Path trace = dir.resolve("trace");
        Path conf = Files.write(dir.resolve("forkcast.conf"), List.of("max_line_bytes = 200"));
        var launcher = List.of(
                "strace",
                "-f",
                "-qq",
                "-y",
                "-o",
                trace.toString(),
                ForkcastServer.HOME.resolve("scripts/forkcast").toString(),
                "run");
        try (var notify = NotifySocket.abstractNamed(
                        "forkcast-sandbox-" + ProcessHandle.current().pid());
                var server = ForkcastServer.start(
                        launcher,
                        Map.of(
                                "NOTIFY_SOCKET",
                                notify.name(),
                                "WATCHDOG_USEC",
                                "1000000",
                                "CACHE_DIRECTORY",
                                CACHE_DIRECTORY.toString()),
                        List.of("--config", conf.toString()))) {
            // strace's child: the launcher, which execs the supervisor's JVM.
            long supervisor = ProcessHandle.of(server.pid())
                    .orElseThrow()
                    .children()
                    .filter(h -> h.info().command().orElse("").endsWith("/java"))
                    .findFirst()
                    .orElseThrow()
                    .pid();
            try (var a = server.join();
                    var b = server.join()) {
                a.send("/nick ann");
                b.expect("*** " + a.address() + " (" + a.pid() + ") is now known as ann");
                b.send("hello from b");
                a.expect("[" + b.address() + "] (" + b.pid() + "): hello from b");
                ForkcastServer.kill(supervisor, "HUP");
                server.awaitLog("event=reload ");
                notify.expect(m -> m.startsWith("RELOADING=1"), Duration.ofSeconds(30));
                a.send("/quit");
                b.expect("*** ann (" + a.pid() + ") left");
            }
            ForkcastServer.kill(supervisor, "TERM");
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "strace did not end with the server");
        }

        var used = new TreeSet<String>();
        var socketFamilies = new TreeSet<String>();
        var written = new TreeSet<String>();
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            Matcher call = found(line, CALL);
            if (call != null) {
                used.add(call.group(1));
            }
            Matcher family = found(line, SOCKET_FAMILY);
            if (family != null) {
                socketFamilies.add(family.group(1));
            }
            Matcher dirAndPath = found(line, OPEN_FOR_WRITE, CHANGE_NAME_AT);
            Matcher path = dirAndPath == null ? found(line, CHANGE_NAME, BIND_PATH) : null;
            if (dirAndPath != null) {
                String name = dirAndPath.group(2);
                written.add(name.startsWith("/") ? name : dirAndPath.group(1) + "/" + name);
            } else if (path != null) {
                written.add(path.group(1));
            }
        }
        assertTrue(
                used.containsAll(List.of("execve", "clone3", "accept", "wait4", "sendto")),
                "the trace is incomplete: " + used);
        used.removeAll(allowed);
        assertEquals(Set.of(), used, "system calls outside SystemCallFilter=");
        socketFamilies.removeAll(families);
        assertEquals(Set.of(), socketFamilies, "socket families outside RestrictAddressFamilies=");
        written.removeIf(path -> WRITABLE.stream().anyMatch(path::startsWith));
        assertEquals(Set.of(), written, "files written outside what ProtectSystem=strict leaves writable");
    }

    /** The matcher of the first pattern found in {@code line}, or null. */
    private static Matcher found(String line, Pattern... patterns) {
        for (var pattern : patterns) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    /** Expands the unit's SystemCallFilter= lines: the first is an allow list, each ~ line takes calls away. */
    private static Set<String> allowedSystemCalls(List<String> filters) throws Exception {
        Map<String, List<String>> groups = syscallGroups();
        var allowed = new TreeSet<String>();
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            boolean deny = filter.startsWith("~");
            assertTrue(deny || i == 0, "expected an allow list followed by ~ lines: " + filters);
            var calls = new TreeSet<String>();
            for (String item : (deny ? filter.substring(1) : filter).strip().split("\\s+", -1)) {
                expand(item, groups, calls);
            }
            if (deny) {
                allowed.removeAll(calls);
            } else {
                allowed.addAll(calls);
            }
        }
        return allowed;
    }

    private static void expand(String item, Map<String, List<String>> groups, Set<String> into) {
        if (!item.startsWith("@")) {
            into.add(item);
            return;
        }
        assertTrue(groups.containsKey(item), "unknown system call group " + item);
        for (String member : groups.get(item)) {
            expand(member, groups, into);
        }
    }

    /** Every group systemd knows, from {@code systemd-analyze syscall-filter}. */
    private static Map<String, List<String>> syscallGroups() throws Exception {
        var process = new ProcessBuilder("systemd-analyze", "syscall-filter", "--no-pager").start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        var groups = new HashMap<String, List<String>>();
        List<String> current = null;
        for (String line : output.lines().toList()) {
            if (line.startsWith("@")) {
                current = new ArrayList<>();
                groups.put(line.strip(), current);
            } else if (line.isBlank() || !Character.isWhitespace(line.charAt(0))) {
                current = null;
            } else if (current != null && !line.strip().startsWith("#")) {
                current.add(line.strip());
            }
        }
        return groups;
    }
}
