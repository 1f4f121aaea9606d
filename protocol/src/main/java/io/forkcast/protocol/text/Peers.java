package io.forkcast.protocol.text;

import java.net.InetAddress;
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

    /**
     * True when {@code peer} is written as {@link #format} writes an Internet address: an IPv4 literal or a
     * bracketed IPv6 literal, a colon and a port from 0 to 65535. No name is looked up.
     */
    public static boolean isPeer(String peer) {
        if (peer == null || peer.length() > 64) {
            return false;
        }
        int colon = peer.lastIndexOf(':');
        if (colon <= 0 || colon == peer.length() - 1 || peer.length() - colon - 1 > 5) {
            return false;
        }
        for (int i = colon + 1; i < peer.length(); i++) {
            if (peer.charAt(i) < '0' || peer.charAt(i) > '9') {
                return false;
            }
        }
        if (Integer.parseInt(peer.substring(colon + 1)) > 65535) {
            return false;
        }
        String host = peer.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || bracketed != (host.indexOf(':') >= 0)) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= '0' && c <= '9')
                    || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')
                    || c == ':'
                    || c == '.'
                    || c == '%';
            if (!allowed) {
                return false;
            }
        }
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code host:port}, bracketing a host that is an IPv6 literal. */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
