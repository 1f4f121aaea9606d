package io.forkcast.supervisor.store;

import java.util.Objects;

/**
 * A private message waiting for an absent registered user: {@code recipient} is the user key (lowercase), {@code
 * senderUser} the sender's account (null for a guest). {@code id} is 0 until the message is stored.
 */
public record OfflineMessage(
        long id, String recipient, long createdMillis, String senderName, String senderUser, String text) {
    public OfflineMessage {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(text, "text");
    }
}
