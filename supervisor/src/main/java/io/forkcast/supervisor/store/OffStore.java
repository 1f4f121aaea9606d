package io.forkcast.supervisor.store;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The store of {@code store_url = none}: keeps nothing and answers {@link Result.Off} at once, posted to the loop
 * like every other store's answers. Stateless, so thread-safe.
 */
final class OffStore implements Store {
    private final Executor onLoop;

    OffStore(Executor onLoop) {
        this.onLoop = onLoop;
    }

    private <T> void off(Consumer<Result<T>> then) {
        onLoop.execute(() -> then.accept(new Result.Off<>()));
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public boolean appendLine(StoredLine line, Consumer<Result<Long>> then) {
        if (then != null) {
            off(then);
        }
        return true;
    }

    @Override
    public void history(String room, int limit, Consumer<Result<List<StoredLine>>> then) {
        off(then);
    }

    @Override
    public void storeOffline(OfflineMessage message, int offlineMax, Consumer<Result<Long>> then) {
        off(then);
    }

    @Override
    public void offlineFor(String user, Consumer<Result<List<OfflineMessage>>> then) {
        off(then);
    }

    @Override
    public void deleteOffline(List<Long> ids) {}

    @Override
    public void storeBroker(BrokerMessage message, Consumer<Result<Long>> then) {
        if (then != null) {
            off(then);
        }
    }

    @Override
    public void brokerWaiting(String channel, int limit, Consumer<Result<List<BrokerMessage>>> then) {
        off(then);
    }

    @Override
    public void deleteBroker(List<Long> rowIds) {}

    @Override
    public void mqtt(MqttWrite write, Consumer<Result<Long>> then) {
        if (then != null) {
            off(then);
        }
    }

    @Override
    public void mqttState(Consumer<Result<MqttState>> then) {
        off(then);
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(StoreState.OFF, "none", 0, 0, 0, 0, 0, 0, null);
    }

    @Override
    public void close() {}
}
