package io.forkcast.supervisor.route;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.text.Nicknames;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code /nick}: a nickname is checked here and, in a federation, against every other live node before it is
 * given. While the others are asked the nickname is reserved (taken for anyone else here, and held for a node
 * that asks at the same time and sorts after this one, see {@link Census#held}); one another node asked about
 * lately is taken here until it has had its answers. A node that does not answer in time does not hold the grant
 * back, and the log says so. Confined to the loop thread.
 */
final class NickDesk {
    private final Delivery delivery;
    private final Postman postman;
    private final Directory directory;
    private final LoginDesk login;
    private final RoomBook rooms;
    private final Census census;
    /** Gives a member its nickname (the directory and its Sender); the Router's. */
    private final BiConsumer<Member, String> rename;

    private final Consumer<String> log;

    NickDesk(
            Delivery delivery,
            Postman postman,
            Directory directory,
            LoginDesk login,
            RoomBook rooms,
            Census census,
            BiConsumer<Member, String> rename,
            Consumer<String> log) {
        this.delivery = delivery;
        this.postman = postman;
        this.directory = directory;
        this.login = login;
        this.rooms = rooms;
        this.census = census;
        this.rename = rename;
        this.log = log;
    }

    /**
     * A nickname request: accepted (and announced, if it changes the name) or refused with the reason; in a
     * federation, a new nickname is {@link Router.Outcome#ASKED} about first and answered later.
     */
    Router.Outcome nick(Member from, long seq, String nick) {
        if (!delivery.fresh(from, seq)) {
            return Router.Outcome.DUPLICATE;
        }
        String problem = problem(from, nick);
        if (problem != null) {
            postman.send(from, new NickRefused(seq, nick, problem));
            return Router.Outcome.REFUSED;
        }
        boolean own = Nicknames.key(nick).equals(Nicknames.key(from.name()));
        if (own || !rooms.outlet().federated()) {
            return grant(from, seq, nick);
        }
        census.reserve(nick, from);
        rooms.outlet().ask(new Ask.Nick(nick), gathered -> answered(from, seq, nick, gathered));
        return Router.Outcome.ASKED;
    }

    /** Why {@code from} may not have {@code nick} here, or null. */
    private String problem(Member from, String nick) {
        String problem = Nicknames.problem(nick);
        if (problem == null) {
            problem = login.nickProblem(from, nick);
        }
        if (problem == null
                && (directory.taken(nick, from)
                        || census.reservedForOther(nick, from)
                        || census.claimedElsewhere(nick))) {
            problem = "it is taken";
        }
        return problem;
    }

    /** The other nodes answered (or the timeout passed): refused if one holds it, else given. */
    private void answered(Member from, long seq, String nick, Ask.Gathered gathered) {
        census.release(nick, from);
        if (!from.present) {
            return;
        }
        String problem = problem(from, nick);
        if (problem == null) {
            for (var entry : gathered.answers().entrySet()) {
                if (entry.getValue() instanceof Ask.NickAnswer(boolean held) && held) {
                    problem = "it is taken";
                    log.accept("event=nick_refused client=" + from.clientId() + " nick=" + EventLog.quote(nick)
                            + " held_on=" + entry.getKey());
                    break;
                }
            }
        }
        if (problem != null) {
            postman.send(from, new NickRefused(seq, nick, problem));
            return;
        }
        if (!gathered.silent().isEmpty()) {
            log.accept("event=federation_nick_unchecked client=" + from.clientId() + " nick=" + EventLog.quote(nick)
                    + " silent=" + String.join(",", gathered.silent()) + " reason=no_answer_in_time");
        }
        if (grant(from, seq, nick) == Router.Outcome.RENAMED) {
            log.accept("event=nick client=" + from.clientId() + " nick=" + EventLog.quote(nick) + " asked="
                    + gathered.answers().size());
        }
    }

    private Router.Outcome grant(Member from, long seq, String nick) {
        String old = from.name();
        rename.accept(from, nick);
        postman.send(from, new NickAccepted(seq, nick));
        if (old.equals(nick)) {
            return Router.Outcome.UNCHANGED;
        }
        postman.announce(from, new Renamed(from.clientId(), old, nick, from.ref.pid()));
        rooms.outlet().renamed(from, old);
        return Router.Outcome.RENAMED;
    }
}
