package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.text.Nicknames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every present client by id, in order of arrival, and the nickname index: a lookup by id or by nickname is O(1),
 * and nicknames are unique in the {@link Nicknames#key} form (case-insensitive). Confined to the loop thread.
 */
public final class Directory {
    /** Every present member by client id, in order of arrival. */
    private final Map<Long, Member> byId = new LinkedHashMap<>();
    /** Every guest with a nickname, by {@link Nicknames#key} of it. */
    private final Map<String, Member> byNick = new HashMap<>();
    /** Every logged-in member, by {@link Nicknames#key} of its user: one user may have several sessions. */
    private final Map<String, List<Member>> byUser = new HashMap<>();

    /** Counts joins, leaves, logins and renames: who is where changed, and the clients file is written again. */
    private long changes;

    /** Changes to who is here and under what name since start; RoomBook counts moves. */
    public long changes() {
        return changes;
    }

    void add(Member member) {
        changes++;
        byId.put(member.clientId(), member);
        if (member.nick != null) {
            byNick.put(Nicknames.key(member.nick), member);
        }
    }

    void remove(Member member) {
        changes++;
        if (byId.get(member.clientId()) == member) {
            byId.remove(member.clientId());
        }
        if (member.user != null) {
            dropSession(member);
        } else if (member.nick != null) {
            byNick.remove(Nicknames.key(member.nick), member);
        }
    }

    /** {@code member}, a guest, logs in as {@code user}: its name is the user's from now on. */
    void logIn(Member member, String user) {
        changes++;
        if (member.nick != null) {
            byNick.remove(Nicknames.key(member.nick), member);
        }
        member.user = user;
        member.nick = user;
        byUser.computeIfAbsent(Nicknames.key(user), k -> new ArrayList<>(1)).add(member);
    }

    private void dropSession(Member member) {
        String key = Nicknames.key(member.user);
        var sessions = byUser.get(key);
        if (sessions != null && sessions.remove(member) && sessions.isEmpty()) {
            byUser.remove(key);
        }
    }

    /** The sessions of {@code user} (any case), in order of login; empty when it is not logged in. */
    public List<Member> sessions(String user) {
        var sessions = byUser.get(Nicknames.key(user));
        return sessions == null ? List.of() : Collections.unmodifiableList(sessions);
    }

    /** Every logged-in user with a session now, by key: a copy, safe to iterate while members leave. */
    List<List<Member>> allSessions() {
        var all = new ArrayList<List<Member>>(byUser.size());
        for (var sessions : byUser.values()) {
            all.add(List.copyOf(sessions));
        }
        return all;
    }

    /** Gives {@code member} the nickname {@code nick} (null: none), which the caller has checked is free. */
    void rename(Member member, String nick) {
        changes++;
        if (member.nick != null) {
            byNick.remove(Nicknames.key(member.nick), member);
        }
        member.nick = nick;
        if (nick != null) {
            byNick.put(Nicknames.key(nick), member);
        }
    }

    /** True if another member than {@code asker} holds {@code nick} in any case, as a guest's nick or a user's. */
    public boolean taken(String nick, Member asker) {
        var holder = byNick.get(Nicknames.key(nick));
        if (holder != null && holder != asker) {
            return true;
        }
        var sessions = byUser.get(Nicknames.key(nick));
        return sessions != null && !(sessions.size() == 1 && sessions.getFirst() == asker);
    }

    /** The member with {@code clientId}, or null. */
    public Member byId(long clientId) {
        return byId.get(clientId);
    }

    /** The guest holding {@code nick} in any case, or the first session of the user of that name, or null. */
    public Member byNick(String nick) {
        var guest = byNick.get(Nicknames.key(nick));
        if (guest != null) {
            return guest;
        }
        var sessions = byUser.get(Nicknames.key(nick));
        return sessions == null ? null : sessions.getFirst();
    }

    /** Every present member in order of arrival: a live, read-only view. */
    public Collection<Member> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int size() {
        return byId.size();
    }

    /**
     * Everyone still receiving, in order of arrival, as the who list shows them: in as many WhoList parts as it
     * takes for each to fit in {@code budgetBytes} (by an upper bound of its entries' size), at least one entry each.
     */
    public List<WhoList> who(int budgetBytes) {
        var parts = new ArrayList<WhoList>(1);
        var entries = new ArrayList<WhoEntry>();
        int left = budgetBytes;
        for (var member : byId.values()) {
            if (member.receiving && !member.awaitingLogin && !member.awaitingOpen) {
                var entry = new WhoEntry(member.clientId(), member.name(), member.ref.peer(), member.ref.pid());
                int bytes = maxBytes(entry);
                if (bytes > left && !entries.isEmpty()) {
                    parts.add(new WhoList(entries.toArray(WhoEntry[]::new)));
                    entries.clear();
                    left = budgetBytes;
                }
                entries.add(entry);
                left -= bytes;
            }
        }
        parts.add(new WhoList(entries.toArray(WhoEntry[]::new)));
        return parts;
    }

    /** Everyone still receiving, in one WhoList however long. */
    public WhoList who() {
        return who(Integer.MAX_VALUE).getFirst();
    }

    /** An upper bound of the bytes an entry takes in a frame: two varints and at most 3 UTF-8 bytes a char. */
    private static int maxBytes(WhoEntry e) {
        return 24 + 3 * (e.name().length() + e.peer().length());
    }
}
