package io.forkcast.supervisor.admin;

import io.forkcast.supervisor.listen.Listeners.StartupException;
import java.util.Set;
import java.util.function.IntFunction;
import jnr.posix.POSIX;

/**
 * Who may use the admin socket, decided from the peer's SO_PEERCRED uid and gid: root, the server's own user,
 * and members of the {@code --admin-group} group (the peer's gid, the user's primary group, or the group's member
 * list as it was at start). Immutable; the user look-up runs on the loop thread.
 */
public final class AdminAccess {
    /** A user as the password database has it: login name and primary group. */
    public record User(String login, long gid) {}

    private final int ownUid;
    private final String groupName;
    private final long groupGid;
    private final Set<String> members;
    private final IntFunction<User> users;

    AdminAccess(int ownUid, String groupName, long groupGid, Set<String> members, IntFunction<User> users) {
        this.ownUid = ownUid;
        this.groupName = groupName;
        this.groupGid = groupGid;
        this.members = Set.copyOf(members);
        this.users = users;
    }

    /** Looks up {@code groupName} (empty: no group); an unknown group stops the start. */
    public static AdminAccess resolve(POSIX posix, String groupName) throws StartupException {
        IntFunction<User> users = uid -> {
            var passwd = posix.getpwuid(uid);
            return passwd == null ? null : new User(passwd.getLoginName(), passwd.getGID());
        };
        if (groupName.isEmpty()) {
            return new AdminAccess(posix.getuid(), null, -1, Set.of(), users);
        }
        var group = posix.getgrnam(groupName);
        if (group == null) {
            throw new StartupException("bad value for --admin-group: no group named " + groupName);
        }
        String[] names = group.getMembers();
        return new AdminAccess(
                posix.getuid(), groupName, group.getGID(), names == null ? Set.of() : Set.of(names), users);
    }

    /** Root and the server's own user: never held to the per-user cap, and room is kept for them. */
    public boolean privileged(int uid) {
        return uid == 0 || uid == ownUid;
    }

    public boolean permits(int uid, int gid) {
        if (uid == 0 || uid == ownUid) {
            return true;
        }
        if (groupName == null) {
            return false;
        }
        if (gid == groupGid) {
            return true;
        }
        User user = users.apply(uid);
        return user != null && (user.gid() == groupGid || members.contains(user.login()));
    }

    /** The admin group's name, or {@code null} when only root and the server's user are let in. */
    public String groupName() {
        return groupName;
    }

    public String describe() {
        return groupName == null ? "uid=0,uid=" + ownUid : "uid=0,uid=" + ownUid + ",group=" + groupName;
    }
}
