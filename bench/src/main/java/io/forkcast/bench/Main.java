package io.forkcast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator behind scripts/bench. {@code run SCENARIO [key=value ...] -- COMMAND...} starts the server
 * with COMMAND (scripts/forkcast run and its flags; the port, bind address, runtime directory and a fresh state
 * directory are added, so that no run's store weighs on the next),
 * runs one scenario against it on loopback, prints one {@code RESULT scenario=... key=value ...} line, and
 * stops the server and every worker. {@code report FILE} turns the RESULT lines of a file into markdown;
 * {@code chart FILE PREFIX} draws them as SVG, {@code trend BENCHMARKS_MD OUT} the runs recorded so far.
 * The scenarios {@code mqtt} and {@code mqttfan_mosquitto} start no forkcast at all: COMMAND is mosquitto (see {@link Mosquitto}).
 * Exit codes: 0 done, 1 the run failed, 2 bad usage.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("report")) {
            System.out.print(Report.markdown(Files.readAllLines(Path.of(args[1]))));
            return;
        }
        if (args.length == 3 && args[0].equals("chart")) {
            for (Path file : Charts.write(Path.of(args[1]), Path.of(args[2]))) {
                System.out.println(file);
            }
            return;
        }
        if (args.length == 3 && args[0].equals("trend")) {
            String svg = Trend.svg(Files.readAllLines(Path.of(args[1])));
            if (svg != null) {
                Files.writeString(Path.of(args[2]), svg);
                System.out.println(args[2]);
            }
            return;
        }
        int dashes = Arrays.asList(args).indexOf("--");
        if (args.length < 2 || !args[0].equals("run") || dashes < 2 || dashes == args.length - 1) {
            System.err.print("""
                    usage: bench run SCENARIO [key=value ...] -- COMMAND...
                           bench report RESULTS_FILE
                           bench chart RESULTS_FILE OUT_PREFIX   (OUT_PREFIX-latency.svg, -deliveries, -memory, -crowd)
                           bench trend BENCHMARKS_MD OUT.svg     (the runs recorded in docs/benchmarks.md)
                    scenarios: connect (figures 1, 2), room (3, 6), broadcast (4), flood (5), login,
                               broker (10), mqtt (10's reference: COMMAND is mosquitto),
                               ws (11), wsnode (11's reference: COMMAND is node bench/node/ws-chat.js),
                               mqttfan (12), mqttfan_mosquitto (12's reference: COMMAND is mosquitto),
                               federation (13: COMMAND is scripts/forkcast run, started once per node),
                               socketio (13's reference: node_script=bench/node/socketio-chat.js; COMMAND unused)
                    """);
            System.exit(2);
        }
        String scenario = args[1];
        var paramArgs = List.of(args).subList(2, dashes);
        var params = new Params(paramArgs);
        var command = new java.util.ArrayList<>(List.of(args).subList(dashes + 1, args.length));
        Path root = Path.of(params.text("dir", "/tmp"));
        Path dir = Files.createTempDirectory(root, "fcb-");
        if (isForkcastRun(command) && !command.contains("--state-dir")) {
            // A fresh store per run: without it every server would share ./state of the bench's working directory,
            // and each run's history and messages would weigh on the next (an H2 file of 150 MB after one flag study).
            command.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        }
        if (scenario.equals("wsnode")) {
            finish("wsnode", params, paramArgs, WsScenario.runNode(command, params), dir.resolve("none"), dir);
            return;
        }
        if (scenario.equals("federation") || scenario.equals("socketio")) {
            var result = FederationScenario.run(scenario, command, dir, params); // starts its own servers
            finish(scenario, params, paramArgs, result, dir.resolve("none"), dir);
            return;
        }
        if (scenario.equals("mqtt") || scenario.equals("mqttfan_mosquitto")) {
            runMqtt(scenario, command, dir, params, paramArgs);
            return;
        }
        Server server;
        try {
            server = Server.start(command, dir);
        } catch (java.io.IOException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
            return;
        }
        var hook = Thread.ofPlatform().unstarted(server::close);
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, String> result;
        try {
            result = switch (scenario) {
                case "connect" -> ConnectScenario.run(server, params);
                case "room" -> RoomScenario.run(server, params);
                case "broadcast" -> BroadcastScenario.run(server, params);
                case "flood" -> FloodScenario.run(server, params);
                case "login" -> LoginScenario.run(server, params);
                case "broker" -> BrokerScenario.run(server, params);
                case "ws" -> {
                    if (server.wsPort() < 0) {
                        throw new IllegalStateException("the server printed no WEBSOCKET line (--ws-port off?)");
                    }
                    var ws = WsScenario.run(server.host(), server.wsPort(), params);
                    ws.put("telnet_worker_pss_mib", WsScenario.telnetWorkerPssMib(server));
                    yield ws;
                }
                case "mqttfan" -> {
                    if (server.mqttPort() < 0) {
                        throw new IllegalStateException("the server printed no MQTT line (--mqtt-port off?)");
                    }
                    yield MqttFanScenario.run(
                            server.host(),
                            server.mqttPort(),
                            params,
                            port -> server.workerOf("127.0.0.1:" + port),
                            () -> Tree.settle(server, 30_000));
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        } catch (Exception e) {
            System.err.println(
                    "bench: scenario " + scenario + " failed: " + e + "\n--- server log tail ---\n" + server.tail());
            server.close();
            System.exit(1);
            return;
        }
        result.put("server_alive", Boolean.toString(server.alive()));
        result.put("server_ready_ms", Stats.fmt(server.readyMillis()));
        result.put("slow_workers_dropped", Long.toString(server.events("outbox_full")));
        result.put("slow_clients_dropped", Long.toString(server.events("client_slow")));
        result.put("worker_exits_abnormal", Long.toString(server.events("exit_abnormal")));
        result.put("spawn_failed", Long.toString(server.events("spawn_failed")));
        server.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        finish(scenario, params, paramArgs, result, server.log(), dir);
    }

    /** The mqtt scenarios: mosquitto instead of the server, and none of the server's event counts. */
    private static void runMqtt(String scenario, List<String> command, Path dir, Params params, List<String> paramArgs)
            throws java.io.IOException, InterruptedException {
        Daemon broker;
        try {
            broker = Mosquitto.start(command, dir, params.integer("max_inflight", 0));
        } catch (java.io.IOException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
            return;
        }
        var hook = Thread.ofPlatform().unstarted(broker::close);
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, String> result;
        try {
            if (scenario.equals("mqttfan_mosquitto")) {
                // One process serves every client: its PSS with them all connected stands for "per worker".
                result = MqttFanScenario.run("127.0.0.1", broker.port(), params, port -> broker.pid(), () -> {});
                result.put("mosquitto_pss_mib", result.remove("worker_pss_median_mib"));
                result.put("broker_alive", Boolean.toString(broker.alive()));
            } else {
                result = MqttScenario.run(broker, params);
            }
        } catch (Exception e) {
            System.err.println("bench: scenario " + scenario + " failed: " + e + "\n--- mosquitto log ---\n"
                    + Files.readString(broker.log()));
            broker.close();
            System.exit(1);
            return;
        }
        broker.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        finish(scenario, params, paramArgs, result, broker.log(), dir);
    }

    /** Prints the RESULT line (name, the run's parameters, then the figures) and keeps the log if asked. */
    private static void finish(
            String scenario, Params params, List<String> paramArgs, Map<String, String> result, Path log, Path dir)
            throws java.io.IOException {
        var line = new LinkedHashMap<String, String>();
        line.put("scenario", params.text("name", scenario));
        for (String p : paramArgs) {
            if (!p.startsWith("dir=") && !p.startsWith("name=") && !p.startsWith("keep_log=")) {
                line.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
            }
        }
        line.putAll(result);
        var sb = new StringBuilder("RESULT");
        line.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        System.out.println(sb);
        // A reference server run as a bare command (Node's ws) leaves no server log to keep.
        if (!params.text("keep_log", "").isEmpty() && Files.exists(log)) {
            Files.copy(log, Path.of(params.text("keep_log", "")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // A temp directory; scripts/bench removes its root on exit.
        }
    }

    /** Whether {@code command} runs forkcast's server ({@code .../forkcast run ...}), not a reference or a broker. */
    static boolean isForkcastRun(List<String> command) {
        return command.size() > 1
                && command.get(0).endsWith("forkcast")
                && command.get(1).equals("run");
    }
}
