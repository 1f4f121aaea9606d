package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.text.Nicknames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every present client by id, in order of arrival, and the nickname index: a lookup by id or by nickname is O(1),
 * and nicknames are unique in the {@link Nicknames#key} form (case-insensitive). Confined to the loop thread.
 */
public final class Directory {
    /** Every present member by client id, in order of arrival. */
    private final Map<Long, Member> byId = new LinkedHashMap<>();
    /** Every member with a nickname, by {@link Nicknames#key} of it. */
    private final Map<String, Member> byNick = new HashMap<>();

    void add(Member member) {
        byId.put(member.clientId(), member);
        if (member.nick != null) {
            byNick.put(Nicknames.key(member.nick), member);
        }
    }

    void remove(Member member) {
        if (byId.get(member.clientId()) == member) {
            byId.remove(member.clientId());
        }
        if (member.nick != null) {
            byNick.remove(Nicknames.key(member.nick), member);
        }
    }

    /** Gives {@code member} the nickname {@code nick} (null: none), which the caller has checked is free. */
    void rename(Member member, String nick) {
        if (member.nick != null) {
            byNick.remove(Nicknames.key(member.nick), member);
        }
        member.nick = nick;
        if (nick != null) {
            byNick.put(Nicknames.key(nick), member);
        }
    }

    /** True if another member than {@code asker} holds {@code nick} in any case. */
    public boolean taken(String nick, Member asker) {
        var holder = byNick.get(Nicknames.key(nick));
        return holder != null && holder != asker;
    }

    /** The member with {@code clientId}, or null. */
    public Member byId(long clientId) {
        return byId.get(clientId);
    }

    /** The member holding {@code nick} in any case, or null. */
    public Member byNick(String nick) {
        return byNick.get(Nicknames.key(nick));
    }

    /** Every present member in order of arrival: a live, read-only view. */
    public Collection<Member> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int size() {
        return byId.size();
    }

    /** Everyone still receiving, in order of arrival, as the who list shows them. */
    public WhoList who() {
        var entries = new ArrayList<WhoEntry>(byId.size());
        for (var member : byId.values()) {
            if (member.receiving) {
                entries.add(new WhoEntry(member.clientId(), member.name(), member.ref.peer(), member.ref.pid()));
            }
        }
        return new WhoList(entries.toArray(WhoEntry[]::new));
    }
}
