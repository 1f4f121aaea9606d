package io.forkcast.supervisor.federation;

import io.forkcast.supervisor.config.ConfigException;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * federation_credentials_file: a NATS {@code .creds} file (a user JWT and its nkey seed) or one line {@code
 * user:password}, the password being everything after the first colon. Anything else stops the start with one line
 * that never shows the file's content. Stateless.
 */
final class NatsCredentials {
    private NatsCredentials() {}

    /** Gives {@code options} the credentials of {@code file}; nothing when {@code file} is null. */
    static void apply(Path file, Options.Builder options) throws ConfigException {
        if (file == null) {
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of("federation_credentials_file " + file + " cannot be read: " + e));
        }
        if (text.contains("BEGIN NATS USER JWT")) {
            options.authHandler(Nats.credentials(file.toString()));
            return;
        }
        String line = text.lines().findFirst().orElse("").strip();
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException(List.of(
                    "federation_credentials_file " + file + ": neither a NATS .creds file nor one line user:password"));
        }
        options.userInfo(line.substring(0, colon), line.substring(colon + 1));
    }
}
