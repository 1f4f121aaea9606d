package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's own sender and receiver example scripts, as printed in the seed but for their require paths and
 * {@code time(0)}, run by Debian's php against a real forkcast's broker port with scripts/broker/php.
 */
@Tag("broker")
class BrokerPhpIT {
    private static final Path LIBRARY = ForkcastServer.HOME.resolve("scripts/broker/php");
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Seed 000's sender: only the require path (to our library) and {@code time(0)} (now {@code time()}) changed. */
    private static final String SENDER = """
            <?php
            function error_handler($errno, $errstr, $errfile, $errline)
            {
            }
            $old_error_handler = set_error_handler("error_handler");
            require_once dirname(__FILE__)."/lib/MQSender.php";
            $address = "127.0.0.1";
            $port = 8887;
            $username = 'manager';
            $password = 'Albasiko2020^';
            $sender = new MQSender($address, $port, $username, $password);
            $data = array(
            'id'=>uniqid(),
            'time' => time(),
            'receiver'=>'+6281200000000',
            'message'=>"Kode OTP Anda adalah ".mt_rand(100000, 999999)
            ."\\r\\n>>>Jangan memberitahukan kode ini kepada siapapun<<<"
            );
            $channel = 'sms';
            $sender->showLog = false;
            $sender->send($data, $channel);
            ?>
            """;

    /** Seed 000's receiver: only the require path changed. */
    private static final String RECEIVER = """
            <?php
            function error_handler($errno, $errstr, $errfile, $errline)
            {
            }
            $old_error_handler = set_error_handler("error_handler");
            require_once dirname(__FILE__)."/lib/MQReceiver.php";
            class Receiver extends MQReceiver{
            public function processMessage($message)
            {
            global $i;
            global $j;
            $object = json_decode($message);
            $rows = $object->data;
            $i++;
            foreach($rows as $idx=>$data)
            {
            $j++;
            echo "Time : ".date('j F Y H:i:s', $data->time)
            ."\\r\\nReceiver : ".$data->receiver
            ."\\r\\nMessage : ".$data->message."\\r\\n\\r\\n";
            //echo "i = $i | j = $j\\r\\n";
            }
            }
            }
            $i = 0;
            $j = 0;
            $address = "127.0.0.1";
            $port = 8887;
            $username = 'manager';
            $password = 'Albasiko2020^';
            $channel = 'sms';
            $receiver = new Receiver($address, $port, $username, $password, $channel);
            $receiver->showLog = false;
            $receiver->run();
            ?>
            """;

    @TempDir
    Path dir;

    /**
     * The scripts with 000's port replaced by the test's, since the test cannot hold 8887; beside them, {@code lib}
     * is scripts/broker/php, so their {@code require_once dirname(__FILE__)."/lib/..."} lines stay as 000 wrote
     * them.
     */
    private Path script(String name, String text, int port) throws Exception {
        Path lib = dir.resolve("lib");
        if (!Files.exists(lib)) {
            Files.createSymbolicLink(lib, LIBRARY); // 000's scripts require their classes from ./lib
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text.replace("$port = 8887;", "$port = " + port + ";"));
        return file;
    }

    private ForkcastServer server(int brokerPort, String... more) throws Exception {
        Path users = dir.resolve("users.htpasswd");
        Accounts.htpasswd(users, "manager", "Albasiko2020^", "-c");
        var args = new java.util.ArrayList<>(List.of(
                "--users-file",
                users.toString(),
                "--broker-port",
                Integer.toString(brokerPort),
                "--store-url",
                "none"));
        args.addAll(List.of(more));
        return ForkcastServer.start(args);
    }

    private ChildProcess php(Path script) throws Exception {
        Path php = Tools.require("php", "the PHP broker client's tests");
        return ChildProcess.start(
                List.of(php.toString(), "-d", "display_errors=stderr", script.toString()),
                Map.of("FORKCAST_BROKER_PHP", LIBRARY.toString()),
                dir);
    }

    @Test
    @Timeout(180)
    void seed000sSenderAndReceiverExamplesDeliverToEachOther() throws Exception {
        int port = Tools.freePort();
        try (var server = server(port)) {
            Path receiverScript = script("receiver.php", RECEIVER, port);
            Path senderScript = script("sender.php", SENDER, port);
            try (var receiver = php(receiverScript)) {
                // The receiver says nothing with showLog off: its login shows in the server's log.
                server.awaitLog("event=broker_attach.*role=receiver.*channel=sms", WAIT);
                try (var sender = php(senderScript)) {
                    assertEquals(0, sender.awaitExit(WAIT), sender.outputText());
                }
                receiver.awaitOutput("^Receiver : \\+6281200000000$", WAIT);
                String message = receiver.awaitOutput("^Message : Kode OTP Anda adalah [0-9]{6}$", WAIT);
                assertTrue(message.matches("Message : Kode OTP Anda adalah \\d{6}"), receiver.outputText());
                receiver.awaitOutput("^>>>Jangan memberitahukan kode ini kepada siapapun<<<$", WAIT);
                assertEquals(
                        1,
                        receiver.output().stream()
                                .filter(l -> l.startsWith("Receiver : "))
                                .count(),
                        receiver.outputText());
            }
        }
    }

    @Test
    @Timeout(240)
    void twoReceiversUnderALimitOfOneNeverBothPrintOneMessage() throws Exception {
        int port = Tools.freePort();
        try (var server = server(port, "--channel-receivers-max", "1")) {
            Path receiverScript = script("receiver.php", RECEIVER, port);
            Path senderScript = script("sender.php", SENDER, port);
            try (var first = php(receiverScript);
                    var second = php(receiverScript)) {
                Await.until(
                        WAIT,
                        "both receivers on channel sms",
                        () -> server.countLog("event=broker_attach.*role=receiver.*channel=sms") >= 2);
                int messages = 5;
                for (int i = 0; i < messages; i++) {
                    try (var sender = php(senderScript)) {
                        assertEquals(0, sender.awaitExit(WAIT), sender.outputText());
                    }
                }
                Await.until(
                        WAIT,
                        "the " + messages + " messages printed",
                        () -> received(first).size() + received(second).size() >= messages);
                var all = new java.util.ArrayList<>(received(first));
                all.addAll(received(second));
                assertEquals(messages, all.size(), first.outputText() + "\n" + second.outputText());
                assertEquals(messages, new java.util.HashSet<>(all).size(), "a message printed twice: " + all);
                // Only the receiver on the channel longest gets messages while it is there.
                assertTrue(
                        received(first).isEmpty() || received(second).isEmpty(),
                        first.outputText() + "\n" + second.outputText());
            }
        }
    }

    @Test
    @Timeout(120)
    void aSenderWithNoServerSaysWhyAndEnds() throws Exception {
        int port = Tools.freePort(); // nothing listens on it
        Path senderScript = script("sender.php", SENDER, port);
        try (var sender = php(senderScript)) {
            sender.awaitExit(WAIT);
            assertTrue(sender.outputText().contains(Integer.toString(port)), sender.outputText());
        }
    }

    /** The OTP lines a receiver printed: each message's random code makes it unique. */
    private static List<String> received(ChildProcess receiver) {
        return receiver.output().stream()
                .filter(l -> l.startsWith("Message : Kode OTP"))
                .toList();
    }
}
