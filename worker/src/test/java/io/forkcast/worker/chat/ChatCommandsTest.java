package io.forkcast.worker.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.protocol.text.Nicknames;
import io.forkcast.protocol.text.RoomNames;
import org.junit.jupiter.api.Test;

class ChatCommandsTest {

    @Test
    void anOrdinaryLineIsSaidAsItIs() {
        assertEquals(new Intent.Say("hello there"), ChatCommands.parse("hello there"));
        assertEquals(new Intent.Say("  indented /nick x"), ChatCommands.parse("  indented /nick x"));
    }

    @Test
    void blankLinesAreIgnored() {
        assertEquals(Intent.BLANK, ChatCommands.parse(""));
        assertEquals(Intent.BLANK, ChatCommands.parse("   \t "));
    }

    @Test
    void aDoubleSlashSendsALineBeginningWithASlash() {
        assertEquals(new Intent.Say("/nick is a command"), ChatCommands.parse("//nick is a command"));
        assertEquals(new Intent.Say("/"), ChatCommands.parse("//"));
        assertEquals(new Intent.Say("//x"), ChatCommands.parse("///x"));
    }

    @Test
    void nickTakesTheNameAfterOneSpaceStripped() {
        assertEquals(new Intent.Nick("alice"), ChatCommands.parse("/nick alice"));
        assertEquals(new Intent.Nick("alice"), ChatCommands.parse("/nick   alice  "));
        assertEquals(new Intent.Nick("Ålice"), ChatCommands.parse("/nick Ålice"));
    }

    @Test
    void commandsMatchInAnyCase() {
        assertEquals(new Intent.Nick("Bob"), ChatCommands.parse("/NICK Bob"));
        assertEquals(new Intent.Who(false), ChatCommands.parse("/Who"));
        assertEquals(new Intent.Act("waves"), ChatCommands.parse("/ME waves"));
        assertEquals(new Intent.Help(), ChatCommands.parse("/HELP"));
        assertEquals(new Intent.Quit(), ChatCommands.parse("/QuIt"));
    }

    @Test
    void nickProblemsAreInvalidWithTheRulesReason() {
        assertEquals(new Intent.Invalid(Nicknames.problem("")), ChatCommands.parse("/nick"));
        assertEquals(new Intent.Invalid(Nicknames.problem("")), ChatCommands.parse("/nick   "));
        assertEquals(new Intent.Invalid("a nickname cannot contain spaces"), ChatCommands.parse("/nick two words"));
        String tooLong = "x".repeat(Nicknames.MAX_CODE_POINTS + 1);
        assertEquals(
                new Intent.Invalid("a nickname has at most 32 characters, this one has 33"),
                ChatCommands.parse("/nick " + tooLong));
        assertEquals(
                new Intent.Invalid("a nickname can only contain printable characters"),
                ChatCommands.parse("/nick a\u200bb"));
    }

    @Test
    void meNeedsAnAction() {
        assertEquals(new Intent.Act("waves at everyone"), ChatCommands.parse("/me waves at everyone"));
        assertEquals(new Intent.Act("waves"), ChatCommands.parse("/me   waves  "));
        assertEquals(new Intent.Usage("/me ACTION"), ChatCommands.parse("/me"));
        assertEquals(new Intent.Usage("/me ACTION"), ChatCommands.parse("/me    "));
    }

    @Test
    void whoHelpAndQuitIgnoreAnArgument() {
        assertEquals(new Intent.Who(false), ChatCommands.parse("/who"));
        assertEquals(new Intent.Who(false), ChatCommands.parse("/who is there"));
        assertEquals(new Intent.Help(), ChatCommands.parse("/help me"));
        assertEquals(new Intent.Quit(), ChatCommands.parse("/quit now"));
    }

    @Test
    void anUnknownCommandIsNamedInLowerCase() {
        assertEquals(new Intent.Unknown("/frob"), ChatCommands.parse("/frob"));
        assertEquals(new Intent.Unknown("/frob"), ChatCommands.parse("/FROB the thing"));
        assertEquals(new Intent.Unknown("/"), ChatCommands.parse("/"));
        assertEquals(new Intent.Unknown("/"), ChatCommands.parse("/ nick"));
        assertEquals(new Intent.Unknown("/nickname"), ChatCommands.parse("/nickname bob"));
    }

    @Test
    void whoStarListsEveryone() {
        assertEquals(new Intent.Who(true), ChatCommands.parse("/who *"));
        assertEquals(new Intent.Who(true), ChatCommands.parse("/WHO   * "));
    }

    @Test
    void joinTakesARoomNameWithOrWithoutHashAndPartGoesBack() {
        assertEquals(new Intent.Join("Dev-Ops.2"), ChatCommands.parse("/join #Dev-Ops.2"));
        assertEquals(new Intent.Join("a_b"), ChatCommands.parse("/JOIN a_b"));
        assertEquals(new Intent.Usage("/join ROOM"), ChatCommands.parse("/join"));
        assertEquals(new Intent.Invalid(RoomNames.RULE), ChatCommands.parse("/join two words"));
        assertEquals(new Intent.Invalid(RoomNames.RULE), ChatCommands.parse("/join #"));
        assertEquals(new Intent.Invalid(RoomNames.RULE), ChatCommands.parse("/join " + "x".repeat(33)));
        assertEquals(new Intent.Invalid(RoomNames.RULE), ChatCommands.parse("/join café"));
        assertEquals(new Intent.Join(null), ChatCommands.parse("/part"));
        assertEquals(new Intent.Rooms(), ChatCommands.parse("/rooms"));
    }

    @Test
    void topicShowsOrSetsUpTo200Bytes() {
        assertEquals(new Intent.Topic(null), ChatCommands.parse("/topic"));
        assertEquals(
                new Intent.Topic("release at 5, then pizza"), ChatCommands.parse("/topic  release at 5, then pizza "));
        assertEquals(new Intent.Topic("é".repeat(100)), ChatCommands.parse("/topic " + "é".repeat(100)));
        assertEquals(
                new Intent.Invalid("a topic has at most 200 bytes, this one has 202"),
                ChatCommands.parse("/topic " + "é".repeat(101)));
    }

    @Test
    void msgNeedsANickAndTextAndReplyNeedsText() {
        assertEquals(new Intent.Private("Bob", "hi there  you"), ChatCommands.parse("/msg Bob hi there  you"));
        assertEquals(new Intent.Usage("/msg NICK TEXT"), ChatCommands.parse("/msg Bob"));
        assertEquals(new Intent.Usage("/msg NICK TEXT"), ChatCommands.parse("/msg Bob   "));
        assertEquals(new Intent.Usage("/msg NICK TEXT"), ChatCommands.parse("/msg"));
        assertEquals(new Intent.ReplyPrivately("thanks"), ChatCommands.parse("/reply thanks"));
        assertEquals(new Intent.Usage("/reply TEXT"), ChatCommands.parse("/reply"));
    }

    @Test
    void loginNeedsAUserNameAndHistoryTakesAnOptionalCount() {
        assertEquals(new Intent.Login("alice"), ChatCommands.parse("/login alice"));
        assertEquals(new Intent.Login("alice"), ChatCommands.parse("/LOGIN  alice "));
        assertEquals(new Intent.Usage("/login USER"), ChatCommands.parse("/login"));
        assertEquals(
                Intent.Invalid.class, ChatCommands.parse("/login two words").getClass());
        assertEquals(new Intent.History(0), ChatCommands.parse("/history"));
        assertEquals(new Intent.History(50), ChatCommands.parse("/history 50"));
        assertEquals(Intent.Usage.class, ChatCommands.parse("/history 0").getClass());
        assertEquals(Intent.Usage.class, ChatCommands.parse("/history lots").getClass());
        assertEquals(
                Intent.Usage.class, ChatCommands.parse("/history 99999999999").getClass());
    }

    @Test
    void aPasswordIsNeverShownByItsIntent() {
        assertEquals("Password[hidden]", new Intent.Password("s3cret").toString());
    }
}
