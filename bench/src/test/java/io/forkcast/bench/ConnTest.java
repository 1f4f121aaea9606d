package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ConnTest {
    @Test
    void theAdmissionsRefusalsAreCountedByTheirCause() {
        assertEquals("busy", Conn.refusal("*** server busy, try again later"));
        assertEquals("per_address", Conn.refusal("*** too many connections from your address"));
        assertEquals("full", Conn.refusal("*** server full, please try again later"));
    }

    @Test
    void anyOtherLineIsNoRefusal() {
        assertNull(Conn.refusal("*** server unavailable for too long, disconnecting"));
        assertNull(Conn.refusal("Welcome to forkcast, you are 127.0.0.1:40112 (pid 4121). Type /help for commands."));
        assertNull(Conn.refusal(""));
    }
}
