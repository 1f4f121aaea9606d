package io.forkcast.admin;

import java.io.IOException;

/**
 * Talking to forkcast's WebSocket port failed: the opening was refused (its HTTP status and reason), a request was
 * answered with an error, no answer came in time, or the connection closed. The message names the server and
 * never holds a secret.
 */
public class WebSocketChatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WebSocketChatException(String message) {
        super(message);
    }

    public WebSocketChatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server said no: an opening turned away with an HTTP status, or a send answered {@code "type":"error"}. */
    public static final class Refused extends WebSocketChatException {
        private static final long serialVersionUID = 1L;

        /** The HTTP status of a refused opening; 0 for a refused send. */
        private final int status;

        /** The server's own words. */
        private final String reason;

        public Refused(String message, int status, String reason) {
            super(message);
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }
}
