package io.forkcast.supervisor.services;

import io.forkcast.supervisor.auth.Authenticator;
import io.forkcast.supervisor.route.Accounts;
import io.forkcast.supervisor.spawn.AddressCounts;
import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * The accounts of a users file, checked by the {@link Authenticator}: the login mode, who exists, and password
 * checks whose verdicts the authenticator hands to the loop. One instance per users file read; a reload makes a
 * new one over the same authenticator.
 */
final class UsersAccounts implements Accounts {
    private final Authenticator authenticator;
    private final Mode mode;
    /** Bits of an IPv6 address that count as one address when repeated failures are slowed. */
    private final int ipv6PrefixBits;

    UsersAccounts(Authenticator authenticator, Mode mode, int ipv6PrefixBits) {
        this.authenticator = authenticator;
        this.mode = mode;
        this.ipv6PrefixBits = ipv6PrefixBits;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public String canonical(String name) {
        return name == null ? null : authenticator.users().canonical(name).orElse(null);
    }

    @Override
    public void verify(String user, String password, String peer, Consumer<Verdict> then) {
        authenticator.verify(
                user,
                password.toCharArray(),
                peer,
                addressKey(peer),
                verdict -> then.accept(
                        switch (verdict.outcome()) {
                            case OK -> Verdict.OK;
                            case BUSY -> Verdict.BUSY;
                            case BAD_PASSWORD, UNKNOWN_USER -> Verdict.REFUSED;
                        }));
    }

    /** The address part of {@code ip:port} (or {@code [v6]:port}) as admission counts it; the peer if unparsable. */
    private String addressKey(String peer) {
        int colon = peer.lastIndexOf(':');
        String host = colon < 0 ? peer : peer.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            // A literal address: no name lookup happens.
            return AddressCounts.keyOf(InetAddress.ofLiteral(host), ipv6PrefixBits);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    static Mode modeOf(String login) {
        return switch (login) {
            case "required" -> Mode.REQUIRED;
            case "optional" -> Mode.OPTIONAL;
            default -> Mode.OFF;
        };
    }
}
