package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node's {@code ws} package (pinned in scripts/ci-deps, which puts it in the checkout's .node/) as a real WebSocket
 * client of the worker: it opens with seed 001's tags, chats with a telnet user both ways, and sends a text message
 * in fragments with a UTF-8 character split across them, which the telnet user receives whole.
 */
@Timeout(180)
class NodeWsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern WELCOME = Pattern.compile("\"name\":\"([^\"]+)\"");
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    /**
     * The client: connects to argv[2], prints {@code OPEN}, each message as {@code MSG <text>} and {@code CLOSE
     * <code>}; each stdin line is a JSON array of base64 fragments of one text message (one element: a whole one).
     */
    private static final String CLIENT = """
            "use strict";
            const WebSocket = require("ws");
            const readline = require("readline");
            const ws = new WebSocket(process.argv[2]);
            ws.on("open", () => console.log("OPEN"));
            ws.on("message", (data, isBinary) => console.log((isBinary ? "BINARY " : "MSG ") + data.toString("utf8")));
            ws.on("close", (code) => { console.log("CLOSE " + code); process.exit(0); });
            ws.on("error", (e) => console.log("ERROR " + e.message));
            readline.createInterface({input: process.stdin}).on("line", (line) => {
              const parts = JSON.parse(line).map((b) => Buffer.from(b, "base64"));
              parts.forEach((p, i) => ws.send(p, {binary: false, fin: i === parts.length - 1}));
            });
            process.stdin.on("end", () => ws.close(1000));
            """;

    @TempDir
    Path dir;

    /** The checkout's .node/node_modules, where scripts/ci-deps installs {@code ws}; skips (CI: fails) without it. */
    private static Path nodeModules() {
        Tools.require("node", "NodeWsIT (Node's ws client)");
        Path modules = ForkcastServer.HOME.resolve(".node/node_modules");
        if (!Files.isRegularFile(modules.resolve("ws/package.json"))) {
            Tools.unavailable("NodeWsIT needs Node's ws package in " + modules + "; run scripts/ci-deps");
        }
        return modules;
    }

    /** One stdin line for the client: the message cut into the given fragments. */
    private static String fragments(byte[]... parts) {
        var quoted = new StringBuilder("[");
        for (byte[] part : parts) {
            quoted.append(quoted.length() > 1 ? "," : "")
                    .append(Json.quote(Base64.getEncoder().encodeToString(part)));
        }
        return quoted.append(']').toString();
    }

    private static String whole(String text) {
        return fragments(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNodeWsClientWithTagsChatsWithATelnetUserAndItsFragmentsArriveWhole() throws Exception {
        Path modules = nodeModules();
        Path script = Files.writeString(dir.resolve("client.js"), CLIENT);
        try (var server = ForkcastServer.start();
                var telnet = server.join()) {
            String tags = URLEncoder.encode("{\"language\":\"FR\"}", StandardCharsets.UTF_8);
            String url = "ws://127.0.0.1:" + server.wsPort() + "/?tags=" + tags;
            try (var node = ChildProcess.startWithInput(
                    List.of("node", script.toString(), url), Map.of("NODE_PATH", modules.toString()), dir)) {
                node.awaitOutput("^OPEN$", WAIT);
                String welcome = node.awaitOutput("^MSG \\{\"type\":\"welcome\"", WAIT);
                var name = WELCOME.matcher(welcome);
                var pid = PID.matcher(welcome);
                assertTrue(name.find() && pid.find(), welcome);
                String who = "[" + name.group(1) + "] (" + pid.group(1) + "): ";
                telnet.expect("*** " + name.group(1) + " (" + pid.group(1) + ") joined");

                node.send(whole("hello from node"));
                telnet.expect(who + "hello from node");
                telnet.send("hello from telnet");
                String line = node.awaitOutput("^MSG \\{\"type\":\"line\".*\"text\":\"hello from telnet\"", WAIT);
                assertTrue(line.contains("\"from\":" + Json.quote(telnet.address())), line);
                assertTrue(line.contains("\"room\":\"lobby\""), line);

                // "é" is C3 A9: the first fragment ends after C3, the continuation starts with A9.
                byte[] text = "caf\u00e9 fragment\u00e9".getBytes(StandardCharsets.UTF_8);
                int split = 4;
                assertEquals((byte) 0xC3, text[split - 1]);
                node.send(fragments(
                        Arrays.copyOfRange(text, 0, split),
                        Arrays.copyOfRange(text, split, 10),
                        Arrays.copyOfRange(text, 10, text.length)));
                telnet.expect(who + "caf\u00e9 fragment\u00e9");

                // The tags opened with route seed 001's messages to it, from any sender.
                var sender = RawWebSocket.open(server.host(), server.wsPort(), RawWebSocket.query(null, null, null));
                assertEquals(101, sender.status(), sender.head());
                try (var ws = sender.session()) {
                    ws.expect("\"type\":\"welcome\"");
                    ws.send("{\"message\":\"bonjour node\",\"tags\":{\"language\":\"FR\"}}");
                    ws.expect("\"type\":\"sent\"", "\"receivers\":1");
                    node.awaitOutput("^MSG \\{\"type\":\"message\".*\"message\":\"bonjour node\"", WAIT);
                }
                node.process().getOutputStream().close();
                node.awaitOutput("^CLOSE 1000$", WAIT);
                telnet.expectLine(l -> l.startsWith("*** " + name.group(1) + " (" + pid.group(1) + ") left"));
            }
        }
    }
}
