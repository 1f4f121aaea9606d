package io.forkcast.supervisor.store;

/** The database's schema cannot be used by this build (it is newer than the code); the message says what to do. */
public final class SchemaException extends Exception {
    private static final long serialVersionUID = 1L;

    SchemaException(String message) {
        super(message);
    }
}
