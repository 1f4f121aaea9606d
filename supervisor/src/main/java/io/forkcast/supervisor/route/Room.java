package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;

/**
 * One room: its name as it was first typed, its topic, and whether the configuration keeps it when nobody is in
 * it. Its members are in {@link RoomBook}'s {@link Rooms}. Confined to the loop thread.
 */
public final class Room {
    /** The {@code RoomNames.key} form, under which it is found; fixed. */
    final String key;
    /** As it was first typed (or configured), without {@code #}; fixed. */
    final String name;
    /** How a level 2 or later receiver sees a line of this room; fixed, so a line allocates none. */
    final Address.Room address;
    /** Listed in the {@code rooms} setting: kept, with its topic, while empty. Fixed. */
    final boolean configured;
    /** The topic, or null for none; set by {@code /topic}, the configuration or a resuming worker. */
    String topic;

    Room(String key, String name, boolean configured, String topic) {
        this.key = key;
        this.name = name;
        this.address = new Address.Room(name);
        this.configured = configured;
        this.topic = topic;
    }

    public String name() {
        return name;
    }

    /** The topic, or null for none. */
    public String topic() {
        return topic;
    }

    public boolean configured() {
        return configured;
    }

    @Override
    public String toString() {
        return "#" + name;
    }
}
