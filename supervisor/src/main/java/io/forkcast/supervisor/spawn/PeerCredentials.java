package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;

/**
 * The process at the other end of a Unix socket, from SO_PEERCRED: pid, uid and gid as the kernel recorded
 * them when the peer connected. The JDK's own option gives user and group only, not the pid.
 */
public record PeerCredentials(long pid, int uid, int gid) {

    /** Reads the credentials of a connected JDK Unix-domain channel, without taking over its descriptor. */
    public static PeerCredentials of(SocketChannel channel) throws IOException {
        // The jnr channel is only a view of the descriptor: it is never closed here, the JDK channel owns it.
        var view = UnixSocketChannel.fromFD(Fds.of(channel));
        var credentials = view.getOption(UnixSocketOptions.SO_PEERCRED);
        if (credentials == null) {
            throw new IOException("no peer credentials on fd " + Fds.of(channel));
        }
        return new PeerCredentials(credentials.getPid(), credentials.getUid(), credentials.getGid());
    }
}
