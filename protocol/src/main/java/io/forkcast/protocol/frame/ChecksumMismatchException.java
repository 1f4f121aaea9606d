package io.forkcast.protocol.frame;

/** The payload's CRC-32C differs from the one in its header. */
public final class ChecksumMismatchException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    ChecksumMismatchException(int headerCrc, int payloadCrc, int payloadBytes, String headHex) {
        super(
                "bad_crc",
                "crc32c of the " + payloadBytes + "-byte payload is " + "%08x".formatted(payloadCrc) + ", header says "
                        + "%08x".formatted(headerCrc),
                headHex,
                null);
    }
}
