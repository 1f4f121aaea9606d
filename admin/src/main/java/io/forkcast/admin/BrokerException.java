package io.forkcast.admin;

import java.io.IOException;

/**
 * Talking to forkcast's broker port failed. Each subclass is one failure a caller may want to tell apart; the
 * message says which server and which command, and never holds a password.
 */
public class BrokerException extends IOException {
    private static final long serialVersionUID = 1L;

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No connection could be made: nothing listens there, the host is unknown, or the connect timed out. */
    public static final class Unavailable extends BrokerException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server refused the login: wrong user name or password, or it has no users file. */
    public static final class LoginRefused extends BrokerException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        public LoginRefused(String reason) {
            super("login refused: " + reason);
            this.reason = reason;
        }

        /** The server's words. */
        public String reason() {
            return reason;
        }
    }

    /**
     * The server answered a command with {@code "error"}: {@code command} is the reply's command ({@code send},
     * {@code ack}, or {@code error} for a line it could not read), {@code reason} its words. The connection goes on.
     */
    public static final class Refused extends BrokerException {
        private static final long serialVersionUID = 1L;

        private final String command;
        private final String reason;

        public Refused(String command, String reason) {
            super(command + " refused: " + reason);
            this.command = command;
            this.reason = reason;
        }

        public String command() {
            return command;
        }

        public String reason() {
            return reason;
        }
    }

    /** Nothing came within the timeout. */
    public static final class Timeout extends BrokerException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message) {
            super(message);
        }
    }

    /** The connection is over: the server closed it (with its {@code close} reason, if it sent one) or it broke. */
    public static final class Closed extends BrokerException {
        private static final long serialVersionUID = 1L;

        public Closed(String message) {
            super(message);
        }

        public Closed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server sent something that is not the protocol (not JSON, or a reply of the wrong shape). */
    public static final class Garbled extends BrokerException {
        private static final long serialVersionUID = 1L;

        public Garbled(String message) {
            super(message);
        }
    }
}
