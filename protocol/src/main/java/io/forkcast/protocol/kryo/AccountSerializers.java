package io.forkcast.protocol.kryo;

import static io.forkcast.protocol.kryo.ExplicitSerializers.list;
import static io.forkcast.protocol.kryo.ExplicitSerializers.string;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.ExplicitSerializers.Immutable;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.SupervisorMessage.AwayLines;
import io.forkcast.protocol.message.SupervisorMessage.HistoryLines;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginNeeded;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.WorkerMessage.HistoryRequested;
import io.forkcast.protocol.message.WorkerMessage.LoginRequested;
import io.forkcast.protocol.message.WorkerMessage.Resume4;

/**
 * The hand-written serializers of level 4 (accounts, room history, offline messages), written like {@link
 * ExplicitSerializers}'s: component by component in declaration order, no reflection, no lambdas. Level 4 takes its
 * ids from the second blocks: 128-191 worker facts, 192-255 supervisor orders, 256-319 values.
 */
final class AccountSerializers {
    private AccountSerializers() {}

    static void register(Kryo kryo) {
        kryo.register(LoginRequested.class, new LoginRequestedSerializer(), 128);
        kryo.register(HistoryRequested.class, new HistoryRequestedSerializer(), 129);
        kryo.register(Resume4.class, new Resume4Serializer(), 130);
        kryo.register(LoginNeeded.class, new LoginNeededSerializer(), 192);
        kryo.register(LoggedIn.class, new LoggedInSerializer(), 193);
        kryo.register(LoginRefused.class, new LoginRefusedSerializer(), 194);
        kryo.register(HistoryLines.class, new HistoryLinesSerializer(), 195);
        kryo.register(AwayLines.class, new AwayLinesSerializer(), 196);
        kryo.register(PrivateStored.class, new PrivateStoredSerializer(), 197);
        kryo.register(PastLine.class, new PastLineSerializer(), 256);
    }

    private static final class LoginRequestedSerializer extends Immutable<LoginRequested> {
        @Override
        public void write(Kryo kryo, Output output, LoginRequested m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.user());
            string(kryo, output, m.password());
        }

        @Override
        public LoginRequested read(Kryo kryo, Input input, Class<? extends LoginRequested> type) {
            long seq = input.readVarLong(true);
            String user = string(kryo, input);
            return new LoginRequested(seq, user, string(kryo, input));
        }
    }

    private static final class HistoryRequestedSerializer extends Immutable<HistoryRequested> {
        @Override
        public void write(Kryo kryo, Output output, HistoryRequested m) {
            output.writeVarInt(m.lines(), true);
        }

        @Override
        public HistoryRequested read(Kryo kryo, Input input, Class<? extends HistoryRequested> type) {
            return new HistoryRequested(input.readVarInt(true));
        }
    }

    private static final class Resume4Serializer extends Immutable<Resume4> {
        @Override
        public void write(Kryo kryo, Output output, Resume4 m) {
            output.writeVarInt(m.level(), true);
            output.writeVarLong(m.pid(), true);
            string(kryo, output, m.peer());
            output.writeVarLong(m.clientId(), true);
            string(kryo, output, m.nick());
            string(kryo, output, m.kind());
            list(kryo, output, m.rooms());
            string(kryo, output, m.user());
        }

        @Override
        public Resume4 read(Kryo kryo, Input input, Class<? extends Resume4> type) {
            int level = input.readVarInt(true);
            long pid = input.readVarLong(true);
            String peer = string(kryo, input);
            long clientId = input.readVarLong(true);
            String nick = string(kryo, input);
            String kind = string(kryo, input);
            var rooms = list(kryo, input, RoomEntry.class);
            return new Resume4(level, pid, peer, clientId, nick, kind, rooms, string(kryo, input));
        }
    }

    private static final class LoginNeededSerializer extends Immutable<LoginNeeded> {
        @Override
        public void write(Kryo kryo, Output output, LoginNeeded m) {
            output.writeVarInt(m.attemptsLeft(), true);
        }

        @Override
        public LoginNeeded read(Kryo kryo, Input input, Class<? extends LoginNeeded> type) {
            return new LoginNeeded(input.readVarInt(true));
        }
    }

    private static final class LoggedInSerializer extends Immutable<LoggedIn> {
        @Override
        public void write(Kryo kryo, Output output, LoggedIn m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.user());
        }

        @Override
        public LoggedIn read(Kryo kryo, Input input, Class<? extends LoggedIn> type) {
            long seq = input.readVarLong(true);
            return new LoggedIn(seq, string(kryo, input));
        }
    }

    private static final class LoginRefusedSerializer extends Immutable<LoginRefused> {
        @Override
        public void write(Kryo kryo, Output output, LoginRefused m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.user());
            string(kryo, output, m.reason());
        }

        @Override
        public LoginRefused read(Kryo kryo, Input input, Class<? extends LoginRefused> type) {
            long seq = input.readVarLong(true);
            String user = string(kryo, input);
            return new LoginRefused(seq, user, string(kryo, input));
        }
    }

    private static final class HistoryLinesSerializer extends Immutable<HistoryLines> {
        @Override
        public void write(Kryo kryo, Output output, HistoryLines m) {
            string(kryo, output, m.room());
            output.writeVarInt(m.total(), true);
            output.writeVarInt(m.offset(), true);
            list(kryo, output, m.lines());
        }

        @Override
        public HistoryLines read(Kryo kryo, Input input, Class<? extends HistoryLines> type) {
            String room = string(kryo, input);
            int total = input.readVarInt(true);
            int offset = input.readVarInt(true);
            return new HistoryLines(room, total, offset, list(kryo, input, PastLine.class));
        }
    }

    private static final class AwayLinesSerializer extends Immutable<AwayLines> {
        @Override
        public void write(Kryo kryo, Output output, AwayLines m) {
            output.writeVarInt(m.total(), true);
            output.writeVarInt(m.offset(), true);
            list(kryo, output, m.lines());
        }

        @Override
        public AwayLines read(Kryo kryo, Input input, Class<? extends AwayLines> type) {
            int total = input.readVarInt(true);
            int offset = input.readVarInt(true);
            return new AwayLines(total, offset, list(kryo, input, PastLine.class));
        }
    }

    private static final class PrivateStoredSerializer extends Immutable<PrivateStored> {
        @Override
        public void write(Kryo kryo, Output output, PrivateStored m) {
            output.writeVarLong(m.seq(), true);
            string(kryo, output, m.to());
        }

        @Override
        public PrivateStored read(Kryo kryo, Input input, Class<? extends PrivateStored> type) {
            long seq = input.readVarLong(true);
            return new PrivateStored(seq, string(kryo, input));
        }
    }

    private static final class PastLineSerializer extends Immutable<PastLine> {
        @Override
        public void write(Kryo kryo, Output output, PastLine m) {
            output.writeVarLong(m.time(), true);
            string(kryo, output, m.name());
            kryo.writeObject(output, m.style());
            string(kryo, output, m.text());
        }

        @Override
        public PastLine read(Kryo kryo, Input input, Class<? extends PastLine> type) {
            long time = input.readVarLong(true);
            String name = string(kryo, input);
            Style style = kryo.readObject(input, Style.class);
            return new PastLine(time, name, style, string(kryo, input));
        }
    }
}
