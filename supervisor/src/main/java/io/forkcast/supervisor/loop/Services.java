package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.route.Accounts;
import io.forkcast.supervisor.route.Applications;
import io.forkcast.supervisor.route.Archive;
import io.forkcast.supervisor.route.BrokerQueue;
import io.forkcast.supervisor.route.Federation;
import io.forkcast.supervisor.route.MqttStore;
import io.forkcast.supervisor.route.Router;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the loop uses that works on threads of its own: the accounts (password checks on a small pool) and the
 * store (JDBC on its own thread). Made by {@link Factory} with an executor that runs results on the loop thread;
 * reloaded on SIGHUP; closed when the loop ends.
 */
public interface Services extends AutoCloseable {
    /** Makes the services, given the executor that hands their results to the loop. */
    @FunctionalInterface
    interface Factory {
        Services make(Executor onLoop);
    }

    Accounts accounts();

    Archive archive();

    /** Where broker messages wait for receivers; none by default. */
    default BrokerQueue brokerQueue() {
        return BrokerQueue.NONE;
    }

    /** Where MQTT sessions that outlive their connection and retained messages are kept; none by default. */
    default MqttStore mqttStore() {
        return MqttStore.NONE;
    }

    /** The other supervisors sharing rooms with this one; none by default. */
    default Federation federation() {
        return Federation.NONE;
    }

    /**
     * Shares the router's directory, broker channels and MQTT topics with the other supervisors of a federation; called once,
     * before the loop runs. Nothing by default.
     */
    default void federate(Router router) {}

    /** Seed 001's applications (ws_auth_file), as read at start or by the last reload; anyone by default. */
    default Applications applications() {
        return Applications.ANYONE;
    }

    /**
     * A reload: reads what may have changed (the users file, ws_auth_file) and returns the accounts to use from
     * now on; {@link #applications} has the new applications after it. A users file or ws_auth_file that cannot be
     * read refuses the reload, and nothing of it is applied.
     */
    Accounts reload(Config next) throws ConfigException;

    /** Figures for STATS, in order. */
    void counters(Map<String, Long> into);

    @Override
    void close();

    /** No accounts, no store. */
    Factory NONE = onLoop -> new Services() {
        @Override
        public Accounts accounts() {
            return Accounts.NONE;
        }

        @Override
        public Archive archive() {
            return Archive.NONE;
        }

        @Override
        public Accounts reload(Config next) {
            return Accounts.NONE;
        }

        @Override
        public void counters(Map<String, Long> into) {}

        @Override
        public void close() {}
    };
}
