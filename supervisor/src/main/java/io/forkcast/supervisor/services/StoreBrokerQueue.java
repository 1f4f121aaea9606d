package io.forkcast.supervisor.services;

import io.forkcast.supervisor.route.BrokerQueue;
import io.forkcast.supervisor.route.Member;
import io.forkcast.supervisor.store.BrokerMessage;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The routing domain's {@link BrokerQueue} over the {@link Store}: broker rows in, waiting messages out. */
final class StoreBrokerQueue implements BrokerQueue {
    private final Store store;

    StoreBrokerQueue(Store store) {
        this.store = store;
    }

    @Override
    public boolean enabled() {
        return store.enabled();
    }

    @Override
    public boolean store(String channelKey, long id, Member from, String data, Consumer<Long> then) {
        var ref = from.ref();
        var message = new BrokerMessage(
                0,
                id,
                channelKey,
                System.currentTimeMillis(),
                from.user() == null ? from.name() : from.user(),
                ref.node(),
                ref.clientId(),
                data);
        // A full queue is answered Refused on the loop like a failed write: relayed, not stored, and said so.
        store.storeBroker(message, result -> then.accept(result instanceof Result.Ok<Long> ok ? ok.value() : null));
        return true;
    }

    @Override
    public void waiting(String channelKey, int limit, Consumer<List<Waiting>> then) {
        store.brokerWaiting(channelKey, limit, result -> {
            if (result instanceof Result.Ok<List<BrokerMessage>> ok) {
                var rows = new ArrayList<Waiting>(ok.value().size());
                for (var row : ok.value()) {
                    rows.add(new Waiting(row.rowId(), row.messageId(), row.data()));
                }
                then.accept(rows);
            } else if (result instanceof Result.Off<List<BrokerMessage>>) {
                then.accept(List.of());
            } else {
                then.accept(null);
            }
        });
    }

    @Override
    public void forget(List<Long> rowIds) {
        store.deleteBroker(rowIds);
    }
}
