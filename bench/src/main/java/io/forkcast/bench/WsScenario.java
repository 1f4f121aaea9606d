package io.forkcast.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket figures (11) against any server with forkcast's or the Node reference's behaviour: (a) connect to
 * first event ({@code count} connections at {@code rate}/s, open loop, TCP connect to the first text message);
 * (b) broadcast latency ({@code clients} clients, the first sends {@code lines_per_s} for {@code seconds}, each
 * message stamped with System.nanoTime()); (c) the PSS of the first client's serving process. One virtual
 * reader thread per client; the results map is filled by the calling thread.
 */
final class WsScenario {
    private static final int TIMEOUT_MILLIS = 30_000;

    private WsScenario() {}

    static Map<String, String> run(String host, int port, Params p) throws Exception {
        var r = new LinkedHashMap<String, String>();
        connect(host, port, p, r);
        broadcast(host, port, p, r);
        return r;
    }

    private static void connect(String host, int port, Params p, Map<String, String> r) throws InterruptedException {
        int count = p.integer("count", 30);
        double rate = p.decimal("rate", 3);
        long[] latencies = new long[count];
        var done = new CountDownLatch(count);
        var failed = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the schedule of an open loop, not a wait for an answer
            }
            int slot = i;
            Thread.ofVirtual().start(() -> {
                long t0 = System.nanoTime();
                try (var client = WsClient.open(host, port, TIMEOUT_MILLIS)) {
                    if (client.readText() != null) {
                        latencies[slot] = System.nanoTime() - t0;
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
        long[] ok = java.util.Arrays.stream(latencies).filter(v -> v > 0).toArray();
        r.put("connect_p50_ms", Stats.fmt(Stats.millis(Stats.percentile(ok, ok.length, 50))));
        r.put("connect_p99_ms", Stats.fmt(Stats.millis(Stats.percentile(ok, ok.length, 99))));
        r.put("connect_ok", Integer.toString(ok.length));
        r.put("connect_failed", Long.toString(failed.get()));
    }

    private static void broadcast(String host, int port, Params p, Map<String, String> r) throws Exception {
        int clients = p.integer("clients", 50);
        double linesPerSecond = p.decimal("lines_per_s", 100);
        double seconds = p.decimal("seconds", 10);
        int total = (int) (linesPerSecond * seconds);
        var latencies = new ConcurrentLinkedQueue<Long>();
        var conns = new ArrayList<WsClient>();
        long firstPid = -1;
        try {
            for (int i = 0; i < clients; i++) {
                var client = WsClient.open(host, port, TIMEOUT_MILLIS);
                String welcome = client.readText();
                if (i == 0 && welcome != null && welcome.contains("\"pid\":")) {
                    firstPid = number(welcome, welcome.indexOf("\"pid\":") + 6)[0];
                }
                client.readTimeout(0);
                conns.add(client);
            }
            // A marker through the room before memory and latency are measured: once every reader has it, every
            // client is placed and its worker (or the Node server) is serving, not starting up.
            String marker = "~M " + System.nanoTime();
            var marked = new CountDownLatch(conns.size() - 1);
            for (var client : conns.subList(1, conns.size())) {
                Thread.ofVirtual().start(() -> read(client, latencies, marker, marked));
            }
            conns.get(0).send(marker);
            if (!marked.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("the marker reached " + (conns.size() - 1 - marked.getCount()) + " of "
                        + (conns.size() - 1) + " readers in " + TIMEOUT_MILLIS + " ms");
            }
            var memory = firstPid > 0 ? Proc.memory(firstPid) : null;
            r.put("first_client_pid", Long.toString(firstPid));
            r.put("first_client_pss_mib", memory == null ? "-" : Stats.fmt(memory.pssKib() / 1024.0));
            var sender = conns.get(0);
            long interval = (long) (1e9 / linesPerSecond);
            long start = System.nanoTime();
            for (int sent = 1; sent <= total; sent++) {
                long wait = start + sent * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sender.send(pad("~B " + sent + " " + System.nanoTime() + " ", 100));
            }
            long expected = (long) total * (clients - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (latencies.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
            r.put("clients", Integer.toString(conns.size()));
            r.put("bcast_p50_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 50))));
            r.put("bcast_p99_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 99))));
            r.put("bcast_max_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 100))));
            r.put("bcast_expected", Long.toString(expected));
            r.put("bcast_received", Integer.toString(values.length));
        } finally {
            conns.forEach(WsClient::close);
        }
    }

    /**
     * A receiver: each message holding "~B SEQ NANOS" gives one latency, and the first holding {@code marker}
     * counts {@code marked} down; other events are skipped, and so is the room's history a joining client is shown
     * (forkcast keeps the last lines of earlier runs in its store).
     */
    private static void read(
            WsClient client, ConcurrentLinkedQueue<Long> latencies, String marker, CountDownLatch marked) {
        boolean markerSeen = false;
        try {
            String text;
            while ((text = client.readText()) != null) {
                long now = System.nanoTime();
                if (!markerSeen && text.contains(marker)) {
                    markerSeen = true;
                    marked.countDown();
                }
                int at = text.indexOf("~B ");
                if (at >= 0 && !text.startsWith("{\"type\":\"history\"")) {
                    long[] seq = number(text, at + 3);
                    latencies.add(now - number(text, (int) seq[1] + 1)[0]);
                }
            }
        } catch (IOException ignored) {
            // Closed at the end of the run.
        }
    }

    /** The decimal number at {@code from}: {value, index after it}. */
    private static long[] number(String text, int from) {
        long value = 0;
        int i = from;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return new long[] {value, i};
    }

    /** The PSS of the worker of one idle telnet client of {@code server}, for comparison; "-" when unread. */
    static String telnetWorkerPssMib(Server server) throws IOException {
        try (var socket = new java.net.Socket(server.host(), server.port())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("(pid ")) {
                // skip to the banner
            }
            if (line == null) {
                return "-";
            }
            long pid = number(line, line.indexOf("(pid ") + 5)[0];
            // As for the WebSocket worker: read once the worker has served a request, the answer to a /who.
            socket.getOutputStream().write("/who\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var answer = java.util.regex.Pattern.compile("\\*\\*\\* \\d+ (person|people) ");
            while ((line = in.readLine()) != null && !answer.matcher(line).find()) {
                // skip to the answer
            }
            if (line == null) {
                return "-";
            }
            var memory = Proc.memory(pid);
            return memory == null ? "-" : Stats.fmt(memory.pssKib() / 1024.0);
        }
    }

    private static String pad(String text, int chars) {
        return text.length() >= chars ? text : text + "x".repeat(chars - text.length());
    }

    /**
     * The Node reference: {@code command} (node bench/node/ws-chat.js) started with NODE_PATH from the
     * environment, its port from its "LISTENING PORT" line; the figures as for forkcast, and its own PSS.
     */
    static Map<String, String> runNode(List<String> command, Params p) throws Exception {
        var process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            var out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("LISTENING ")) {
                throw new IOException("node did not print LISTENING: " + line);
            }
            var r = run("127.0.0.1", Integer.parseInt(line.substring(10).strip()), p);
            var memory = Proc.memory(process.pid());
            r.put("node_pss_mib", memory == null ? "-" : Stats.fmt(memory.pssKib() / 1024.0));
            r.put("node_alive", Boolean.toString(process.isAlive()));
            return r;
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
