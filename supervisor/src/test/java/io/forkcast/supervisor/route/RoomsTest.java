package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomsTest {
    private final Rooms<String> rooms = new Rooms<>();

    @Test
    void bothSidesChangeTogether() {
        assertTrue(rooms.join("ann", "lobby"));
        assertTrue(rooms.join("ann", "java"));
        assertTrue(rooms.join("bob", "java"));
        assertEquals(List.of("ann", "bob"), List.copyOf(rooms.members("java")));
        assertEquals(List.of("lobby", "java"), List.copyOf(rooms.roomsOf("ann")));
        assertTrue(rooms.leave("ann", "java"));
        assertEquals(List.of("bob"), List.copyOf(rooms.members("java")));
        assertEquals(List.of("lobby"), List.copyOf(rooms.roomsOf("ann")));
    }

    @Test
    void joiningTwiceOrLeavingARoomNotJoinedChangesNothing() {
        rooms.join("ann", "lobby");
        assertFalse(rooms.join("ann", "lobby"));
        assertFalse(rooms.leave("ann", "java"));
        assertFalse(rooms.leave("bob", "lobby"));
        assertEquals(1, rooms.members("lobby").size());
    }

    @Test
    void anEmptiedRoomIsGoneAndSoIsAMemberInNoRoom() {
        rooms.join("ann", "lobby");
        rooms.leave("ann", "lobby");
        assertEquals(0, rooms.roomCount());
        assertTrue(rooms.members("lobby").isEmpty());
        assertTrue(rooms.roomsOf("ann").isEmpty());
    }

    @Test
    void leaveAllTakesAMemberOutOfEveryRoomAndSaysWhichInJoinOrder() {
        rooms.join("ann", "b");
        rooms.join("ann", "a");
        rooms.join("bob", "a");
        assertEquals(List.of("b", "a"), rooms.leaveAll("ann"));
        assertEquals(List.of("bob"), List.copyOf(rooms.members("a")));
        assertTrue(rooms.members("b").isEmpty());
        assertEquals(1, rooms.roomCount());
        assertEquals(List.of(), rooms.leaveAll("ann"));
    }

    @Test
    void membersKeepTheirOrderOfArrival() {
        for (String name : List.of("e", "c", "a", "d", "b")) {
            rooms.join(name, "lobby");
        }
        rooms.leave("a", "lobby");
        rooms.join("a", "lobby");
        assertEquals(List.of("e", "c", "d", "b", "a"), List.copyOf(rooms.members("lobby")));
    }
}
