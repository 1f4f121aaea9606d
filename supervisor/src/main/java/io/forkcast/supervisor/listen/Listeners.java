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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Opens the supervisor's listening sockets: the chat port (TCP) and Unix sockets in the runtime directory.
 * Failures come back as {@link StartupException} with a one-line message fit for the operator.
 */
public final class Listeners {
    private static final int BACKLOG = 1024;
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> ADMIN_GROUP = PosixFilePermissions.fromString("rwx--x---");

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

    /**
     * Creates the runtime directory if it is missing (0700), then refuses one that a stranger could reach or swap:
     * a symbolic link, anything but a directory, one not owned by {@code uid}, or a mode other than 0700 (or 0710
     * when {@code adminGroup}, which lets the admin group reach the admin socket). Returns its real path, which is
     * what workers are given, so that no later change to a link on the way can point them at another hub.
     */
    public static Path runtimeDir(Path dir, int uid, boolean adminGroup) throws StartupException {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (dir.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(dir.toAbsolutePath().getParent());
                }
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                Files.setPosixFilePermissions(dir, PRIVATE);
            }
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot prepare runtime directory " + dir + ": " + e);
        }
        try {
            var attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new StartupException("runtime directory " + dir + " is a symbolic link (to "
                        + Files.readSymbolicLink(dir) + "); give its real path instead");
            }
            if (!attributes.isDirectory()) {
                throw new StartupException("runtime directory " + dir + " is not a directory");
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != uid) {
                throw new StartupException(
                        "runtime directory " + dir + " is owned by uid " + owner + ", not by this server's uid " + uid);
            }
            var mode = attributes.permissions();
            if (!mode.equals(PRIVATE) && !(adminGroup && mode.equals(ADMIN_GROUP))) {
                throw new StartupException(
                        "runtime directory " + dir + " has mode " + PosixFilePermissions.toString(mode)
                                + "; it must be rwx------ (0700)" + (adminGroup ? " or rwx--x--- (0710)" : "")
                                + ": chmod 700 " + dir);
            }
            return dir.toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot check runtime directory " + dir + ": " + e);
        }
    }

    /**
     * Binds a Unix socket at {@code path} with the given mode ("rw-------"). A stale socket file left by a
     * dead supervisor is removed; a live one (something answers on it) is an error.
     */
    public static ServerSocketChannel unix(Path path, String mode) throws StartupException {
        return unix(path, mode, false);
    }

    /**
     * As {@link #unix(Path, String)}; with {@code takeOver} (a successor in a planned restart, whose predecessor
     * is alive on purpose) a live socket is replaced instead: the new one is bound beside it and renamed over it,
     * so that the path never goes missing.
     */
    public static ServerSocketChannel unix(Path path, String mode, boolean takeOver) throws StartupException {
        if (takeOver) {
            Path beside = path.resolveSibling(path.getFileName() + ".new");
            try {
                Files.deleteIfExists(beside);
            } catch (IOException e) {
                throw new StartupException("cannot remove stale socket " + beside + ": " + e.getMessage());
            }
            var channel = unix(beside, mode, false);
            try {
                Files.move(beside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new StartupException("cannot take over " + path + ": " + e);
            }
            return channel;
        }
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
