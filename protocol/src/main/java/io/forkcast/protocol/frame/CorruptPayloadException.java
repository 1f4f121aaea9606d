package io.forkcast.protocol.frame;

/** Kryo could not read the payload (truncated, garbage, impossible lengths), or bytes were left after the message. */
public final class CorruptPayloadException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    CorruptPayloadException(String message, String headHex, Throwable cause) {
        super("corrupt_payload", message, headHex, cause);
    }
}
