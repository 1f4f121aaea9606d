package io.forkcast.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
    private static final int SERVER_UID = 998;
    private static final Map<Integer, AdminAccess.User> USERS = Map.of(
            1001, new AdminAccess.User("alice", 1001),
            1002, new AdminAccess.User("bob", 1002),
            1003, new AdminAccess.User("carol", 500),
            1004, new AdminAccess.User("mallory", 1004));

    private static AdminAccess withGroup() {
        return new AdminAccess(SERVER_UID, "forkcast-admin", 500, Set.of("bob"), USERS::get);
    }

    @Test
    void withoutAGroupOnlyRootAndTheServersUserGetIn() {
        var access = new AdminAccess(SERVER_UID, null, -1, Set.of(), USERS::get);
        assertTrue(access.permits(0, 0));
        assertTrue(access.permits(SERVER_UID, 12345));
        assertFalse(access.permits(1001, 1001));
        assertFalse(access.permits(1003, 500));
    }

    @Test
    void aGroupLetsInItsGidItsPrimaryUsersAndItsListedMembers() {
        var access = withGroup();
        assertTrue(access.permits(1001, 500), "peer running with the group's gid");
        assertTrue(access.permits(1003, 1003), "user whose primary group it is");
        assertTrue(access.permits(1002, 1002), "user listed as a member");
        assertTrue(access.permits(0, 0));
        assertTrue(access.permits(SERVER_UID, SERVER_UID));
    }

    @Test
    void everyoneElseIsRefusedEvenWithoutAPasswdEntry() {
        var access = withGroup();
        assertFalse(access.permits(1004, 1004));
        assertFalse(access.permits(1001, 1001));
        assertFalse(access.permits(65534, 65534), "uid unknown to the password database");
    }
}
