package io.forkcast.protocol.frame;

/** The header's magic, version or flags are wrong; {@link #reason()} says which. */
public final class BadHeaderException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    BadHeaderException(String reason, String message, String headHex) {
        super(reason, message, headHex, null);
    }
}
