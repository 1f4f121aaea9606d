package io.forkcast.supervisor.route;

/**
 * Seed 001's applications as the routing domain sees them: what a key and secret may do. The supervisor's wiring
 * implements it over ws_auth_file (auth.ApplicationsFile); {@link #ANYONE} is a server without one, where anyone
 * may open a WebSocket connection and send with tags. Implementations compare secrets in constant time and never
 * log them. Immutable; replaced whole on reload.
 */
public interface Applications {
    /** What a key and secret may do. */
    enum Grant {
        /** No such application, a wrong secret, or none given where one is needed. */
        NONE,
        /** A listed application whose authorizeOpen is false: it may send with tags, not open connections. */
        SEND,
        /** A listed application whose authorizeOpen is true: it may open connections and send. */
        OPEN
    }

    /** What {@code key} with {@code secret} may do; either may be null (none given). */
    Grant grant(String key, String secret);

    /** True when there is a file of applications: without one everyone may do everything. */
    boolean required();

    /** No ws_auth_file: anyone may open and send. */
    Applications ANYONE = new Applications() {
        @Override
        public Grant grant(String key, String secret) {
            return Grant.OPEN;
        }

        @Override
        public boolean required() {
            return false;
        }
    };
}
