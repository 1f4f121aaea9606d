package io.forkcast.supervisor.store;

import java.util.Objects;

/**
 * A broker message waiting in the store for a receiver on its channel: {@code messageId} is the id the supervisor
 * gave the message (kept so that it survives a restart and receivers can drop repeats), {@code channel} the
 * channel key (lowercase), {@code senderUser} the sender's account (broker clients always log in), {@code node}
 * and {@code clientId} the sender's supervisor and client, {@code data} the compact JSON. {@code rowId} is 0
 * until the message is stored.
 */
public record BrokerMessage(
        long rowId,
        long messageId,
        String channel,
        long createdMillis,
        String senderUser,
        String node,
        long clientId,
        String data) {
    public BrokerMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(senderUser, "senderUser");
        Objects.requireNonNull(data, "data");
    }
}
