package io.forkcast.supervisor.front;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Telnet clients: a refusal is one {@code *** reason} line, as the worker's telnet front door writes notices. */
public final class TelnetDoor implements FrontDoorKind {
    public static final TelnetDoor INSTANCE = new TelnetDoor();

    private TelnetDoor() {}

    @Override
    public String name() {
        return "telnet";
    }

    @Override
    public ByteBuffer refusal(String reason) {
        return ByteBuffer.wrap(("*** " + reason + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
