package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Text that hides, reorders or impersonates never reaches other people's screens as it was typed. */
@Timeout(120)
class TextRulesIT {
    @Test
    void bidiOverridesZeroWidthCharactersAndCombiningPilesAreRemovedFromLines() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            a.send("invoice\u202Efdp.exe\u202C and a\u200Bb\u200D\uFEFFc\u2066d\u2069 Z\u0301\u0302\u0303\u0304\u0305");
            b.expect("[" + a.address() + "] (" + a.pid() + "): invoicefdp.exe and abcd Z\u0301\u0302\u0303");
            a.send("/me \u202Ewaves");
            b.expect("* " + a.address() + " (" + a.pid() + ") waves");
        }
    }

    @Test
    void aNicknameCannotHideCharactersReadAsAnAddressOrCopyAnotherByCaseOrWidth() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            b.send("/nick " + a.address());
            b.expect("*** a nickname cannot look like an address (ip:port)");
            b.send("/nick \uff11\uff12\uff17.0.0.1:" + a.socket().getLocalPort());
            b.expect("*** a nickname cannot look like an address (ip:port)");
            // Invisible characters and piles of marks never get as far as /nick: the line lost them.
            b.send("/nick \u0301alice");
            b.expectLine(l -> l.startsWith("*** a nickname cannot start with a combining mark or stack more than 3"));

            a.send("/nick Alice");
            a.expect("*** you are now known as Alice");
            b.expect("*** " + a.address() + " (" + a.pid() + ") is now known as Alice");
            for (String copy : new String[] {"ALICE", "\uff21\uff4c\uff49\uff43\uff45", "A\u217Cice"}) {
                b.send("/nick " + copy);
                b.expect("*** nickname " + copy + " refused: it is taken");
            }
            b.send("/nick Alicia");
            b.expect("*** you are now known as Alicia");
            assertFalse(
                    a.seen().stream().anyMatch(l -> l.contains("ALICE")),
                    a.seen().toString());
        }
    }
}
