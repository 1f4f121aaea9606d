package io.forkcast.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real NATS cluster (Debian's nats-server, 2.9.10) a test starts in a temp directory: {@code size} servers on
 * free loopback ports (or one on each of a test's {@link NetnsHosts}, bound to its address), routed to each other,
 * JetStream on, each with its monitoring port; ready once every server has a route to every other. On close every server is killed and the directory deleted. Never the machine's own
 * service. Skips (or under CI fails) when nats-server is not installed.
 */
final class NatsCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ROUTES = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)");

    private final Path dir;
    /** Each server's address: 127.0.0.1, or its test host's ({@link NetnsHosts}). */
    private final List<String> addresses = new ArrayList<>();

    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> monitorPorts = new ArrayList<>();
    private final List<ChildProcess> servers = new ArrayList<>();
    /** Each server's command line, to start it again after {@link #kill}. */
    private final List<List<String>> commands = new ArrayList<>();

    private final Thread cleanup = new Thread(this::close, "it-nats-cleanup");

    private NatsCluster(Path dir) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    static NatsCluster launch(int size) throws Exception {
        return launch(size, true);
    }

    /** {@link #launch(int)}, with JetStream off when {@code jetStream} is false. */
    static NatsCluster launch(int size, boolean jetStream) throws Exception {
        var addresses = new ArrayList<String>();
        var prefixes = new ArrayList<List<String>>();
        for (int i = 0; i < size; i++) {
            addresses.add("127.0.0.1");
            prefixes.add(List.of());
        }
        return launch(addresses, prefixes, jetStream);
    }

    /** One server on each of {@code hosts}, run through its prefix ({@code ip netns exec NAME}) and bound to its address. */
    static NatsCluster launch(NetnsHosts hosts) throws Exception {
        var addresses = new ArrayList<String>();
        var prefixes = new ArrayList<List<String>>();
        for (int i = 0; i < hosts.size(); i++) {
            addresses.add(hosts.address(i));
            prefixes.add(hosts.prefix(i));
        }
        return launch(addresses, prefixes, true);
    }

    private static NatsCluster launch(List<String> addresses, List<List<String>> prefixes, boolean jetStream)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return launchOnce(addresses, prefixes, jetStream);
            } catch (AssertionError e) {
                // Another test's listener can take a probed port before nats-server binds it: new ports, once more.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static NatsCluster launchOnce(List<String> addresses, List<List<String>> prefixes, boolean jetStream)
            throws Exception {
        var natsServer = Tools.require("nats-server", "the federation tests");
        var cluster = new NatsCluster(Files.createTempDirectory("fc-nats"));
        int size = addresses.size();
        cluster.addresses.addAll(addresses);
        try {
            var routePorts = new ArrayList<Integer>();
            for (int i = 0; i < size; i++) {
                // Outside the ephemeral range: a port of that range, freed by a kill, can be taken as the local
                // end of any outgoing connection before the server comes back on it.
                cluster.clientPorts.add(Tools.stablePort());
                cluster.monitorPorts.add(Tools.stablePort());
                routePorts.add(Tools.stablePort());
            }
            var routeUrls = new ArrayList<String>();
            for (int i = 0; i < size; i++) {
                routeUrls.add("nats://" + addresses.get(i) + ":" + routePorts.get(i));
            }
            String routes = String.join(",", routeUrls);
            for (int i = 0; i < size; i++) {
                var command = new ArrayList<>(prefixes.get(i));
                command.addAll(List.of(
                        natsServer.toString(),
                        "-a",
                        addresses.get(i),
                        "-p",
                        Integer.toString(cluster.clientPorts.get(i)),
                        "-m",
                        Integer.toString(cluster.monitorPorts.get(i)),
                        "-n",
                        "fc-nats-" + i,
                        "--cluster_name",
                        "fc-it",
                        "--cluster",
                        routeUrls.get(i),
                        "--routes",
                        routes));
                if (jetStream) {
                    command.addAll(List.of(
                            "-js", "-sd", cluster.dir.resolve("data-" + i).toString()));
                }
                cluster.commands.add(command);
                cluster.servers.add(ChildProcess.start(command, Map.of(), cluster.dir));
            }
            cluster.awaitRoutes(size - 1);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until every server has {@code routes} routes (to every other one). */
    private void awaitRoutes(int routes) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < servers.size(); i++) {
            var server = servers.get(i);
            var uri = URI.create("http://" + addresses.get(i) + ":" + monitorPorts.get(i) + "/routez");
            Await.until(
                    START_TIMEOUT,
                    "nats-server " + i + " to have " + routes + " routes\n%s",
                    () -> {
                        if (!server.process().isAlive()) {
                            throw new AssertionError("nats-server exited\n" + server.outputText());
                        }
                        try {
                            var body = http.send(
                                            HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                                    .body();
                            var m = ROUTES.matcher(body);
                            return m.find() && Integer.parseInt(m.group(1)) >= routes ? body : null;
                        } catch (IOException e) {
                            return null;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return null;
                        }
                    },
                    server::outputText);
        }
    }

    /** Kills server {@code i} (SIGKILL: no lame-duck mode, its clients see the connection drop). */
    void kill(int i) throws InterruptedException {
        var process = servers.get(i).process();
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts server {@code i} again, on its ports and data, and waits for its routes to the others. */
    void restart(int i) throws IOException {
        servers.set(i, ChildProcess.start(commands.get(i), Map.of(), dir));
        awaitRoutes(servers.size() - 1);
    }

    /** Kills every server (SIGKILL), keeping their ports and data directories for {@link #restartAll}. */
    void killAll() throws InterruptedException {
        for (int i = 0; i < servers.size(); i++) {
            kill(i);
        }
    }

    /** Starts every server again, on its ports and data, and waits for the routes between them. */
    void restartAll() throws IOException {
        for (int i = 0; i < servers.size(); i++) {
            servers.set(i, ChildProcess.start(commands.get(i), Map.of(), dir));
        }
        awaitRoutes(servers.size() - 1);
    }

    /**
     * The messages server {@code i} holds of the JetStream stream {@code stream} (its monitoring port's {@code
     * /jsz}), or -1 when it holds no such stream.
     */
    long streamMessages(int i, String stream) throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        var uri = URI.create("http://" + addresses.get(i) + ":" + monitorPorts.get(i) + "/jsz?streams=true");
        var body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        var m = Pattern.compile("\"name\"\\s*:\\s*\"" + stream + "\".*?\"messages\"\\s*:\\s*(\\d+)", Pattern.DOTALL)
                .matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code nats://ADDRESS:PORT} of server {@code i}. */
    String url(int i) {
        return "nats://" + addresses.get(i) + ":" + clientPorts.get(i);
    }

    /** Every server's url, comma-separated, starting with server {@code first}: what federation_url takes. */
    String urls(int first) {
        var all = new ArrayList<String>();
        for (int k = 0; k < clientPorts.size(); k++) {
            all.add(url((first + k) % clientPorts.size()));
        }
        return String.join(",", all);
    }

    @Override
    public void close() {
        for (var server : servers) {
            server.close();
        }
        servers.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // Shutting down: this is the hook.
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temp directory; best effort.
        }
    }
}
