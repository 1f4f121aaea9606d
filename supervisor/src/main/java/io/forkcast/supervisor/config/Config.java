package io.forkcast.supervisor.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's settings, each with a default, set by flags ({@code --max-line-bytes 4096}); validated all
 * at once so that every problem is reported, one line each. Immutable.
 */
public final class Config {
    /** Every setting, in the order they are documented. */
    static final List<Setting> SETTINGS = List.of(
            new Setting("bind", "127.0.0.1", "address the chat port listens on", Setting.text()),
            new Setting("port", "4444", "chat port; 0 picks a free one", Setting.intRange(0, 65535)),
            new Setting("runtime_dir", "./run", "directory of the hub and admin sockets (created 0700)", Setting.text()),
            new Setting("workers_max", "1024", "most workers (clients) at once", Setting.intRange(1, 100_000)),
            new Setting("max_line_bytes", "4096", "longest client line, in bytes", Setting.intRange(16, 1 << 20)),
            new Setting("flood_lines_per_second", "20", "lines per second a client may send", Setting.intRange(1, 1_000_000)),
            new Setting("flood_burst", "50", "lines a client may send at once", Setting.intRange(1, 1_000_000)),
            new Setting("flood_drops_before_disconnect", "100",
                    "dropped lines after which a flooding client is disconnected", Setting.intRange(1, 100_000_000)),
            new Setting("client_buffer_bytes", "1048576", "output a worker holds for a client that does not read",
                    Setting.intRange(4096, 1 << 30)),
            new Setting("outbox_max_bytes", "4194304", "frames the supervisor queues for one worker",
                    Setting.intRange(65536, 1 << 30)),
            new Setting("max_frame_bytes", "65536", "largest hub frame, header included", Setting.intRange(1024, 16 << 20)),
            new Setting("worker_java", "java", "java executable that runs workers", Setting.text()),
            new Setting("worker_classpath", "", "classpath of the worker JVM", Setting.text()),
            new Setting("worker_main", "io.forkcast.worker.Main", "main class of the worker JVM", Setting.text()),
            // Each flag measured alone in docs/benchmarks.md ("worker JVM flags"). CompileThresholdScaling=10
            // compiles only what a session runs often, ArchiveRelocationMode=0 keeps the CDS/AOT archive's pages
            // shared between workers: together 28 -> 16 MiB PSS and a third less CPU per worker start, for lower
            // throughput under floods (the trade-off is measured there).
            new Setting("worker_jvm_options",
                    "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -Xss256k -Xms16m -Xmx16m"
                            + " -XX:CICompilerCount=1 -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions"
                            + " -XX:ArchiveRelocationMode=0 --sun-misc-unsafe-memory-access=allow",
                    "JVM options of workers, separated by spaces", Setting.text()),
            new Setting("worker_aot_cache", "",
                    "AOT cache given to workers (-XX:AOTCache) if the file exists; scripts/forkcast run sets it to a"
                            + " cache trained for these jars, JDK and worker options", Setting.text()));

    private final Map<String, Object> values;

    private Config(Map<String, Object> values) {
        this.values = values;
    }

    public static Config defaults() {
        try {
            return fromArgs(List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("defaults do not validate: " + e.getMessage(), e);
        }
    }

    /** Parses {@code --flag value} or {@code --flag=value} pairs; every problem is collected. */
    public static Config fromArgs(List<String> args) throws ConfigException {
        var problems = new ArrayList<String>();
        var raw = new LinkedHashMap<String, String>();
        for (var s : SETTINGS) {
            raw.put(s.key(), s.defaultValue());
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Setting setting = byFlag(name);
            if (setting == null) {
                problems.add("unknown option " + name + " (scripts/forkcast help lists the options)");
                if (value == null && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    i++;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    problems.add("option " + name + " needs a value");
                    continue;
                }
                value = args.get(++i);
            }
            raw.put(setting.key(), value);
        }
        var values = new LinkedHashMap<String, Object>();
        for (var s : SETTINGS) {
            try {
                values.put(s.key(), s.parser().apply(raw.get(s.key())));
            } catch (IllegalArgumentException e) {
                problems.add("bad value for " + s.flag() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(values);
    }

    /** One line per setting: flag, default and what it does; for {@code --help}. */
    public static String describe() {
        var sb = new StringBuilder();
        for (var s : SETTINGS) {
            String def = s.defaultValue().isEmpty() ? "(none)" : s.defaultValue();
            sb.append(String.format("  %-32s %s%n  %-32s default: %s%n", s.flag() + " VALUE", s.description(), "", def));
        }
        return sb.toString();
    }

    private static Setting byFlag(String flag) {
        for (var s : SETTINGS) {
            if (s.flag().equals(flag)) {
                return s;
            }
        }
        return null;
    }

    private int integer(String key) {
        return (Integer) values.get(key);
    }

    private String string(String key) {
        return (String) values.get(key);
    }

    public String bind() {
        return string("bind");
    }

    public int port() {
        return integer("port");
    }

    public Path runtimeDir() {
        return Path.of(string("runtime_dir"));
    }

    public int workersMax() {
        return integer("workers_max");
    }

    public int maxLineBytes() {
        return integer("max_line_bytes");
    }

    public int floodLinesPerSecond() {
        return integer("flood_lines_per_second");
    }

    public int floodBurst() {
        return integer("flood_burst");
    }

    public int floodDropsBeforeDisconnect() {
        return integer("flood_drops_before_disconnect");
    }

    public int clientBufferBytes() {
        return integer("client_buffer_bytes");
    }

    public int outboxMaxBytes() {
        return integer("outbox_max_bytes");
    }

    public int maxFrameBytes() {
        return integer("max_frame_bytes");
    }

    public String workerJava() {
        return string("worker_java");
    }

    public String workerClasspath() {
        return string("worker_classpath");
    }

    public String workerMain() {
        return string("worker_main");
    }

    /** The worker AOT cache file, or null for none. */
    public Path workerAotCache() {
        String path = string("worker_aot_cache").strip();
        return path.isEmpty() ? null : Path.of(path);
    }

    public List<String> workerJvmOptions() {
        return Arrays.stream(string("worker_jvm_options").strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
