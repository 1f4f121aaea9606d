package io.forkcast.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker port (issue 17, figure 10): one receiver on channel {@code bench} and one sender logged in as {@code
 * user}, then the {@link Relay} phases: {@code warmup} messages (window 10, not reported); {@code count_latency} one
 * at a time (each send waits for the previous message to arrive: latency with nothing queued); {@code count_latency}
 * with a window of {@code window_latency} (1) unanswered sends; and {@code count} with a window of {@code window} (50:
 * the sender pipelines, for throughput). As "sent" answers once the supervisor has the message (and the store has
 * committed it), not once the receiver has it, a window of sends does not bound what queues before a slower receiver:
 * its latency then includes that queue. The receiver acks each batch as soon as it has read it. The server must run
 * with {@code --broker-port} and a users file holding the user; whether it stores is its flags' business. Also counts
 * the sent replies by kind (relayed to a receiver, stored for none, dropped for none), refusals, batches, and ids
 * arriving out of order. Runs on the caller's thread; a daemon thread reads each connection (the receiver's also
 * writes its acks).
 */
final class BrokerScenario {
    private static final String CHANNEL = "bench";

    private BrokerScenario() {}

    static Map<String, String> run(Server server, Params p) throws IOException, InterruptedException {
        if (server.brokerPort() < 0) {
            throw new IOException("the server printed no BROKER line: start it with --broker-port 0");
        }
        String user = p.text("user", "bench");
        String password = p.text("password", "bench");
        int warmup = p.integer("warmup", 2000);
        int countLatency = p.integer("count_latency", 2000);
        int count = p.integer("count", 20000);
        var relay = new Relay(warmup + 2 * countLatency + count, p.integer("data_bytes", 100));
        Tree.settle(server, 30_000);
        var relayed = new AtomicLong();
        var stored = new AtomicLong();
        var nobody = new AtomicLong();
        var refused = new AtomicLong();
        var idReordered = new AtomicLong();
        var batches = new AtomicLong();
        try (var receiver = login(server, user, password, "receiver");
                var sender = login(server, user, password, "sender")) {
            var receiverIn = reader(receiver);
            OutputStream ackOut = new BufferedOutputStream(receiver.getOutputStream());
            Thread.ofPlatform().daemon().name("broker-receiver").start(() -> {
                long maxId = -1;
                try {
                    String line;
                    while ((line = receiverIn.readLine()) != null) {
                        long now = System.nanoTime();
                        if (!line.contains("\"command\":\"message\"")) {
                            continue;
                        }
                        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                        relay.received(bytes, 0, bytes.length, now);
                        int at = line.indexOf("\"ids\":[");
                        int close = line.indexOf(']', at);
                        String ids = line.substring(at + 7, close);
                        ackOut.write(
                                ("{\"command\":\"ack\",\"ids\":[" + ids + "]}\n").getBytes(StandardCharsets.UTF_8));
                        ackOut.flush();
                        batches.incrementAndGet();
                        for (String id : ids.split(",", -1)) {
                            long v = Long.parseLong(id.strip());
                            if (v <= maxId) {
                                idReordered.incrementAndGet();
                            }
                            maxId = Math.max(maxId, v);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // The run is over (socket closed) or the line was not what the protocol says: counted as lost.
                }
            });
            var senderIn = reader(sender);
            Thread.ofPlatform().daemon().name("broker-sender-replies").start(() -> {
                try {
                    String line;
                    while ((line = senderIn.readLine()) != null) {
                        // A refused send is answered with its command; a line the flood limit dropped, with an
                        // error line of its own (scripts/bench raises the limit, as for the flood figures).
                        if (!line.contains("\"command\":\"send\"")
                                && !line.contains("\"command\":\"sent\"")
                                && !line.contains("\"command\":\"error\"")) {
                            continue;
                        }
                        boolean refusal = line.contains("\"error\"");
                        if (refusal) {
                            refused.incrementAndGet();
                        } else if (!line.contains("\"receivers\":0")) {
                            relayed.incrementAndGet(); // with the store on, also "stored":true
                        } else if (line.contains("\"stored\":true")) {
                            stored.incrementAndGet();
                        } else {
                            nobody.incrementAndGet();
                        }
                        relay.answered(refusal);
                    }
                } catch (IOException ignored) {
                    // The run is over.
                }
            });
            var out = new BufferedOutputStream(sender.getOutputStream());
            byte[] head = ("{\"command\":\"send\",\"channel\":\"" + CHANNEL + "\",\"data\":")
                    .getBytes(StandardCharsets.US_ASCII);
            Relay.Publisher publish = data -> {
                out.write(head);
                out.write(data);
                out.write('}');
                out.write('\n');
                out.flush();
            };
            var r = new LinkedHashMap<String, String>();
            relay.phase(null, publish, warmup, 10, false, r);
            relay.phase("one_", publish, countLatency, 1, true, r);
            relay.phase("lat_", publish, countLatency, p.integer("window_latency", 1), false, r);
            relay.phase("tput_", publish, count, p.integer("window", 50), false, r);
            r.put("lost", sum(r, "lost"));
            r.put("duplicates", sum(r, "duplicates"));
            r.put("reordered", sum(r, "reordered"));
            r.put("expected", sum(r, "expected"));
            r.put("refused", sum(r, "refused"));
            r.put("sent_relayed", Long.toString(relayed.get()));
            r.put("sent_stored", Long.toString(stored.get()));
            r.put("sent_nobody", Long.toString(nobody.get()));
            r.put("send_refused", Long.toString(refused.get()));
            r.put("batches", Long.toString(batches.get()));
            r.put("ids_reordered", Long.toString(idReordered.get()));
            return r;
        }
    }

    private static String sum(Map<String, String> r, String key) {
        return Long.toString(Long.parseLong(r.get("one_" + key))
                + Long.parseLong(r.get("lat_" + key))
                + Long.parseLong(r.get("tput_" + key)));
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects and logs in; returns once the login is answered, or throws with the refusal. */
    private static Socket login(Server server, String user, String password, String role) throws IOException {
        var socket = new Socket(server.host(), server.brokerPort());
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000); // the login only: a first worker may be slow to start
            var line = "{\"command\":\"login\",\"username\":\"" + user + "\",\"password\":\"" + password
                    + "\",\"role\":\"" + role + "\",\"channel\":\"" + CHANNEL + "\"}\n";
            socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
            // One byte at a time, so that nothing after the login reply is read into a buffer dropped here.
            var in = socket.getInputStream();
            while (true) {
                var reply = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    reply.append((char) c);
                }
                if (c < 0) {
                    throw new IOException(role + " login: connection closed");
                }
                String text = reply.toString();
                if (text.contains("\"command\":\"login\"")) {
                    if (text.contains("\"error\"")) {
                        throw new IOException(role + " login refused: " + text);
                    }
                    socket.setSoTimeout(0);
                    return socket;
                }
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
