package io.forkcast.protocol.frame;

/** The payload names a class id that is not registered, or a registered class that is not a Message. */
public final class UnknownMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    UnknownMessageException(String message, String headHex) {
        super("unknown_message", message, headHex, null);
    }
}
