package io.forkcast.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NicknamesTest {
    @Test
    void ordinaryNicknamesAreAccepted() {
        for (String nick :
                new String[] {"alice", "Bob_2", "caf\u00e9", "\u00c5sa", "n\u0303o", "\u6f22\u5b57", "a:b"}) {
            assertNull(Nicknames.problem(nick), nick);
        }
    }

    @Test
    void invisibleCharactersAreRefused() {
        for (String nick : new String[] {"ali\u200Bce", "ali\u202Ece", "\uFEFFalice", "al\u2066ice", "a\u2060b"}) {
            assertNotNull(Nicknames.problem(nick), nick);
        }
    }

    @Test
    void longRunsOfCombiningMarksAreRefused() {
        assertNull(Nicknames.problem("e\u0301\u0302\u0303"));
        assertNotNull(Nicknames.problem("e\u0301\u0302\u0303\u0304"));
        assertNotNull(Nicknames.problem("\u0301alice"));
    }

    @Test
    void aNicknameThatReadsAsAnAddressIsRefused() {
        for (String nick : new String[] {
            "127.0.0.1:4444",
            "[::1]:50412",
            "10.0.0.7:1",
            "999.1.1.1:80",
            "\uff11\uff12\uff17.0.0.1:5",
            "[fe80::1%eth0]:9"
        }) {
            assertEquals("a nickname cannot look like an address (ip:port)", Nicknames.problem(nick), nick);
        }
    }

    @Test
    void keysFoldCaseAndCompatibilityForms() {
        assertEquals(Nicknames.key("alice"), Nicknames.key("ALICE"));
        assertEquals(Nicknames.key("alice"), Nicknames.key("\uff21\uff2c\uff29\uff23\uff25"));
        assertEquals(Nicknames.key("strasse"), Nicknames.key("STRA\u00dfE"));
        assertEquals(Nicknames.key("caf\u00e9"), Nicknames.key("CAFE\u0301"));
        assertEquals(Nicknames.key("file"), Nicknames.key("\ufb01le"));
        assertNotEquals(Nicknames.key("alice"), Nicknames.key("alicia"));
    }
}
