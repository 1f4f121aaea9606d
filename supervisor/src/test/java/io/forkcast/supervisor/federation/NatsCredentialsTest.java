package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.config.ConfigException;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsCredentialsTest {
    @TempDir
    Path dir;

    private static Options built(Options.Builder builder) {
        return builder.server("nats://127.0.0.1:4222").build();
    }

    @Test
    void aUserPasswordLineSplitsAtTheFirstColon() throws Exception {
        var file = Files.writeString(dir.resolve("good"), "fc:s3cret:with:colons\nignored\n");
        var options = new Options.Builder();
        NatsCredentials.apply(file, options);
        var built = built(options);
        assertArrayEquals("fc".toCharArray(), built.getUsernameChars());
        assertArrayEquals("s3cret:with:colons".toCharArray(), built.getPasswordChars());
    }

    @Test
    void noFileGivesNoCredentials() throws Exception {
        var options = new Options.Builder();
        NatsCredentials.apply(null, options);
        var built = built(options);
        assertNull(built.getUsernameChars());
        assertNull(built.getAuthHandler());
    }

    @Test
    void aFileThatIsNeitherIsOneLineThatDoesNotShowItsContent() throws Exception {
        var file = Files.writeString(dir.resolve("bad"), "secretword\n");
        var e = assertThrows(ConfigException.class, () -> NatsCredentials.apply(file, new Options.Builder()));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().getFirst().contains("neither a NATS .creds file nor one line user:password"));
        assertFalse(e.getMessage().contains("secretword"), e.getMessage());
    }

    @Test
    void anUnreadableFileSaysSo() {
        var missing = dir.resolve("missing");
        var e = assertThrows(ConfigException.class, () -> NatsCredentials.apply(missing, new Options.Builder()));
        assertTrue(
                e.getMessage().startsWith("federation_credentials_file " + missing + " cannot be read"),
                e.getMessage());
    }
}
