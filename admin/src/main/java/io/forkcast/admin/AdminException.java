package io.forkcast.admin;

import java.io.IOException;

/**
 * Talking to the admin socket failed: the connection broke or the server said something that is not the protocol.
 * The subclasses name the cases a caller may want to tell apart.
 */
public class AdminException extends IOException {
    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No server to talk to: the socket is missing, the kernel refused the connection, or forkcast turned us away. */
    public static final class Unavailable extends AdminException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server did not answer within the client's timeout. */
    public static final class Timeout extends AdminException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message) {
            super(message);
        }
    }

    /** The server answered {@code ERROR <reason>}. */
    public static class Refused extends AdminException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        public Refused(String command, String reason) {
            super(command + ": " + reason);
            this.reason = reason;
        }

        /** The server's words after {@code ERROR}. */
        public String reason() {
            return reason;
        }
    }

    /** The server answered {@code ERROR Client Not Found}: no client has that id (any more). */
    public static final class ClientNotFound extends Refused {
        private static final long serialVersionUID = 1L;

        public ClientNotFound(String command, long clientId) {
            super(command, "no client with id " + clientId);
        }
    }
}
