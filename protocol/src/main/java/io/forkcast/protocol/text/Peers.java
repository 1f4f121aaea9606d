package io.forkcast.protocol.text;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * How a network peer is written everywhere forkcast shows one (logs, chat lines, the admin socket): {@code ip:port},
 * with an IPv6 address in brackets ({@code [::1]:4444}). Thread-safe.
 */
public final class Peers {
    private Peers() {}

    /** {@code ip:port} for an Internet address; anything else (a Unix socket, null) as its string form. */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return hostPort(inet.getAddress().getHostAddress(), inet.getPort());
        }
        return String.valueOf(address);
    }

    /** {@code host:port}, bracketing a host that is an IPv6 literal. */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
