package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.admin.MetricsWriter;
import io.forkcast.supervisor.link.LeaveCause;
import io.forkcast.supervisor.link.Links;
import io.forkcast.supervisor.meter.Meter;
import io.forkcast.supervisor.meter.ProcessUsage;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.Children;
import io.forkcast.supervisor.spawn.Pool;
import io.forkcast.supervisor.spawn.SpawnStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every metric family the supervisor exposes on {@code METRICS} and {@code /metrics}, in one place: a new family is
 * one more call in {@link #write} (the admin socket's own are written by the admin commands). Names are {@code
 * forkcast_*} with their unit; counters end in {@code _total}. Confined to the loop thread.
 */
final class MetricFamilies {
    /** Upper bounds of {@code forkcast_worker_pss_bytes}, in MiB: a worker is 12-30 MiB, a busy one more. */
    private static final long[] PSS_BOUNDS_MIB = {8, 12, 16, 20, 24, 32, 48, 64, 128, 256};

    /** The clients the server itself disconnected, by the cause STATS counts them under. */
    private static final List<LeaveCause> DROPPED =
            List.of(LeaveCause.FLOOD, LeaveCause.SLOW, LeaveCause.SLOW_WORKER, LeaveCause.REJECTED);

    private final Router router;
    private final Links links;
    private final Children children;
    private final Pool<?> pool;
    private final SpawnStats spawn;
    private final Meter meter;
    private final Services services;
    private final long startedAtNanos;

    MetricFamilies(
            Router router,
            Links links,
            Children children,
            Pool<?> pool,
            SpawnStats spawn,
            Meter meter,
            Services services,
            long startedAtNanos) {
        this.router = router;
        this.links = links;
        this.children = children;
        this.pool = pool;
        this.spawn = spawn;
        this.meter = meter;
        this.services = services;
        this.startedAtNanos = startedAtNanos;
    }

    void write(MetricsWriter out) {
        var stats = links.stats();
        out.gauge(
                "forkcast_uptime_seconds",
                "Seconds since the supervisor started.",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos));
        out.gauge("forkcast_clients", "Clients connected and receiving.", router.receiving());
        out.gauge(
                "forkcast_workers",
                "Worker JVMs by state: idle spares, serving a client, still starting.",
                "state",
                ordered("spare", pool.idle(), "serving", links.serving(), "starting", children.unlinked()));
        out.gauge(
                "forkcast_rooms",
                "Rooms that exist now, configured empty ones included.",
                router.rooms().size());
        out.counter(
                "forkcast_deliveries_total",
                "Frames queued for workers: one per recipient of each line, notice or event.",
                links.deliveries());
        out.counter(
                "forkcast_messages_total",
                "Lines and events relayed, each once whatever its number of recipients.",
                router.framesRelayed());
        out.counter("forkcast_relay_bytes_total", "Bytes queued for workers.", links.bytesRelayed());
        out.counter("forkcast_private_lines_total", "Private messages relayed (/msg, /reply).", router.privateLines());
        out.counter(
                "forkcast_duplicates_dropped_total",
                "Lines a resuming worker sent again and that were not relayed twice.",
                router.delivery().duplicatesDropped());
        var dropped = new LinkedHashMap<String, Long>();
        for (var cause : DROPPED) {
            dropped.put(cause.word(), stats.leftBy(cause));
        }
        out.counter(
                "forkcast_dropped_total",
                "Clients the server disconnected: flooding, not reading, a worker not keeping up, bad frames.",
                "cause",
                dropped);
        var left = new LinkedHashMap<String, Long>();
        for (var cause : LeaveCause.COUNTED) {
            left.put(cause.word(), stats.leftBy(cause));
        }
        out.counter("forkcast_left_total", "Clients gone, by cause.", "cause", left);
        out.counter("forkcast_kicked_total", "Clients kicked by an operator.", stats.kicked());
        out.counter("forkcast_spawned_total", "Worker JVMs started.", spawn.spawned());
        out.counter("forkcast_spawn_failed_total", "Worker starts that failed.", spawn.spawnFailed());
        out.counter("forkcast_boot_failed_total", "Workers that died before they connected.", spawn.bootFailed());
        out.counter("forkcast_handoffs_total", "Clients handed to a spare worker.", spawn.handoffs());
        out.counter("forkcast_adopted_total", "Workers adopted from a supervisor before this one.", stats.adopted());
        out.counter(
                "forkcast_refused_total",
                "Connections refused before any worker served them.",
                "reason",
                ordered(
                        "full",
                        spawn.refusedFull(),
                        "per_address",
                        spawn.refusedPerAddress(),
                        "busy",
                        spawn.refusedBusy()));
        out.counter(
                "forkcast_exited_total",
                "Worker JVMs that exited, by how.",
                "how",
                ordered("clean", spawn.exitedClean(), "error", spawn.exitedError(), "signal", spawn.exitedSignal()));
        out.counter("forkcast_frames_rejected_total", "Workers killed for a bad frame.", stats.framesRejected());
        out.counter("forkcast_hub_refused_total", "Hub connections refused.", stats.hubRefused());
        workerUsage(out);
    }

    /** What the workers and the supervisor cost, as last sampled from /proc. */
    private void workerUsage(MetricsWriter out) {
        var samples = meter.all();
        long[] pss = samples.stream()
                .mapToLong(ProcessUsage::pssBytes)
                .filter(b -> b >= 0)
                .toArray();
        long[] bounds = new long[PSS_BOUNDS_MIB.length];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = PSS_BOUNDS_MIB[i] * 1024 * 1024;
        }
        out.histogram(
                "forkcast_worker_pss_bytes",
                "Proportional resident memory of each worker JVM, as last sampled from /proc.",
                bounds,
                pss);
        out.gauge(
                "forkcast_workers_rss_bytes",
                "Resident memory of every worker JVM added up (shared pages counted in each).",
                samples.stream().mapToLong(u -> Math.max(0, u.rssBytes())).sum());
        out.gauge(
                "forkcast_workers_cpu_seconds",
                "CPU time used by the worker JVMs alive now.",
                samples.stream().mapToLong(ProcessUsage::cpuMillis).sum() / 1000.0);
        out.gauge(
                "forkcast_workers_threads",
                "Threads of every worker JVM added up.",
                samples.stream().mapToLong(ProcessUsage::threads).sum());
        out.gauge(
                "forkcast_workers_open_fds",
                "Open descriptors of every worker JVM added up.",
                samples.stream().mapToLong(u -> Math.max(0, u.fds())).sum());
        var self = meter.self();
        if (self != null) {
            out.gauge(
                    "forkcast_supervisor_pss_bytes",
                    "Proportional resident memory of the supervisor.",
                    self.pssBytes());
            out.gauge("forkcast_supervisor_rss_bytes", "Resident memory of the supervisor.", self.rssBytes());
            out.counter(
                    "forkcast_supervisor_cpu_seconds_total",
                    "CPU time the supervisor used.",
                    self.cpuMillis() / 1000.0);
            out.gauge("forkcast_supervisor_threads", "Threads of the supervisor.", self.threads());
        }
        accountsAndStore(out);
        out.gauge(
                "forkcast_meter_round_seconds",
                "How long the last round of /proc samples of every worker took.",
                meter.lastRoundNanos() / 1e9);
    }

    /** Logins, history and kept messages (route/), and the store's queue and state (services/). */
    private void accountsAndStore(MetricsWriter out) {
        var login = router.login();
        out.counter("forkcast_logins_total", "Logins that succeeded.", login.loginsOk());
        out.counter(
                "forkcast_logins_failed_total",
                "Logins refused (wrong password or no such user).",
                login.loginsFailed());
        var figures = new LinkedHashMap<String, Long>();
        services.counters(figures);
        out.counter(
                "forkcast_logins_busy_total",
                "Logins refused because the verifying pool was full.",
                figures.getOrDefault("logins_busy", 0L));
        out.counter(
                "forkcast_history_lines_kept_total",
                "Room lines handed to the store for history.",
                router.historyDesk().kept());
        out.counter(
                "forkcast_history_lines_not_kept_total",
                "Room lines the store's full queue refused.",
                router.historyDesk().notKept());
        var broker = router.broker().stats();
        out.counter("forkcast_broker_sent_total", "Broker messages senders sent.", broker.sent());
        out.counter("forkcast_broker_delivered_total", "Broker messages given to receivers.", broker.delivered());
        out.counter("forkcast_broker_acked_total", "Broker messages receivers acknowledged.", broker.acked());
        out.counter("forkcast_broker_stored_total", "Broker messages committed to the store.", broker.stored());
        out.counter("forkcast_broker_refused_total", "Broker sends refused (bad, full channel).", broker.refused());
        out.counter(
                "forkcast_broker_dropped_total",
                "Broker messages nobody was there to take (keep_data off or no store).",
                broker.dropped());
        out.gauge("forkcast_broker_pending", "Broker messages waiting or unacknowledged.", broker.pending());
        var mqtt = router.mqtt().stats();
        out.counter("forkcast_mqtt_connects_total", "MQTT CONNECTs accepted.", mqtt.connects());
        out.counter("forkcast_mqtt_refused_total", "MQTT CONNECTs refused (credentials, anonymous).", mqtt.refusals());
        out.counter("forkcast_mqtt_takeovers_total", "MQTT sessions taken over by a new connection.", mqtt.takeovers());
        out.counter("forkcast_mqtt_published_total", "MQTT PUBLISHes routed.", mqtt.published());
        out.counter("forkcast_mqtt_delivered_total", "MQTT messages sent to subscribers.", mqtt.delivered());
        out.counter(
                "forkcast_mqtt_dropped_total",
                "MQTT messages dropped (QoS 0 offline, expired, queue full, too large).",
                mqtt.dropped());
        out.counter("forkcast_mqtt_wills_total", "MQTT wills published.", mqtt.wills());
        out.gauge("forkcast_mqtt_sessions", "MQTT sessions held, connected or not.", mqtt.sessions());
        out.gauge("forkcast_mqtt_connected", "MQTT clients connected.", mqtt.connected());
        out.gauge("forkcast_mqtt_retained", "MQTT retained messages.", mqtt.retained());
        out.gauge("forkcast_mqtt_queued", "MQTT messages queued for their sessions.", mqtt.queued());
        var tags = router.tags();
        out.gauge("forkcast_websockets_open", "WebSocket clients whose handshake was accepted.", tags.open());
        out.counter(
                "forkcast_websocket_opens_refused_total",
                "WebSocket handshakes refused (application key, tags).",
                tags.opensRefused());
        out.counter("forkcast_tagged_sent_total", "Tagged messages (seed 001) sent.", tags.taggedSent());
        out.counter(
                "forkcast_tagged_delivered_total",
                "Tagged messages given to matching WebSocket clients.",
                tags.taggedDelivered());
        out.counter(
                "forkcast_tagged_refused_total",
                "Tagged messages refused (no tags, application key).",
                tags.taggedRefused());
        out.counter("forkcast_offline_stored_total", "Private messages kept for absent users.", login.offlineStored());
        out.counter(
                "forkcast_offline_delivered_total",
                "Kept private messages delivered at a login.",
                login.offlineDelivered());
        out.gauge(
                "forkcast_store_up",
                "1 while the store is reachable (or off), 0 while it is down.",
                1 - figures.getOrDefault("store_down", 0L));
        out.gauge(
                "forkcast_store_queued",
                "Writes waiting for the store to commit them.",
                figures.getOrDefault("store_queued", 0L));
        out.counter(
                "forkcast_store_committed_total",
                "Writes the store committed.",
                figures.getOrDefault("store_committed", 0L));
        out.counter(
                "forkcast_store_failed_total", "Writes the store failed.", figures.getOrDefault("store_failed", 0L));
        out.counter(
                "forkcast_store_refused_total",
                "Writes refused because the store's queue was full.",
                figures.getOrDefault("store_refused", 0L));
        out.counter(
                "forkcast_store_retries_total",
                "Store transactions or connections tried again.",
                figures.getOrDefault("store_retries", 0L));
        if (figures.containsKey("federation_connected")) {
            federation(out, figures);
        }
    }

    /** The figures of a node of a federation (docs/federation.md); absent for a supervisor alone. */
    private static void federation(MetricsWriter out, Map<String, Long> figures) {
        out.gauge(
                "forkcast_federation_connected",
                "1 while connected to a NATS server.",
                figures.get("federation_connected"));
        out.counter(
                "forkcast_federation_reconnects_total", "Reconnections to NATS.", figures.get("federation_reconnects"));
        out.counter(
                "forkcast_federation_published_total", "Room events published.", figures.get("federation_published"));
        out.counter(
                "forkcast_federation_received_total",
                "Other nodes' room events taken.",
                figures.get("federation_received"));
        out.counter(
                "forkcast_federation_duplicates_total",
                "Messages dropped as seen before.",
                figures.get("federation_duplicates"));
        out.counter(
                "forkcast_federation_dropped_total",
                "Room events not published (disconnected past the buffer).",
                figures.get("federation_dropped"));
        out.gauge("forkcast_federation_nodes", "Other nodes heard from.", figures.get("federation_nodes"));
        out.counter(
                "forkcast_federation_nodes_gone_total",
                "Nodes that went silent past the timeout.",
                figures.get("federation_nodes_gone"));
        if (figures.containsKey("federation_jetstream")) {
            out.gauge(
                    "forkcast_federation_jetstream",
                    "1 once room events go to the JetStream stream.",
                    figures.get("federation_jetstream"));
            out.gauge(
                    "forkcast_federation_pending",
                    "Room events not yet acknowledged by JetStream.",
                    figures.get("federation_pending"));
            out.counter(
                    "forkcast_federation_resent_total", "Room events sent again.", figures.get("federation_resent"));
            out.counter(
                    "forkcast_federation_outbox_dropped_total",
                    "Room events dropped past federation_outbox_max.",
                    figures.get("federation_outbox_dropped"));
            out.gauge(
                    "forkcast_federation_lag_seconds",
                    "Median lag of the last remote room events.",
                    figures.get("federation_lag_ms") / 1000.0);
        }
    }

    private static Map<String, Long> ordered(Object... keysAndValues) {
        var map = new LinkedHashMap<String, Long>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).longValue());
        }
        return map;
    }
}
