package io.forkcast.protocol.frame;

/**
 * A peer broke the frame protocol; the link it came on is unusable. Logged as
 * {@code reason=<reason()> head=<headHex()>} followed by the message, which carries the numbers.
 */
public abstract sealed class ProtocolException extends Exception
        permits BadHeaderException,
                FrameTooLargeException,
                ChecksumMismatchException,
                UnknownMessageException,
                CorruptPayloadException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String headHex;

    ProtocolException(String reason, String message, String headHex, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.headHex = headHex;
    }

    /** A short machine word such as {@code bad_magic} or {@code bad_crc}, for the {@code reason=} log field. */
    public String reason() {
        return reason;
    }

    /** The offending frame's first bytes (up to 32: header and as much payload as was seen), as lowercase hex. */
    public String headHex() {
        return headHex;
    }
}
