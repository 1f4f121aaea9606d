package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    private final Directory directory = new Directory();

    private Member member(long id) {
        var member = new Member(
                new ClientRef("node", id, "127.0.0.1:" + (5000 + id), 100 + id, 1, "telnet"), new TestMailbox());
        directory.add(member);
        return member;
    }

    @Test
    void nicknamesAreFoundAndTakenWhateverTheirCase() {
        var ann = member(1);
        var bob = member(2);
        directory.rename(ann, "Ann");
        assertSame(ann, directory.byNick("aNN"));
        assertTrue(directory.taken("ANN", bob));
        assertFalse(directory.taken("ann", ann), "one's own nickname is not taken from oneself");
        assertFalse(directory.taken("bob", ann));
    }

    @Test
    void aRenameFreesTheOldNicknameAndLeavingFreesTheNew() {
        var ann = member(1);
        var bob = member(2);
        directory.rename(ann, "ann");
        directory.rename(ann, "anna");
        assertFalse(directory.taken("ann", bob));
        assertTrue(directory.taken("ANNA", bob));
        directory.remove(ann);
        assertFalse(directory.taken("anna", bob));
        assertNull(directory.byId(1));
    }

    @Test
    void whoListsEveryoneStillReceivingInOrderOfArrival() {
        var c = member(3);
        member(1);
        var b = member(2);
        directory.rename(b, "bee");
        c.receiving = false;
        List<WhoEntry> who = Arrays.asList(directory.who().entries());
        assertEquals(
                List.of(
                        new WhoEntry(1, "127.0.0.1:5001", "127.0.0.1:5001", 101),
                        new WhoEntry(2, "bee", "127.0.0.1:5002", 102)),
                who);
        assertEquals(
                List.of(3L, 1L, 2L),
                directory.all().stream().map(Member::clientId).toList());
    }
}
