package io.forkcast.supervisor.store;

import java.util.Objects;

/**
 * One room line as history keeps it: {@code room} is the room key (lowercase), {@code kind} {@code "say"} or
 * {@code "act"}, {@code senderUser} the account of a logged-in sender (null for guests), {@code node} and {@code
 * clientId} the sender's supervisor and client. {@code id} is 0 until the line is stored.
 */
public record StoredLine(
        long id,
        String room,
        long createdMillis,
        String kind,
        String senderName,
        String senderUser,
        String node,
        long clientId,
        String text) {
    public static final String SAY = "say";
    public static final String ACT = "act";

    public StoredLine {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(text, "text");
        if (!SAY.equals(kind) && !ACT.equals(kind)) {
            throw new IllegalArgumentException("a stored line is \"say\" or \"act\": " + kind);
        }
    }
}
