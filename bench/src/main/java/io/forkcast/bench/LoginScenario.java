package io.forkcast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logging in, one client at a time: connect, wait for the banner, send {@code /login USER} and the password in one
 * write, and time from that write to {@code *** you are logged in as USER}; {@code count} times. The server must
 * have been started with a users file holding {@code user} and {@code password} (scripts/bench makes one with
 * htpasswd). What it measures is the password check (off the relay, on the supervisor's verifying pool) and the
 * two hub round trips around it.
 */
final class LoginScenario {
    private LoginScenario() {}

    static Map<String, String> run(Server server, Params p) throws IOException, InterruptedException {
        int count = p.integer("count", 20);
        String user = p.text("user", "alice");
        String password = p.text("password", "wonderland");
        Tree.settle(server, 30_000);
        var latencies = new long[count];
        int done = 0;
        for (int i = 0; i < count; i++) {
            try (var socket = new Socket(server.host(), server.port())) {
                socket.setSoTimeout(30_000);
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.startsWith(Conn.BANNER_PREFIX));
                if (line == null) {
                    continue;
                }
                var out = socket.getOutputStream();
                long sent = System.nanoTime();
                out.write(("/login " + user + "\r\n" + password + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                do {
                    line = in.readLine();
                } while (line != null && !line.startsWith("*** you are logged in as "));
                if (line != null) {
                    latencies[done++] = System.nanoTime() - sent;
                }
            }
        }
        var r = new LinkedHashMap<String, String>();
        r.put("p50_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, done, 50))));
        r.put("p99_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, done, 99))));
        r.put("logins", Integer.toString(done));
        return r;
    }
}
