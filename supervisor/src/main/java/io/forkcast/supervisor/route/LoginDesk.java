package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.AwayLines;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginNeeded;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.Nicknames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Accounts in the routing domain: logging in (the check runs off the loop, its verdict comes back to {@link
 * #verdict}), the names registered users own, the clients the server waits for to log in, private lines kept for
 * users who are away and given to them at their next login, and users removed from the users file. Confined to
 * the loop thread.
 *
 * <pre>
 *   required: arrive --> awaiting login (no room, LoginNeeded) --LoginRequested, OK--> in the default room
 *                           | 3 failures, or login_timeout: Disconnect
 *   optional: guest in a room --/login, OK--> the same member, renamed to its user; its waiting lines delivered
 * </pre>
 */
public final class LoginDesk {
    /** Failed logins after which a connection is closed. */
    static final int ATTEMPTS = 3;

    /** What a login that succeeded leads to, in the Router: placing a client that waited, or renaming a guest. */
    interface Placing {
        /** A client that waited to log in is placed in the default room and announced. */
        void place(Member member);
    }

    private final Directory directory;
    private final Postman postman;
    private final Archive archive;
    private final Placing placing;
    private final Consumer<String> log;
    private Accounts accounts;
    /** The clients asked to log in that have not yet, in order of arrival: what the login timeout looks at. */
    private final Set<Member> awaiting = new LinkedHashSet<>();
    /** offline_max; live. */
    private int offlineMax;
    /** login_timeout in nanoseconds; live. */
    private long loginTimeoutNanos;

    private long loginsOk;
    private long loginsFailed;
    private long offlineStored;
    private long offlineDelivered;

    LoginDesk(
            Directory directory,
            Postman postman,
            Archive archive,
            Accounts accounts,
            Placing placing,
            Consumer<String> log) {
        this.directory = directory;
        this.postman = postman;
        this.archive = archive;
        this.accounts = accounts;
        this.placing = placing;
        this.log = log;
    }

    /** New offline_max and login_timeout (a reload). */
    public void limits(int nextOfflineMax, long nextLoginTimeoutNanos) {
        offlineMax = nextOfflineMax;
        loginTimeoutNanos = nextLoginTimeoutNanos;
    }

    /**
     * True when a newly arrived client must log in before it is placed in a room: where the server requires it (of
     * a worker of level 4 or later), and always for a broker client.
     */
    boolean mustLogIn(ClientRef ref) {
        return ref.broker() || (accounts.mode() == Accounts.Mode.REQUIRED && ref.level() >= 4);
    }

    /** The user's name as the users file spells it, or null when there is no such user. */
    String canonical(String user) {
        return accounts.canonical(user);
    }

    /** A client that must log in first: asked to, and remembered so that it can be timed out. */
    void askToLogIn(Member member) {
        member.awaitingLogin = true;
        member.askedToLogInNanos = System.nanoTime();
        awaiting.add(member);
        postman.send(member, new LoginNeeded(ATTEMPTS - member.loginFailures));
    }

    /** A client of a worker that resumed logged in as {@code user}: still a user if the users file still has it. */
    boolean resumeAs(Member member, String user, List<String> notices) {
        String canonical = user == null ? null : accounts.canonical(user);
        if (canonical == null) {
            if (user != null) {
                notices.add("your account " + user + " is gone; you are a guest now");
            }
            return false;
        }
        directory.logIn(member, canonical);
        return true;
    }

    /** Why a guest may not take {@code nick} (a registered user's name), or null. */
    String nickProblem(Member asker, String nick) {
        if (asker.user != null) {
            return "you are logged in as " + asker.user + ", which is your name";
        }
        return accounts.canonical(nick) != null ? "it belongs to a registered user (/login " + nick + ")" : null;
    }

    /** {@code /login USER} or the answer to the login prompts: the password is checked off the loop. */
    public void login(Member from, long seq, String user, String password) {
        if (accounts.mode() == Accounts.Mode.OFF) {
            postman.send(
                    from,
                    new LoginRefused(
                            seq,
                            user,
                            from.ref.broker()
                                    ? "this server has no users_file, so broker clients cannot log in"
                                    : "there are no accounts on this server"));
            return;
        }
        if (from.user != null) {
            postman.send(from, new LoginRefused(seq, user, "you are already logged in as " + from.user));
            return;
        }
        if (from.verifying) {
            postman.send(from, new LoginRefused(seq, user, "a login is already under way"));
            return;
        }
        if (user == null || Nicknames.problem(user) != null || password == null) {
            refused(from, seq, user);
            return;
        }
        from.verifying = true;
        accounts.verify(user, password, from.ref.peer(), verdict -> verdict(from, seq, user, verdict));
    }

    /** A password check came back (on the loop thread). */
    void verdict(Member member, long seq, String user, Accounts.Verdict verdict) {
        member.verifying = false;
        if (!member.present) {
            return;
        }
        String canonical = verdict == Accounts.Verdict.OK ? accounts.canonical(user) : null;
        if (verdict == Accounts.Verdict.BUSY) {
            postman.send(member, new LoginRefused(seq, user, "the server is busy, try again in a moment"));
            if (member.awaitingLogin) {
                postman.send(member, new LoginNeeded(ATTEMPTS - member.loginFailures));
            }
            return;
        }
        if (canonical == null) {
            refused(member, seq, user);
            return;
        }
        loginsOk++;
        member.loginFailures = 0;
        String old = member.name();
        directory.logIn(member, canonical);
        var ref = member.ref;
        member.sender = new Sender(ref.node(), ref.clientId(), canonical, ref.pid());
        postman.send(member, new LoggedIn(seq, canonical));
        log.accept("event=login user=" + canonical + " peer=" + ref.peer() + " worker=" + ref.clientId());
        if (member.awaitingLogin) {
            member.awaitingLogin = false;
            awaiting.remove(member);
            placing.place(member);
        } else if (!old.equals(canonical)) {
            postman.announce(member, new Renamed(ref.clientId(), old, canonical, ref.pid()));
        }
        if (!ref.broker()) {
            deliverAway(member); // a program logged in as a person's user must not take that person's messages
        }
    }

    private void refused(Member member, long seq, String user) {
        loginsFailed++;
        member.loginFailures++;
        postman.send(member, new LoginRefused(seq, user, "login incorrect"));
        if (member.loginFailures >= ATTEMPTS) {
            log.accept("event=login_disconnect peer=" + member.ref.peer() + " worker=" + member.clientId()
                    + " failures=" + member.loginFailures);
            postman.send(member, new Disconnect("too many failed logins"));
            member.receiving = false;
        } else if (member.awaitingLogin) {
            postman.send(member, new LoginNeeded(ATTEMPTS - member.loginFailures));
        }
    }

    /** The private lines kept for a user who just logged in, then forgotten. */
    private void deliverAway(Member member) {
        if (!archive.enabled()) {
            return;
        }
        archive.awayLines(Nicknames.key(member.user), away -> {
            if (away == null) {
                if (member.present) {
                    postman.send(member, new Notice("messages kept for you could not be read now; they stay kept"));
                }
                return;
            }
            if (away.lines().isEmpty() || !member.present || !member.receiving) {
                return;
            }
            var lines = away.lines();
            // In parts of at most 50 lines: a line is at most max_line_bytes, well under a frame's share.
            for (int offset = 0; offset < lines.size(); offset += 50) {
                var part = lines.subList(offset, Math.min(lines.size(), offset + 50));
                postman.send(member, new AwayLines(lines.size(), offset, part));
            }
            offlineDelivered += lines.size();
            archive.forget(away.ids());
        });
    }

    /**
     * A private line for {@code to}, who is not connected: kept for them if they are a registered user; true when
     * this desk took it (the sender is answered once the store has it), false when there is no such user.
     */
    boolean keepForAbsent(Member from, long seq, String to, String text) {
        String user = to == null ? null : accounts.canonical(to);
        if (user == null) {
            return false;
        }
        if (!archive.enabled() || offlineMax == 0) {
            postman.send(from, new Notice(user + " is away, and messages are not kept for later on this server"));
            return true;
        }
        var line = new PastLine(System.currentTimeMillis(), from.name(), Style.SAY, text);
        archive.keepPrivate(Nicknames.key(user), from, line, offlineMax, kept -> {
            if (kept == Archive.Kept.STORED) {
                offlineStored++;
            }
            if (!from.present || !from.receiving) {
                return;
            }
            switch (kept) {
                case STORED ->
                    postman.send(
                            from,
                            from.ref.level() >= 4
                                    ? new PrivateStored(seq, user)
                                    : new Notice(user + " is away; the message will be delivered when they log in"));
                case FULL ->
                    postman.send(
                            from,
                            new Notice(user + " has too many messages waiting (" + offlineMax + "); yours was not"
                                    + " kept"));
                case OFF ->
                    postman.send(
                            from, new Notice(user + " is away, and messages are not kept for later on this server"));
                case REFUSED, FAILED ->
                    postman.send(
                            from,
                            new Notice(user + " is away and your message could not be kept (the store is unavailable);"
                                    + " try again later"));
            }
        });
        return true;
    }

    /** New accounts (a reload): the sessions of users no longer in the file are closed. */
    public void accounts(Accounts next) {
        accounts = next;
        for (var sessions : directory.allSessions()) {
            for (var member : sessions) {
                if (accounts.canonical(member.user) == null) {
                    log.accept("event=account_removed user=" + member.user + " worker=" + member.clientId());
                    postman.send(member, new Disconnect("your account was removed"));
                    member.receiving = false;
                }
            }
        }
    }

    /** Housekeeping: clients that were asked to log in and did not within login_timeout are disconnected. */
    public void tick(long now) {
        if (loginTimeoutNanos <= 0) {
            return;
        }
        List<Member> late = new ArrayList<>();
        for (var member : awaiting) {
            if (now - member.askedToLogInNanos <= loginTimeoutNanos) {
                break; // in order of arrival: the rest came later
            }
            if (member.receiving) {
                late.add(member);
            }
        }
        awaiting.removeAll(late);
        for (var member : late) {
            log.accept("event=login_timeout peer=" + member.ref.peer() + " worker=" + member.clientId() + " waited_s="
                    + TimeUnit.NANOSECONDS.toSeconds(now - member.askedToLogInNanos));
            postman.send(member, new Disconnect("no login in time, disconnecting"));
            member.receiving = false;
        }
    }

    /** The client is gone. */
    void left(Member member) {
        awaiting.remove(member);
    }

    public Accounts.Mode mode() {
        return accounts.mode();
    }

    public long loginsOk() {
        return loginsOk;
    }

    public long loginsFailed() {
        return loginsFailed;
    }

    public long offlineStored() {
        return offlineStored;
    }

    public long offlineDelivered() {
        return offlineDelivered;
    }
}
