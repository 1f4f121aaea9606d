package io.forkcast.supervisor.route;

import java.util.function.Consumer;

/**
 * The accounts clients log in against, as the routing domain sees them: who exists, and a password check that
 * runs off the loop thread and answers on it. The supervisor's wiring implements it over the users file and its
 * verifying pool; {@link #NONE} is a server without accounts.
 */
public interface Accounts {
    /** How clients log in. */
    enum Mode {
        /** No accounts: everyone is a guest, {@code /login} is refused. */
        OFF,
        /** Guests chat; {@code /login USER} takes an account's name. */
        OPTIONAL,
        /** Nobody chats before logging in. */
        REQUIRED
    }

    /** What a password check found. */
    enum Verdict {
        OK,
        /** A wrong password or no such user: the client is not told which. */
        REFUSED,
        /** Too many checks waiting: try again. */
        BUSY
    }

    Mode mode();

    /** The user's name as the users file spells it, or null when there is no such user (any case matches). */
    String canonical(String name);

    /**
     * Checks {@code password} for {@code user}, never on the calling thread; {@code then} runs on the loop thread
     * with the verdict. {@code peer} ({@code ip:port}) is for slowing repeated failures and for the log.
     */
    void verify(String user, String password, String peer, Consumer<Verdict> then);

    /** No accounts. */
    Accounts NONE = new Accounts() {
        @Override
        public Mode mode() {
            return Mode.OFF;
        }

        @Override
        public String canonical(String name) {
            return null;
        }

        @Override
        public void verify(String user, String password, String peer, Consumer<Verdict> then) {
            then.accept(Verdict.REFUSED);
        }
    };
}
