package io.forkcast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Figure 13's two set-ups, each measured by {@link FederationLoad} with {@code clients} clients spread over the
 * nodes. {@code federation}: a cluster of {@code nodes} nats-servers (routed to each other, on free loopback
 * ports) and as many forkcast supervisors from COMMAND, node i on NATS server i, telnet users. {@code socketio}:
 * Debian's redis-server on a free port in the run's directory and {@code nodes} Socket.IO nodes, each
 * {@code node NODE_SCRIPT REDIS_URL} (the parameter {@code node_script}: bench/node/socketio-chat.js; COMMAND is not
 * used), Socket.IO clients. Everything started is stopped at the end, and by the shutdown hook.
 */
final class FederationScenario {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final Pattern ROUTES = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)");

    private FederationScenario() {}

    static Map<String, String> run(String kind, List<String> command, Path dir, Params p) throws Exception {
        var started = new ArrayList<AutoCloseable>();
        var hook = Thread.ofPlatform().unstarted(() -> closeAll(started));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return kind.equals("socketio") ? socketIo(dir, p, started) : forkcast(command, dir, p, started);
        } finally {
            closeAll(started);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static synchronized void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception ignored) {
                // Stopping everything regardless.
            }
        }
        started.clear();
    }

    private static Map<String, String> forkcast(List<String> command, Path dir, Params p, List<AutoCloseable> started)
            throws Exception {
        int nodes = p.integer("nodes", 3);
        var natsUrls = nats(nodes, p.text("nats", "nats-server"), dir, started);
        var servers = new ArrayList<Server>();
        for (int i = 0; i < nodes; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("n" + i));
            var full = new ArrayList<>(command);
            full.addAll(List.of(
                    "--federation-url",
                    natsUrls.get(i),
                    "--node-name",
                    "n" + i,
                    "--state-dir",
                    nodeDir.resolve("state").toString()));
            if (!command.contains("--ws-port")) {
                full.addAll(List.of("--ws-port", "0")); // not ws_port's 8080, once per node
            }
            if (!command.contains("--store-url")) {
                full.addAll(List.of("--store-url", "none")); // a federation refuses the embedded H2 file
            }
            var server = Server.start(full, nodeDir);
            started.add(server);
            servers.add(server);
        }
        for (var server : servers) {
            Tree.settle(server, 30_000);
        }
        var clients = new ArrayList<TelnetLine>();
        for (int i = 0; i < p.integer("clients", 30); i++) {
            var server = servers.get(i % nodes);
            var client = TelnetLine.open(i % nodes, server.host(), server.port(), TIMEOUT_MILLIS);
            started.add(client);
            clients.add(client);
        }
        for (var server : servers) {
            Tree.settle(server, 30_000);
        }
        var r = FederationLoad.run(clients, p);
        r.put("nodes", Integer.toString(nodes));
        long dropped = 0;
        boolean alive = true;
        for (var server : servers) {
            dropped += server.events("outbox_full") + server.events("client_slow");
            alive &= server.alive();
        }
        r.put("slow_dropped", Long.toString(dropped));
        r.put("servers_alive", Boolean.toString(alive));
        return r;
    }

    /** Starts {@code nodes} routed nats-servers; returns each one's client URL once all have every route. */
    private static List<String> nats(int nodes, String natsServer, Path dir, List<AutoCloseable> started)
            throws Exception {
        var client = new int[nodes];
        var monitor = new int[nodes];
        var route = new int[nodes];
        var routes = new ArrayList<String>();
        for (int i = 0; i < nodes; i++) {
            client[i] = Daemon.freePort();
            monitor[i] = Daemon.freePort();
            route[i] = Daemon.freePort();
            routes.add("nats://127.0.0.1:" + route[i]);
        }
        var urls = new ArrayList<String>();
        for (int i = 0; i < nodes; i++) {
            var nats = Daemon.listening(
                    List.of(
                            natsServer,
                            "-a",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(client[i]),
                            "-m",
                            Integer.toString(monitor[i]),
                            "-n",
                            "fcb-nats-" + i,
                            "-P",
                            dir.resolve("nats-" + i + ".pid").toString(),
                            "--cluster_name",
                            "fcb",
                            "--cluster",
                            routes.get(i),
                            "--routes",
                            String.join(",", routes)),
                    client[i],
                    dir.resolve("nats-" + i + ".log"));
            started.add(nats);
            urls.add("nats://127.0.0.1:" + client[i]);
        }
        var http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < nodes; i++) {
            var uri = URI.create("http://127.0.0.1:" + monitor[i] + "/routez");
            while (true) {
                var m = ROUTES.matcher(
                        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                                .body());
                if (m.find() && Integer.parseInt(m.group(1)) >= nodes - 1) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("nats-server " + i + " has not every route after 30 s");
                }
                Thread.sleep(50); // polling the monitoring port
            }
        }
        return urls;
    }

    private static Map<String, String> socketIo(Path dir, Params p, List<AutoCloseable> started) throws Exception {
        int nodes = p.integer("nodes", 2);
        int redisPort = Daemon.freePort();
        var redis = Daemon.listening(
                List.of(
                        p.text("redis", "/usr/bin/redis-server"),
                        "--port",
                        Integer.toString(redisPort),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString()),
                redisPort,
                dir.resolve("redis.log"));
        started.add(redis);
        var servers = new ArrayList<Daemon>();
        for (int i = 0; i < nodes; i++) {
            var full = List.of(
                    p.text("node", "node"),
                    p.text("node_script", "bench/node/socketio-chat.js"),
                    "redis://127.0.0.1:" + redisPort,
                    dir.toString());
            var node = Daemon.announcing(full, dir.resolve("node-" + i + ".log"));
            started.add(node);
            servers.add(node);
        }
        var clients = new ArrayList<SocketIoLine>();
        for (int i = 0; i < p.integer("clients", 30); i++) {
            var client = SocketIoLine.open(
                    i % nodes, "127.0.0.1", servers.get(i % nodes).port(), TIMEOUT_MILLIS);
            started.add(client);
            clients.add(client);
        }
        var r = FederationLoad.run(clients, p);
        r.put("nodes", Integer.toString(nodes));
        boolean alive = redis.alive();
        for (var node : servers) {
            alive &= node.alive();
        }
        r.put("servers_alive", Boolean.toString(alive));
        return r;
    }
}
