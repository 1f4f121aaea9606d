package io.forkcast.supervisor.config;

import java.time.Duration;
import java.util.List;

/**
 * The table of every setting: key, default, description, parser, and whether a reload applies it. The order is
 * the documented one (the README's table and scripts/forkcast.conf.example follow it, checked by
 * ExampleConfigTest). Checks that span settings are {@link Config}'s. Immutable.
 */
final class SettingsTable {
    static final int MAX_MOTD_BYTES = 512;

    /** Every setting, in the order they are documented. */
    static final List<Setting> ALL = List.of(
            new Setting("bind", "127.0.0.1", "address the chat port listens on", Setting.text()),
            new Setting("port", "4444", "chat port; 0 picks a free one", Setting.intRange(0, 65535)),
            new Setting(
                    "runtime_dir", "./run", "directory of the hub and admin sockets (created 0700)", Setting.text()),
            new Setting(
                            "admin_group",
                            "",
                            "group whose members may use the admin socket (root and the server's user always may)",
                            Setting.text())
                    .asLive(),
            new Setting(
                    "admin_connections_per_uid_max",
                    "16",
                    "most admin socket connections one user may hold (root and the server's user are not held to"
                            + " it); 0: no limit",
                    Setting.intRange(0, 256)),
            new Setting(
                    "admin_idle_timeout",
                    "5m",
                    "an admin socket connection that sends nothing for this long is closed; 0: never",
                    Setting.duration(Duration.ZERO, Duration.ofDays(1))),
            new Setting(
                    "admin_web_password_file",
                    "",
                    "file holding the admin web pages' credential, one line user:password (not readable by others):"
                            + " with it every request to them needs HTTP basic credentials, and the Java page"
                            + " listens on an address other than loopback only with it",
                    Setting.text()),
            new Setting(
                    "admin_web_hosts",
                    "",
                    "host names the admin web pages answer to besides localhost, the loopback addresses and the"
                            + " address they are bound to, comma-separated; a request naming any other Host is"
                            + " refused (DNS rebinding)",
                    Setting.text()),
            new Setting(
                            "workers_max",
                            "auto",
                            "most clients (worker JVMs serving one) at once; idle spares do not count; auto: what"
                                    + " memory allows at start, (MemAvailable - 256 MiB) / 24 MiB, at most 1024",
                            Setting.autoOrIntRange(1, 100_000))
                    .asLive(),
            new Setting(
                            "clients_per_address_max",
                            "8",
                            "most clients at once from one address (an IPv6 address counts by its ipv6_prefix_length"
                                    + " network); more are refused before a worker is spent on them; 0: no limit",
                            Setting.intRange(0, 100_000))
                    .asLive(),
            new Setting(
                            "ipv6_prefix_length",
                            "64",
                            "leading bits of an IPv6 address that clients_per_address_max counts as one address",
                            Setting.intRange(1, 128))
                    .asLive(),
            new Setting(
                            "workers_starting_max",
                            "0",
                            "most worker JVMs starting at once; while that many start, new clients wait (at most"
                                    + " accept_backlog_max of them); 0: eight per CPU",
                            Setting.intRange(0, 10_000))
                    .asLive(),
            new Setting(
                            "accept_backlog_max",
                            "64",
                            "most clients waiting for a worker while workers_starting_max JVMs start; more are"
                                    + " refused at once with *** server busy, try again later; 0: none wait",
                            Setting.intRange(0, 10_000))
                    .asLive(),
            new Setting(
                            "worker_start_timeout",
                            "30s",
                            "a worker JVM that has not connected to the hub this long after its start is killed,"
                                    + " and its client told why",
                            Setting.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)))
                    .asLive(),
            new Setting(
                    "pool_min_spare",
                    "4",
                    "spare workers kept started and connected, waiting for clients; 0: none",
                    Setting.intRange(0, 10_000)),
            new Setting(
                    "pool_max_spare", "8", "most idle spare workers; more are retired", Setting.intRange(0, 10_000)),
            new Setting(
                    "pool_spare_max_age",
                    "600s",
                    "age after which an idle spare is retired and replaced",
                    Setting.duration(Duration.ofSeconds(1), Duration.ofDays(1))),
            new Setting(
                    "pool_warmup",
                    "on",
                    "a spare runs a practice session of its client kinds before it waits, which halves the wait for"
                            + " a banner and costs each worker some 30 ms of CPU and 1.3 MiB (on); or it waits cold (off)",
                    Setting.oneOf("on", "off")),
            new Setting(
                    "pool_ramp_max",
                    "32",
                    "most spares started per second when refilling (ramps 1, 2, 4, ...)",
                    Setting.intRange(1, 10_000)),
            new Setting("max_line_bytes", "4096", "longest client line, in bytes", Setting.intRange(16, 1 << 20))
                    .asLive(),
            new Setting(
                            "flood_lines_per_second",
                            "20",
                            "lines per second a client may send",
                            Setting.intRange(1, 1_000_000))
                    .asLive(),
            new Setting("flood_burst", "50", "lines a client may send at once", Setting.intRange(1, 1_000_000))
                    .asLive(),
            new Setting(
                            "flood_drops_before_disconnect",
                            "100",
                            "dropped lines after which a flooding client is disconnected",
                            Setting.intRange(1, 100_000_000))
                    .asLive(),
            new Setting(
                    "flood_bytes_per_second",
                    "65536",
                    "bytes per second a client may send, whatever they are; past it its worker stops reading"
                            + " until the rate allows (TCP slows the sender); 0: no limit",
                    Setting.intRange(0, 1 << 30)),
            new Setting(
                    "flood_bytes_burst",
                    "262144",
                    "bytes a client may send at once before flood_bytes_per_second applies",
                    Setting.intRange(16 * 1024, 1 << 30)),
            new Setting(
                            "client_buffer_bytes",
                            "1048576",
                            "output a worker holds for a client that does not read",
                            Setting.intRange(4096, 1 << 30))
                    .asLive(),
            new Setting(
                    "outbox_max_bytes",
                    "4194304",
                    "frames the supervisor queues for one worker",
                    Setting.intRange(65536, 1 << 30)),
            new Setting(
                    "max_frame_bytes", "65536", "largest hub frame, header included", Setting.intRange(1024, 16 << 20)),
            new Setting("worker_java", "java", "java executable that runs workers", Setting.text()),
            new Setting("worker_classpath", "", "classpath of the worker JVM", Setting.text()),
            new Setting("worker_main", "io.forkcast.worker.Main", "main class of the worker JVM", Setting.text()),
            // Each flag measured alone in docs/benchmarks.md ("worker JVM flags"). CompileThresholdScaling=10
            // compiles only what a session runs often, ArchiveRelocationMode=0 keeps the CDS/AOT archive's pages
            // shared between workers: together 28 -> 16 MiB PSS and a third less CPU per worker start, for lower
            // throughput under floods (the trade-off is measured there).
            new Setting(
                    "worker_jvm_options",
                    "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -Xss256k -Xms16m -Xmx16m"
                            + " -XX:CICompilerCount=1 -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions"
                            + " -XX:ArchiveRelocationMode=0 --sun-misc-unsafe-memory-access=allow"
                            + " --enable-native-access=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "JVM options of workers, separated by spaces",
                    Setting.text()),
            new Setting(
                    "worker_aot_cache",
                    "",
                    "AOT cache given to workers (-XX:AOTCache) if the file exists; scripts/forkcast run sets it to a"
                            + " cache trained for these jars, JDK and worker options",
                    Setting.text()),
            new Setting(
                    "hub_reconnect_timeout",
                    "30s",
                    "how long a worker keeps its client while it waits for a restarted supervisor; 0: not at all",
                    Setting.duration(Duration.ZERO, Duration.ofHours(1))),
            new Setting(
                    "idle_timeout",
                    "1h",
                    "a client that sends nothing for this long is told why and disconnected; 0: never",
                    Setting.duration(Duration.ZERO, Duration.ofDays(7))),
            new Setting(
                            "tcp_keepalive_idle",
                            "60s",
                            "TCP keepalive on client sockets: silence before the first probe (6 unanswered probes, 10 s"
                                    + " apart, close a vanished peer's connection); 0: no keepalive",
                            Setting.duration(Duration.ZERO, Duration.ofHours(2)))
                    .asLive(),
            new Setting(
                            "motd",
                            "",
                            "message of the day, shown to each new client after the banner; \\n starts a new line",
                            Setting.printable(MAX_MOTD_BYTES))
                    .asLive(),
            new Setting(
                    "default_room",
                    "lobby",
                    "the room every client starts in, and where /part goes back to",
                    RoomSettings.name()),
            new Setting(
                    "rooms",
                    "",
                    "rooms made at start and kept while empty, separated by commas, each NAME or NAME \"TOPIC\""
                            + " (for example: lobby \"Welcome\", help, dev \"Builds, releases\")",
                    RoomSettings.list()),
            new Setting(
                            "rooms_max",
                            "1000",
                            "most rooms at once, the configured ones included",
                            Setting.intRange(1, 1_000_000))
                    .asLive(),
            new Setting(
                            "users_file",
                            "",
                            "the accounts: an htpasswd file (htpasswd -c FILE USER; apr1, bcrypt, SHA and SHA-crypt"
                                    + " hashes), read again on reload; empty: no accounts",
                            Setting.text())
                    .asLive(),
            new Setting(
                            "login",
                            "",
                            "off, optional (guests chat, /login USER logs in) or required (login: and password:"
                                    + " before anything else); empty: optional with a users_file, off without",
                            Setting.oneOf("", "off", "optional", "required"))
                    .asLive(),
            new Setting(
                            "login_timeout",
                            "60s",
                            "a client asked to log in that has not done so within this time is disconnected",
                            Setting.duration(Duration.ofSeconds(1), Duration.ofHours(1)))
                    .asLive(),
            new Setting(
                    "state_dir",
                    "./state",
                    "directory of the embedded store (created 0700); systemd's StateDirectory",
                    Setting.text()),
            new Setting(
                    "store_url",
                    "",
                    "the store of room history and offline messages: jdbc:h2:..., jdbc:mariadb://... or"
                            + " jdbc:postgresql://...; empty: jdbc:h2:file:<state_dir>/forkcast; none: no store",
                    Setting.text()),
            new Setting("store_user", "", "user name for store_url", Setting.text()),
            new Setting(
                    "store_password_file",
                    "",
                    "file holding the password for store_url (its first line); empty: none",
                    Setting.text()),
            new Setting(
                    "store_queue_max",
                    "10000",
                    "writes held in memory while the store is slow or down; past it they are refused, with a notice",
                    Setting.intRange(1, 10_000_000)),
            new Setting(
                            "history_lines",
                            "20",
                            "lines of a room's history shown on entering it; 0: no history is kept",
                            Setting.intRange(0, 10_000))
                    .asLive(),
            new Setting("history_max", "200", "most lines /history N shows", Setting.intRange(1, 10_000)).asLive(),
            new Setting(
                    "history_keep",
                    "10000",
                    "lines of each room's history the store keeps; older ones are deleted as new ones come (every 100"
                            + " lines of a room); 0: every line is kept",
                    Setting.intRange(0, 1_000_000_000)),
            new Setting(
                            "offline_max",
                            "100",
                            "most private messages kept for one registered user while away; 0: none are kept",
                            Setting.intRange(0, 100_000))
                    .asLive(),
            new Setting(
                    "broker_port",
                    "off",
                    "port of seed 000's message broker (JSON lines for programs; 000 used 8887), on bind; it needs a"
                            + " users_file, since every broker client logs in; 0 picks a free one; off: no broker",
                    Setting.offOrIntRange(0, 65535)),
            new Setting(
                            "channel_receivers_max",
                            "0",
                            "how many receivers on a channel get each broker message, those logged in longest; 0: all",
                            Setting.intRange(0, ChannelSettings.MAX_RECEIVERS))
                    .asLive(),
            new Setting(
                            "keep_data",
                            "on",
                            "a broker message no receiver took, or none acknowledged, waits in the store for the next"
                                    + " receiver (on; needs a store) or is dropped, its sender told receivers 0 (off)",
                            Setting.oneOf("on", "off"))
                    .asLive(),
            new Setting(
                            "channels",
                            "",
                            "channels whose limit or keep_data differ, separated by commas, each NAME [receivers=N]"
                                    + " [keep_data=on|off] (for example: sms receivers=1, audit keep_data=off)",
                            ChannelSettings.list())
                    .asLive(),
            new Setting(
                            "record_limit",
                            "5",
                            "most broker messages in one batch to a receiver, as seed 000's recordLimit",
                            Setting.intRange(1, 1000))
                    .asLive(),
            new Setting(
                    "broker_max_message_bytes",
                    "16384",
                    "largest data of one broker message, as compact JSON; it must fit in max_frame_bytes",
                    Setting.intRange(16, 8 << 20)),
            new Setting(
                            "broker_pending_max",
                            "10000",
                            "most broker messages held for one channel, waiting or unacknowledged; past it a send is"
                                    + " refused (channel full) until receivers catch up",
                            Setting.intRange(1, 10_000_000))
                    .asLive(),
            new Setting(
                    "mqtt_port",
                    "1883",
                    "port of MQTT 3.1.1 and 5.0 clients (topic <mqtt_room_prefix>ROOM is room ROOM), on bind; 0 picks"
                            + " a free one; off: none",
                    Setting.offOrIntRange(0, 65535)),
            new Setting(
                    "mqtt_max_packet_bytes",
                    "61440",
                    "largest MQTT packet a client may send; a larger one closes its connection; must fit in"
                            + " max_frame_bytes (less 1024) while mqtt_port is on",
                    Setting.intRange(64, 256 << 20)),
            new Setting(
                            "mqtt_allow_anonymous",
                            "auto",
                            "whether an MQTT client may connect without a user name: on, off, or auto (only while no"
                                    + " users_file is set)",
                            Setting.oneOf("auto", "on", "off"))
                    .asLive(),
            new Setting(
                            "mqtt_room_prefix",
                            "forkcast/rooms/",
                            "the MQTT topic prefix of rooms: a PUBLISH to PREFIX + ROOM is a line in ROOM, and ROOM's"
                                    + " lines are published there; empty: no bridge",
                            Setting.text())
                    .asLive(),
            new Setting(
                            "mqtt_room_format",
                            "text",
                            "the payload of a room's line for MQTT subscribers: text (NICK: TEXT) or json"
                                    + " ({\"room\",\"from\",\"text\",\"time\"})",
                            Setting.oneOf("text", "json"))
                    .asLive(),
            new Setting(
                            "mqtt_inflight_max",
                            "64",
                            "most QoS 1 and 2 messages unacknowledged by one MQTT client at once (less if it asks for"
                                    + " less); the rest wait in order",
                            Setting.intRange(1, 65535))
                    .asLive(),
            new Setting(
                            "mqtt_sys_interval",
                            "10s",
                            "how often the STATS figures are published, retained, as $SYS/forkcast/NAME (mqtt_connects"
                                    + " as mqtt/connects) while MQTT clients are connected or kept; 0: never",
                            Setting.duration(Duration.ZERO, Duration.ofHours(1)))
                    .asLive(),
            new Setting(
                    "ws_port",
                    "8080",
                    "port of WebSocket clients (browsers; seeds 001 and 003 used 8080) and of the chat page, on bind;"
                            + " 0 picks a free one; off: none",
                    Setting.offOrIntRange(0, 65535)),
            new Setting(
                    "ws_allowed_origins",
                    "",
                    "origins a browser may open a WebSocket from, comma-separated (like https://chat.example.org);"
                            + " * any; empty: the same host and port as the request's Host",
                    WebSocketSettings.origins()),
            new Setting(
                    "ws_ping_interval",
                    "30s",
                    "a WebSocket client silent this long is pinged, and closed when it does not answer within as"
                            + " long again",
                    Setting.duration(Duration.ofSeconds(1), Duration.ofHours(1))),
            new Setting(
                    "ws_max_message_bytes",
                    // 60 KiB: with 16 tags of 64 bytes and the frame's header, a tagged line fits in the default
                    // max_frame_bytes (65536). Raise both together for larger messages.
                    "61440",
                    "largest message a WebSocket client may send, fragments joined; it must fit in max_frame_bytes",
                    Setting.intRange(125, 16 << 20)),
            new Setting(
                    "ws_tags_max",
                    "16",
                    "most tags (key and value pairs) of one WebSocket connection or tagged message",
                    Setting.intRange(1, 256)),
            new Setting(
                    "ws_tag_bytes_max",
                    "64",
                    "longest key or value of a tag, in bytes of UTF-8",
                    Setting.intRange(1, 1024)),
            new Setting(
                            "ws_auth_file",
                            "",
                            "seed 001's applications (YAML, applications: with key, secret, authorizeOpen each), read"
                                    + " again on reload: opening a WebSocket needs the key and secret of one that may"
                                    + " open, a tagged send those of any; empty: anyone may",
                            Setting.text())
                    .asLive(),
            new Setting(
                    "federation_url",
                    "",
                    "NATS servers of a federation of supervisors sharing rooms, comma-separated (nats://host:4222,"
                            + " tls://host:4222); empty: this supervisor is alone (docs/federation.md)",
                    FederationSettings.urlList()),
            new Setting(
                    "node_name",
                    "",
                    "this supervisor's name among the nodes of a federation, unique among them: letters, digits,"
                            + " '-', '_' or '.'; empty: the host name",
                    FederationSettings.nodeNameText()),
            new Setting(
                    "federation_credentials_file",
                    "",
                    "credentials for the NATS servers: a NATS .creds file, or one line user:password (not readable"
                            + " by others); empty: none",
                    Setting.text()),
            new Setting(
                    "federation_node_timeout",
                    "15s",
                    "a node not heard from for this long (heartbeats every third of it) has its people shown as"
                            + " left",
                    Setting.duration(Duration.ofSeconds(1), Duration.ofMinutes(10))),
            new Setting(
                    "federation_outbox_max",
                    "10000",
                    "room events kept for the other nodes while JetStream has not acknowledged them (NATS down),"
                            + " sent again after a reconnection; past it they are dropped and counted",
                    Setting.intRange(1, 1_000_000)),
            new Setting(
                    "federation_stream_max_age",
                    "24h",
                    "how long the JetStream stream FORKCAST_ROOMS keeps room events for nodes catching up after a"
                            + " reconnection",
                    Setting.duration(Duration.ofMinutes(1), Duration.ofDays(365))),
            new Setting(
                    "federation_stream_max_mb",
                    "256",
                    "the size bound of the stream FORKCAST_ROOMS, in MiB; the oldest events go first",
                    Setting.intRange(1, 1 << 20)));

    /** One line per setting: flag, default and what it does; for {@code --help}. */
    static String describe() {
        var sb = new StringBuilder();
        for (var s : ALL) {
            String def = s.defaultValue().isEmpty() ? "(none)" : s.defaultValue();
            String live = s.live() ? "; a reload applies it" : "";
            sb.append(String.format(
                    "  %-32s %s%n  %-32s default: %s%s%n", s.flag() + " VALUE", s.description(), "", def, live));
        }
        return sb.toString();
    }

    private SettingsTable() {}
}
