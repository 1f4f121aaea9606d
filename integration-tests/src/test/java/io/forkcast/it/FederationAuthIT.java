package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code federation_credentials_file} against a real nats-server that requires a user and password: the right
 * {@code user:password} line federates two nodes that chat; a wrong password, no credentials, or a file that is
 * neither a .creds file nor {@code user:password} stops the start with one line and exit 2.
 */
@Timeout(180)
class FederationAuthIT {
    private static Path dir;
    private static ChildProcess nats;
    private static String url;

    @BeforeAll
    static void server() throws Exception {
        var natsServer = Tools.require("nats-server", "the federation tests");
        dir = Files.createTempDirectory("fc-nats-auth");
        int port = Tools.stablePort();
        url = "nats://127.0.0.1:" + port;
        nats = ChildProcess.start(
                List.of(
                        natsServer.toString(),
                        "-a",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "--user",
                        "fc",
                        "--pass",
                        "s3cret:with:colons"),
                Map.of(),
                dir);
        nats.awaitOutput("Server is ready", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (nats != null) {
            nats.close();
        }
    }

    private static Path credentials(String name, String content) throws Exception {
        var file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static List<String> args(String node, Path credentials) {
        var args = new ArrayList<>(
                List.of("--federation-url", url, "--node-name", node, "--store-url", "none", "--pool-min-spare", "1"));
        if (credentials != null) {
            args.addAll(List.of("--federation-credentials-file", credentials.toString()));
        }
        return args;
    }

    @Test
    void theRightUserAndPasswordFederateAndChatCrossesNodes() throws Exception {
        var file = credentials("good", "fc:s3cret:with:colons\n"); // the password is everything after the first colon
        try (var a = ForkcastServer.start(args("a", file));
                var b = ForkcastServer.start(args("b", file))) {
            a.awaitLog("event=federation_started node=a ");
            b.awaitLog("event=federation_started node=b ");
            a.awaitLog("event=federation_node_up node=b");
            var alice = FederationNodes.named(a, "alice");
            var bob = FederationNodes.named(b, "bob");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            bob.send("hello from b");
            alice.expect("[bob] (" + bob.pid() + "): hello from b");
            alice.close();
            bob.close();
        }
    }

    @Test
    void aWrongPasswordNoCredentialsOrABadFileStopTheStartWithOneLine() throws Exception {
        var wrong = credentials("wrong", "fc:nope\n");
        var bad = credentials("bad", "just one word\n");
        var cases = new ArrayList<List<String>>();
        cases.add(args("a", wrong));
        cases.add(args("a", null));
        cases.add(args("a", bad));
        var expected =
                List.of("cannot connect", "cannot connect", "neither a NATS .creds file nor one line user:password");
        for (int i = 0; i < cases.size(); i++) {
            var argv = new ArrayList<>(List.of("run", "--port", "0", "--ws-port", "0", "--mqtt-port", "0"));
            argv.add("--runtime-dir");
            argv.add(Files.createTempDirectory(Path.of("/tmp"), "fc-")
                    .resolve("run")
                    .toString());
            argv.addAll(cases.get(i));
            // Without the AOT cache, so that a first run's one line about training it is not among the lines.
            var result = CommandLineIT.run(Map.of("FORKCAST_AOT", "0"), argv.toArray(String[]::new));
            assertEquals(2, result.code(), cases.get(i) + ": " + result.stderr());
            assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
            assertTrue(result.stderr().startsWith("forkcast: "), result.stderr());
            assertTrue(result.stderr().contains(expected.get(i)), cases.get(i) + ": " + result.stderr());
            assertFalse(result.stderr().contains("s3cret"), "the password is never printed: " + result.stderr());
            assertFalse(result.stdout().contains("READY"), result.stdout());
        }
    }
}
