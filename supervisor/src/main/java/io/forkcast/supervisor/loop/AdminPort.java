package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.admin.AdminOps;
import io.forkcast.supervisor.admin.MetricsWriter;
import io.forkcast.supervisor.link.Links;
import io.forkcast.supervisor.meter.History;
import io.forkcast.supervisor.meter.Meter;
import io.forkcast.supervisor.route.Ask;
import io.forkcast.supervisor.route.Federation;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.Children;
import io.forkcast.supervisor.spawn.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The admin socket's port onto the loop: snapshots of the routing domain and the links out, a few orders (notice,
 * broadcast, kick) in. Called on the loop thread, where the admin socket is served.
 */
final class AdminPort implements AdminOps {
    private final Router router;
    private final Links links;
    private final Children children;
    private final Pool<?> pool;
    private final Counters counters;
    private final Services services;
    private final Meter meter;
    private final History history;
    private final MetricFamilies metrics;
    private final long startedAtNanos;

    AdminPort(
            Router router,
            Links links,
            Children children,
            Pool<?> pool,
            Counters counters,
            Services services,
            Meter meter,
            History history,
            MetricFamilies metrics,
            long startedAtNanos) {
        this.router = router;
        this.links = links;
        this.children = children;
        this.pool = pool;
        this.counters = counters;
        this.services = services;
        this.meter = meter;
        this.history = history;
        this.metrics = metrics;
        this.startedAtNanos = startedAtNanos;
    }

    @Override
    public List<ClientSnapshot> clientList() {
        var clients = links.clientList(System.nanoTime());
        var out = new ArrayList<ClientSnapshot>(clients.size());
        for (var c : clients) {
            out.add(c.withUsage(meter.usage(c.pid())));
        }
        return out;
    }

    @Override
    public String federationNode() {
        return services.federation().equals(Federation.NONE) ? null : router.node();
    }

    @Override
    public void shareClients(Supplier<List<String>> lines) {
        router.census().clientLines(lines);
    }

    @Override
    public boolean clientsElsewhere(Consumer<Ask.Gathered> then) {
        return router.askOthers(new Ask.Clients(), then);
    }

    @Override
    public void metrics(MetricsWriter out) {
        metrics.write(out);
    }

    @Override
    public List<History.Point> history() {
        return history.points();
    }

    @Override
    public List<RoomSnapshot> roomList() {
        var rooms = new ArrayList<RoomSnapshot>();
        for (var room : router.desk().roomEntries()) {
            rooms.add(new RoomSnapshot(room.name(), room.members(), room.topic()));
        }
        return List.copyOf(rooms);
    }

    @Override
    public int roomNotice(String room, String text) {
        return router.desk().roomNotice(room, text);
    }

    @Override
    public SequencedMap<String, Long> counters() {
        var values = new LinkedHashMap<String, Long>();
        values.put("uptime", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos));
        values.put("clients", (long) router.receiving());
        values.put("workers", (long) children.size());
        values.put("spares_idle", (long) pool.idle());
        values.put("spares_starting", (long) pool.starting());
        values.put("rooms", (long) router.rooms().size());
        values.putAll(counters.snapshot());
        var login = router.login();
        values.put("logins_ok", login.loginsOk());
        values.put("logins_failed", login.loginsFailed());
        values.put("history_lines_kept", router.historyDesk().kept());
        values.put("history_lines_not_kept", router.historyDesk().notKept());
        values.put("offline_stored", login.offlineStored());
        values.put("offline_delivered", login.offlineDelivered());
        services.counters(values);
        // What the processes cost, as last sampled from /proc: the admin page's header.
        long workersPss = 0;
        long workersRss = 0;
        for (var usage : meter.all()) {
            workersPss += Math.max(0, usage.pssBytes());
            workersRss += Math.max(0, usage.rssBytes());
        }
        var self = meter.self();
        long selfPss = self == null ? 0 : Math.max(0, self.pssBytes());
        values.put("deliveries_per_second", history.deliveriesPerSecond());
        values.put("workers_pss", workersPss);
        values.put("workers_rss", workersRss);
        values.put("supervisor_pss", selfPss);
        values.put("supervisor_rss", self == null ? 0 : Math.max(0, self.rssBytes()));
        values.put("memory_pss", workersPss + selfPss);
        var broker = router.broker().stats();
        values.put("broker_sent", broker.sent());
        values.put("broker_delivered", broker.delivered());
        values.put("broker_acked", broker.acked());
        values.put("broker_stored", broker.stored());
        values.put("broker_refused", broker.refused());
        values.put("broker_dropped", broker.dropped());
        values.put("broker_pending", broker.pending());
        var mqtt = router.mqtt().stats();
        values.put("mqtt_connects", mqtt.connects());
        values.put("mqtt_refused", mqtt.refusals());
        values.put("mqtt_takeovers", mqtt.takeovers());
        values.put("mqtt_published", mqtt.published());
        values.put("mqtt_delivered", mqtt.delivered());
        values.put("mqtt_dropped", mqtt.dropped());
        values.put("mqtt_wills", mqtt.wills());
        values.put("mqtt_sessions", (long) mqtt.sessions());
        values.put("mqtt_connected", (long) mqtt.connected());
        values.put("mqtt_retained", (long) mqtt.retained());
        values.put("mqtt_queued", (long) mqtt.queued());
        var tags = router.tags();
        values.put("websockets_open", (long) tags.open());
        values.put("websocket_opens_refused", tags.opensRefused());
        values.put("tagged_sent", tags.taggedSent());
        values.put("tagged_delivered", tags.taggedDelivered());
        values.put("tagged_refused", tags.taggedRefused());
        return values;
    }

    @Override
    public boolean notice(long clientId, String text) {
        return router.notice(clientId, text);
    }

    @Override
    public int broadcast(String text) {
        return router.broadcast(text);
    }

    @Override
    public boolean kick(long clientId, String reason) {
        return links.kick(clientId, reason);
    }
}
