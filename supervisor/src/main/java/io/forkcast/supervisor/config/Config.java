package io.forkcast.supervisor.config;

import io.forkcast.protocol.frame.LineEnvelope;
import io.forkcast.supervisor.route.ChannelRule;
import io.forkcast.supervisor.route.RoomBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The supervisor's settings. Each has a default; a config file ({@code key = value}) overrides the defaults and
 * flags ({@code --max-line-bytes 4096}) override the file. Validated all at once so that every problem is
 * reported, one line each, naming the flag or the file and line. Immutable.
 */
public final class Config {
    /** Read when no {@code --config FILE} is given and it exists. */
    public static final Path DEFAULT_FILE = Path.of("/etc/forkcast/forkcast.conf");

    /** What a broker message's frame carries besides its data: the header, the channel and the ids. */
    public static final int BROKER_FRAME_OVERHEAD = 1024;

    /** Every setting, in the order they are documented ({@link SettingsTable}). */
    static final List<Setting> SETTINGS = SettingsTable.ALL;

    private final Map<String, Object> values;
    private final Path file;

    private Config(Map<String, Object> values, Path file) {
        this.values = values;
        this.file = file;
    }

    public static Config defaults() {
        try {
            return fromArgs(List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("defaults do not validate: " + e.getMessage(), e);
        }
    }

    /** Flags only, and the file named by {@code --config} if there is one; {@link #DEFAULT_FILE} is not read. */
    public static Config fromArgs(List<String> args) throws ConfigException {
        return load(args, null);
    }

    /** Defaults, then {@code --config FILE} or else {@link #DEFAULT_FILE} when it exists, then the other flags. */
    public static Config load(List<String> args) throws ConfigException {
        return load(args, DEFAULT_FILE);
    }

    static Config load(List<String> args, Path defaultFile) throws ConfigException {
        var problems = new ArrayList<String>();
        var flags = new LinkedHashMap<Setting, String>();
        Path file = parseFlags(args, flags, problems);
        if (file == null && defaultFile != null && Files.exists(defaultFile)) {
            file = defaultFile;
        }
        var values = new LinkedHashMap<String, Object>();
        for (var s : SETTINGS) {
            values.put(s.key(), s.parser().apply(s.defaultValue()));
        }
        if (file != null) {
            for (var entry : ConfigFile.read(file, problems)) {
                String where = file + ":" + entry.line() + ": ";
                Setting setting = byKey(entry.key());
                if (setting == null) {
                    problems.add(where + "unknown key " + entry.key() + " (scripts/forkcast help lists the settings)");
                    continue;
                }
                parseInto(values, setting, entry.value(), where + "bad value for " + setting.key(), problems);
            }
        }
        flags.forEach(
                (setting, value) -> parseInto(values, setting, value, "bad value for " + setting.flag(), problems));
        problems.addAll(Agreement.problems(values));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(values, file);
    }

    /** The longest line whose frames fit in {@code maxFrameBytes}. */
    static int maxLineBytesFor(int maxFrameBytes) {
        return (int) Math.max(0, ((long) maxFrameBytes - 1 - LineEnvelope.ENVELOPE_BYTES) * 2 / 3);
    }

    /** Collects {@code --flag value} and {@code --flag=value} pairs; returns the {@code --config} file or null. */
    private static Path parseFlags(List<String> args, Map<Setting, String> flags, List<String> problems) {
        Path file = null;
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
            if (setting == null && !name.equals("--config")) {
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
            if (setting == null) {
                file = Path.of(value);
            } else {
                flags.put(setting, value);
            }
        }
        return file;
    }

    private static void parseInto(
            Map<String, Object> values, Setting setting, String text, String problemPrefix, List<String> problems) {
        try {
            values.put(setting.key(), setting.parser().apply(text));
        } catch (IllegalArgumentException e) {
            problems.add(problemPrefix + ": " + e.getMessage());
        }
    }

    /** One line per setting: flag, default and what it does; for {@code --help}. */
    public static String describe() {
        return SettingsTable.describe();
    }

    private static Setting byFlag(String flag) {
        return SETTINGS.stream().filter(s -> s.flag().equals(flag)).findFirst().orElse(null);
    }

    private static Setting byKey(String key) {
        return SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    /** Keys whose values differ between this configuration and {@code other}, in table order. */
    public List<String> differences(Config other) {
        var keys = new ArrayList<String>();
        for (var s : SETTINGS) {
            if (!Objects.equals(values.get(s.key()), other.values.get(s.key()))) {
                keys.add(s.key());
            }
        }
        return keys;
    }

    /** True when a reload applies {@code key} to the running server; other keys need a restart. */
    public static boolean isLive(String key) {
        Setting s = byKey(key);
        return s != null && s.live();
    }

    /** This configuration with the live settings of {@code next}; the others keep their current values. */
    public Config withLiveSettingsOf(Config next) {
        var merged = new LinkedHashMap<>(values);
        for (var s : SETTINGS) {
            if (s.live()) {
                merged.put(s.key(), next.values.get(s.key()));
            }
        }
        return new Config(merged, next.file);
    }

    /** The config file that was read, or null when there was none. */
    public Path file() {
        return file;
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

    /** workers_max as configured; 0 for auto (sized from memory once, at start: see WorkerBudget). */
    public int workersMax() {
        return integer("workers_max");
    }

    public int floodBytesPerSecond() {
        return integer("flood_bytes_per_second");
    }

    public int floodBytesBurst() {
        return integer("flood_bytes_burst");
    }

    public int adminConnectionsPerUidMax() {
        return integer("admin_connections_per_uid_max");
    }

    public Duration adminIdleTimeout() {
        return (Duration) values.get("admin_idle_timeout");
    }

    /** How long a client may send nothing; zero for ever. */
    public Duration idleTimeout() {
        return (Duration) values.get("idle_timeout");
    }

    /** Silence on a client socket before the first keepalive probe; zero for no keepalive. */
    public Duration tcpKeepaliveIdle() {
        return (Duration) values.get("tcp_keepalive_idle");
    }

    /** Most clients at once from one address; 0 for no limit. */
    public int clientsPerAddressMax() {
        return integer("clients_per_address_max");
    }

    public int ipv6PrefixLength() {
        return integer("ipv6_prefix_length");
    }

    /** Name of the group let in on the admin socket; empty for none. */
    public String adminGroup() {
        return string("admin_group");
    }

    /** Most worker JVMs starting at once (a configured 0 means eight per CPU). */
    public int workersStartingMax() {
        int configured = integer("workers_starting_max");
        return configured > 0 ? configured : 8 * Runtime.getRuntime().availableProcessors();
    }

    /** Most clients waiting for a worker while workers_starting_max JVMs start. */
    public int acceptBacklogMax() {
        return integer("accept_backlog_max");
    }

    /** How long a worker JVM may take to connect to the hub before it is killed. */
    public Duration workerStartTimeout() {
        return (Duration) values.get("worker_start_timeout");
    }

    /** history_keep: lines of each room's history the store keeps; 0: all. */
    public int historyKeep() {
        return integer("history_keep");
    }

    /** pool_min_spare, pool_max_spare and the rest: the warm pool. */
    public PoolSettings pool() {
        return PoolSettings.of(values);
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
        return Arrays.stream(string("worker_jvm_options").strip().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public Duration hubReconnectTimeout() {
        return (Duration) values.get("hub_reconnect_timeout");
    }

    /** The room every client starts in. */
    public String defaultRoom() {
        return string("default_room");
    }

    /** The rooms made at start and kept while empty, with their topics, as configured. */
    @SuppressWarnings("unchecked") // parsed by RoomSettings.list(), which makes nothing else
    public List<RoomBook.Configured> rooms() {
        return (List<RoomBook.Configured>) values.get("rooms");
    }

    public int roomsMax() {
        return integer("rooms_max");
    }

    /** The message of the day, one entry per line; empty when there is none. */
    public List<String> motdLines() {
        String motd = string("motd");
        return motd.isEmpty() ? List.of() : List.of(motd.split("\\\\n"));
    }

    /** The users file, or null when there are no accounts. */
    public Path usersFile() {
        String file = string("users_file");
        return file.isEmpty() ? null : Path.of(file);
    }

    /** How clients log in: {@code off}, {@code optional} or {@code required}. */
    public String login() {
        String login = string("login");
        if (!login.isEmpty()) {
            return login;
        }
        return usersFile() == null ? "off" : "optional";
    }

    public Duration loginTimeout() {
        return (Duration) values.get("login_timeout");
    }

    public Path stateDir() {
        return Path.of(string("state_dir"));
    }

    /** The store's JDBC URL, "none" for no store; the default is an H2 file in the state directory. */
    public String storeUrl() {
        String url = string("store_url");
        if (!url.isEmpty()) {
            return url;
        }
        return "jdbc:h2:file:" + stateDir().toAbsolutePath().normalize().resolve("forkcast");
    }

    /** True when the store is the embedded one in {@link #stateDir} (which must then exist). */
    public boolean storeIsDefault() {
        return string("store_url").isEmpty();
    }

    public String storeUser() {
        return string("store_user");
    }

    /** The file holding the store's password, or null. */
    public Path storePasswordFile() {
        String file = string("store_password_file");
        return file.isEmpty() ? null : Path.of(file);
    }

    public int storeQueueMax() {
        return integer("store_queue_max");
    }

    public int historyLines() {
        return integer("history_lines");
    }

    public int historyMax() {
        return integer("history_max");
    }

    public int offlineMax() {
        return integer("offline_max");
    }

    /** The MQTT port; -1 when it is off, 0 for a free one. */
    public int mqttPort() {
        return integer("mqtt_port");
    }

    public int mqttMaxPacketBytes() {
        return integer("mqtt_max_packet_bytes");
    }

    /** Whether MQTT clients may connect anonymously; null: only while there are no accounts. */
    public Boolean mqttAllowAnonymous() {
        String value = string("mqtt_allow_anonymous"); // auto, on or off
        return "auto".equals(value) ? null : Boolean.valueOf("on".equals(value));
    }

    public String mqttRoomPrefix() {
        return string("mqtt_room_prefix");
    }

    public boolean mqttJsonRooms() {
        return "json".equals(string("mqtt_room_format"));
    }

    public int mqttInflightMax() {
        return integer("mqtt_inflight_max");
    }

    /** How often the STATS figures go out on $SYS/forkcast/...; zero: never. */
    public Duration mqttSysInterval() {
        return (Duration) values.get("mqtt_sys_interval");
    }

    /** The broker's port; -1 when it is off, 0 for a free one. */
    public int brokerPort() {
        return integer("broker_port");
    }

    public int channelReceiversMax() {
        return integer("channel_receivers_max");
    }

    public boolean keepData() {
        return "on".equals(string("keep_data"));
    }

    @SuppressWarnings("unchecked") // the channels parser makes nothing else
    public List<ChannelRule> channels() {
        return (List<ChannelRule>) values.get("channels");
    }

    public int recordLimit() {
        return integer("record_limit");
    }

    public int brokerMaxMessageBytes() {
        return integer("broker_max_message_bytes");
    }

    public int brokerPendingMax() {
        return integer("broker_pending_max");
    }

    /** federation_url, node_name and the rest: whether this supervisor shares rooms with others, and how. */
    public FederationSettings federation() {
        return FederationSettings.of(values);
    }

    /** federation_outbox_max and the stream's bounds: how this node's room events are kept durable. */
    public StreamSettings federationStream() {
        return StreamSettings.of(values);
    }

    /** The ws_* settings: the WebSocket port, the worker's limits and the applications file. */
    public WebSocketSettings webSocket() {
        return WebSocketSettings.of(values);
    }
}
