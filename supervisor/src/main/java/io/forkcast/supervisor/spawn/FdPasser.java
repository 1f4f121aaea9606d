package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import jnr.posix.POSIX;

/**
 * Hands a client's socket to a spare worker: one {@code sendmsg} on the worker's hub link carrying a frame and,
 * with its first byte, the socket as an SCM_RIGHTS control message. Called on the loop thread.
 */
public final class FdPasser {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;

    private final POSIX posix;

    public FdPasser(POSIX posix) {
        this.posix = posix;
    }

    /**
     * Sends {@code frame} whole with {@code client}'s descriptor attached. The link's outbox must be empty, so the
     * frame cannot land in the middle of another. Throws if the kernel took less than the whole frame.
     */
    public void pass(SocketChannel link, ByteBuffer frame, SocketChannel client) throws IOException {
        var payload = ByteBuffer.allocateDirect(frame.remaining());
        payload.put(frame.duplicate()).flip();
        var message = posix.allocateMsgHdr();
        message.setIov(new ByteBuffer[] {payload});
        var control = message.allocateControl(Integer.BYTES);
        control.setLevel(SOL_SOCKET);
        control.setType(SCM_RIGHTS);
        var fd = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder());
        fd.putInt(0, Fds.of(client));
        control.setData(fd);
        int sent = posix.sendmsg(Fds.of(link), message, MSG_NOSIGNAL);
        if (sent != payload.remaining()) {
            throw new IOException(
                    "sendmsg passed " + sent + " of " + payload.remaining() + " bytes, errno=" + posix.errno());
        }
    }
}
