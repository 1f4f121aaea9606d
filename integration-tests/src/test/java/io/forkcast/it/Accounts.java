package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Users files made by Apache's own {@code htpasswd}, as an administrator makes them, and logging in over telnet. */
final class Accounts {
    /** IAC WILL ECHO: the server echoes (nothing), so the client stops echoing what is typed. */
    static final byte[] ECHO_OFF = {(byte) 255, (byte) 251, 1};
    /** IAC WONT ECHO: the client echoes again. */
    static final byte[] ECHO_ON = {(byte) 255, (byte) 252, 1};
    /** IAC DO ECHO: a client's yes to {@link #ECHO_OFF}. */
    static final byte[] AGREE = {(byte) 255, (byte) 253, 1};

    private Accounts() {}

    /**
     * Runs {@code htpasswd -b [flags] file user password}: the first call with {@code "-c"} creates the file
     * ({@code htpasswd -c} writes apr1 by default; {@code "-B"} is bcrypt).
     */
    static void htpasswd(Path file, String user, String password, String... flags) throws Exception {
        var command = new ArrayList<String>();
        command.add(Tools.require("htpasswd", "the accounts tests").toString());
        command.add("-b");
        command.addAll(List.of(flags));
        command.add(file.toString());
        command.add(user);
        command.add(password);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("htpasswd did not finish");
        }
        assertEquals(0, process.exitValue(), "htpasswd " + command + ": " + output);
    }

    /** {@code /login user}, the password prompt with the echo off, the password, and the echo back on. */
    static void login(TelnetClient client, String user, String password) throws IOException {
        client.send("/login " + user);
        answerPassword(client, password);
    }

    /** Answers a {@code password: } prompt the way Debian's telnet does: DO ECHO, then the line. */
    static void answerPassword(TelnetClient client, String password) throws IOException {
        client.expectBytes("password: ".getBytes(StandardCharsets.US_ASCII));
        client.expectBytes(ECHO_OFF);
        client.sendRaw(AGREE);
        client.send(password);
        client.expectBytes(ECHO_ON);
        client.expectBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
