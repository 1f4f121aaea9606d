package io.forkcast.protocol.frame;

/** A frame, header included, would exceed the link's {@code maxFrameBytes}; thrown by decoder and encoder. */
public final class FrameTooLargeException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(long frameBytes, int maxFrameBytes, String headHex) {
        super("too_large", "frame of " + frameBytes + " bytes exceeds limit of " + maxFrameBytes, headHex, null);
    }
}
