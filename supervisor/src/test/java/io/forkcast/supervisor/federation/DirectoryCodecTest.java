package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.supervisor.route.Ask;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The directory's questions and answers, both ways, in the documented format; refused payloads. */
class DirectoryCodecTest {
    @Test
    void everyQuestionGoesBothWays() throws Exception {
        for (Ask.Question q : List.of(
                new Ask.People(null),
                new Ask.People("lo~bby"),
                new Ask.Rooms(),
                new Ask.Nick("Zed"),
                new Ask.Clients())) {
            var back = DirectoryCodec.question(DirectoryCodec.encode("a", q));
            assertEquals("a", back.node());
            assertEquals(q, back.what());
        }
        assertEquals(
                "{\"v\":1,\"node\":\"a\",\"k\":\"who\",\"room\":\"lobby\"}",
                new String(DirectoryCodec.encode("a", new Ask.People("lobby")), StandardCharsets.UTF_8));
    }

    @Test
    void everyAnswerGoesBothWays() throws Exception {
        var bob = new Present(new Sender("b", 7, "bob", 4121), "10.0.0.2:4711", "side");
        var noRoom = new Present(new Sender("b", 8, "10.0.0.2:4712", 4122), "10.0.0.2:4712", null);
        for (Ask.Answer answer : List.of(
                new Ask.PeopleAnswer(List.of(bob, noRoom)),
                new Ask.PeopleAnswer(List.of()),
                new Ask.RoomsAnswer(List.of(new RoomEntry("lobby", 2, null), new RoomEntry("side", 1, "t \"q\""))),
                new Ask.NickAnswer(true),
                new Ask.NickAnswer(false),
                new Ask.ClientsAnswer(List.of("7 10.0.0.2:4711 pid=4121 name=bob node=b")))) {
            var back = DirectoryCodec.answer(DirectoryCodec.encode("b", answer));
            assertEquals("b", back.node());
            assertEquals(answer, back.what());
        }
        assertEquals(
                "{\"v\":1,\"node\":\"b\",\"people\":[{\"node\":\"b\",\"id\":7,\"name\":\"bob\",\"pid\":4121,"
                        + "\"peer\":\"10.0.0.2:4711\",\"room\":\"side\"}]}",
                new String(DirectoryCodec.encode("b", new Ask.PeopleAnswer(List.of(bob))), StandardCharsets.UTF_8));
    }

    @Test
    void badPayloadsAreRefused() {
        for (String bad : List.of(
                "[]",
                "{\"v\":2,\"node\":\"a\",\"k\":\"who\"}",
                "{\"v\":1,\"node\":\"a\",\"k\":\"everything\"}",
                "{\"v\":1,\"k\":\"who\"}",
                "{\"v\":1,\"node\":\"a\",\"k\":\"nick\"}",
                "not json")) {
            assertThrows(
                    FederationCodec.BadMessage.class,
                    () -> DirectoryCodec.question(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
        }
        for (String bad : List.of(
                "{\"v\":1,\"node\":\"b\"}",
                "{\"v\":1,\"node\":\"b\",\"lines\":[1]}",
                "{\"v\":1,\"node\":\"b\",\"people\":[{\"node\":\"b\"}]}")) {
            assertThrows(
                    FederationCodec.BadMessage.class,
                    () -> DirectoryCodec.answer(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
        }
        assertThrows(FederationCodec.BadMessage.class, () -> DirectoryCodec.answer(new byte[2 * 1024 * 1024]));
    }
}
