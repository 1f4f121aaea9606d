package io.forkcast.supervisor.services;

import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.supervisor.route.Archive;
import io.forkcast.supervisor.route.Member;
import io.forkcast.supervisor.store.OfflineMessage;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoredLine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The routing domain's {@link Archive} over the {@link Store}: rows in, past lines out. */
final class StoreArchive implements Archive {
    private final Store store;

    StoreArchive(Store store) {
        this.store = store;
    }

    @Override
    public boolean enabled() {
        return store.enabled();
    }

    @Override
    public boolean keepLine(String roomKey, Member from, PastLine line) {
        var ref = from.ref();
        return store.appendLine(
                new StoredLine(
                        0,
                        roomKey,
                        line.time(),
                        line.style() == Style.ACT ? StoredLine.ACT : StoredLine.SAY,
                        line.name(),
                        from.user(),
                        ref.node(),
                        ref.clientId(),
                        line.text()),
                null);
    }

    @Override
    public void lastLines(String roomKey, int limit, Consumer<List<PastLine>> then) {
        store.history(roomKey, limit, result -> {
            if (result instanceof Result.Ok<List<StoredLine>> ok) {
                var lines = new ArrayList<PastLine>(ok.value().size());
                for (var row : ok.value()) {
                    lines.add(new PastLine(
                            row.createdMillis(),
                            row.senderName(),
                            StoredLine.ACT.equals(row.kind()) ? Style.ACT : Style.SAY,
                            row.text()));
                }
                then.accept(lines);
            } else if (result instanceof Result.Off<List<StoredLine>>) {
                then.accept(List.of());
            } else {
                then.accept(null);
            }
        });
    }

    @Override
    public void keepPrivate(String userKey, Member from, PastLine line, int max, Consumer<Kept> then) {
        var message = new OfflineMessage(0, userKey, line.time(), line.name(), from.user(), line.text());
        store.storeOffline(
                message,
                max,
                result -> then.accept(
                        switch (result) {
                            case Result.Ok<Long> ok -> Kept.STORED;
                            case Result.Full<Long> full -> Kept.FULL;
                            case Result.Off<Long> off -> Kept.OFF;
                            case Result.Refused<Long> refused -> Kept.REFUSED;
                            case Result.Failed<Long> failed -> Kept.FAILED;
                        }));
    }

    @Override
    public void awayLines(String userKey, Consumer<Away> then) {
        store.offlineFor(userKey, result -> {
            if (result instanceof Result.Ok<List<OfflineMessage>> ok) {
                var lines = new ArrayList<PastLine>(ok.value().size());
                var ids = new ArrayList<Long>(ok.value().size());
                for (var message : ok.value()) {
                    lines.add(new PastLine(message.createdMillis(), message.senderName(), Style.SAY, message.text()));
                    ids.add(message.id());
                }
                then.accept(new Away(lines, ids));
            } else if (result instanceof Result.Off<List<OfflineMessage>>) {
                then.accept(new Away(List.of(), List.of()));
            } else {
                then.accept(null);
            }
        });
    }

    @Override
    public void forget(List<Long> ids) {
        if (!ids.isEmpty()) {
            store.deleteOffline(ids);
        }
    }
}
