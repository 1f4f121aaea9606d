package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.route.Applications.Grant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 001's auth.yml as ws_auth_file: its layout, what each application may do, and the files refused. */
class ApplicationsFileTest {
    /** 001's README example: application1 may open connections, application2 may only send. */
    static final String SEED_001 = """
            applications:
              - key: application1
                secret: 3f1a9c0e2b7d4f6a
                authorizeOpen: true
              - key: application2
                secret: "s3cret: with a colon"
                authorizeOpen: false
            """;

    @Test
    void seed001sFileGrantsOpeningToApplication1AndSendingToBoth(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("auth.yml"), SEED_001);
        var apps = ApplicationsFile.load(file);
        assertEquals(2, apps.size());
        assertEquals(1, apps.openers());
        assertTrue(apps.required());
        assertEquals(Grant.OPEN, apps.grant("application1", "3f1a9c0e2b7d4f6a"));
        assertEquals(Grant.SEND, apps.grant("application2", "s3cret: with a colon"));
        assertEquals(Grant.NONE, apps.grant("application1", "3f1a9c0e2b7d4f6b"));
        assertEquals(Grant.NONE, apps.grant("application1", ""));
        assertEquals(Grant.NONE, apps.grant("application3", "3f1a9c0e2b7d4f6a"));
        assertEquals(Grant.NONE, apps.grant(null, null));
        assertEquals(Grant.NONE, apps.grant("application1", null));
        assertFalse(apps.toString().contains("3f1a"), "no secret in toString");
    }

    @Test
    void authorizeOpenLeftOutIsFalseAndAnEmptyListAllowsNobody() throws Exception {
        var apps = ApplicationsFile.parse("t", "applications:\n  - key: k\n    secret: s\n");
        assertEquals(Grant.SEND, apps.grant("k", "s"));
        var none = ApplicationsFile.parse("t", "applications: []\n");
        assertEquals(Grant.NONE, none.grant("k", "s"));
    }

    @Test
    void filesNotIn001sLayoutAreRefusedWithoutQuotingASecret() {
        String[][] cases = {
            {"", "has no applications: list"},
            {"applications: yes\n", "has no applications: list"},
            {"apps:\n  - key: a\n", "has no applications: list"},
            {"applications:\n  - key: a\n    secret: topsecret\n  - key: a\n    secret: other\n", "listed twice"},
            {"applications:\n  - key: a\n", "has no secret"},
            {"applications:\n  - secret: topsecret\n", "has no key"},
            {"applications:\n  - key: a\n    secret: topsecret\n    authorizeOpen: maybe\n", "not true or false"},
            {"applications:\n  - key: a\n    secret: topsecret\n    colour: red\n", "unknown field colour"},
            {"applications:\n  - just a string\n", "is not a mapping"},
            {"applications: []\nother: 1\n", "unknown top-level key other"},
            {"applications:\n  - key: a\n    key: b\n    secret: topsecret\n", "is not YAML"},
            {"applications:\n  - key: a\n    secret: [topsecret\n", "is not YAML (line"},
            {"applications:\n  - !!javax.script.ScriptEngineManager [topsecret]\n", "is not YAML"},
        };
        for (String[] c : cases) {
            var e = assertThrows(ApplicationsFile.BadFile.class, () -> ApplicationsFile.parse("auth.yml", c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("ws_auth_file auth.yml"), e.getMessage());
            assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        }
    }

    @Test
    void aMissingFileIsOneLineNamingIt(@TempDir Path dir) {
        var e = assertThrows(ApplicationsFile.BadFile.class, () -> ApplicationsFile.load(dir.resolve("none.yml")));
        assertTrue(e.getMessage().startsWith("ws_auth_file " + dir.resolve("none.yml") + " cannot be read"));
        assertEquals(1, e.getMessage().lines().count());
    }
}
