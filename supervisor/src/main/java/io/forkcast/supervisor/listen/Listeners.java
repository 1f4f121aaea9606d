package io.forkcast.supervisor.listen;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Opens the supervisor's listening sockets: the chat port (TCP) and Unix sockets in the runtime directory.
 * Failures come back as {@link StartupException} with a one-line message fit for the operator.
 */
public final class Listeners {
    private static final int BACKLOG = 1024;

    private Listeners() {}

    /** A problem that stops the supervisor from starting, said in one line. */
    public static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        public StartupException(String message) {
            super(message);
        }
    }

    public static ServerSocketChannel tcp(String bind, int port) throws StartupException {
        try {
            var channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                channel.bind(new InetSocketAddress(bind, port), BACKLOG);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return channel;
        } catch (BindException e) {
            throw new StartupException("cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        } catch (java.nio.channels.UnresolvedAddressException e) {
            throw new StartupException("cannot listen on " + bind + ":" + port + ": unknown address");
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot listen on " + bind + ":" + port + ": " + e);
        }
    }

    /** Creates the runtime directory if needed and makes it private to the server's user (0700). */
    public static void runtimeDir(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot prepare runtime directory " + dir + ": " + e);
        }
    }

    /**
     * Binds a Unix socket at {@code path} with the given mode ("rw-------"). A stale socket file left by a
     * dead supervisor is removed; a live one (something answers on it) is an error.
     */
    public static ServerSocketChannel unix(Path path, String mode) throws StartupException {
        var address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path)) {
            boolean live;
            try (var probe = SocketChannel.open(address)) {
                live = probe.isConnected();
            } catch (IOException stale) {
                live = false;
            }
            if (live) {
                throw new StartupException("another server is already running on " + path);
            } else {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new StartupException("cannot remove stale socket " + path + ": " + e.getMessage());
                }
            }
        }
        try {
            var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(address, BACKLOG);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
            return channel;
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot listen on " + path + ": " + e);
        }
    }
}
