package io.forkcast.it;

import java.util.ArrayList;
import java.util.List;

/** Starting a supervisor as one node of a federation, and a named telnet user on it: shared by the federation ITs. */
final class FederationNodes {
    private FederationNodes() {}

    /**
     * A supervisor named {@code name} on the NATS servers {@code urls}, a dead node noticed after {@code
     * nodeTimeout}; returned once it has started federating.
     */
    static ForkcastServer start(String name, String urls, String nodeTimeout, String... more) throws Exception {
        var args = new ArrayList<>(List.of(
                "--federation-url",
                urls,
                "--node-name",
                name,
                "--federation-node-timeout",
                nodeTimeout,
                "--pool-min-spare",
                "1",
                "--store-url",
                "none"));
        args.addAll(List.of(more));
        var server = ForkcastServer.start(args);
        server.awaitLog("event=federation_started node=" + name + " ");
        return server;
    }

    /** A telnet user of {@code server} in #lobby, known as {@code nick}. */
    static TelnetClient named(ForkcastServer server, String nick) throws Exception {
        var client = server.join();
        client.expect("*** you are in #lobby");
        client.send("/nick " + nick);
        client.expect("*** you are now known as " + nick);
        return client;
    }
}
