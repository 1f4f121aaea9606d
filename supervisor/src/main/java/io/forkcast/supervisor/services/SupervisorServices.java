package io.forkcast.supervisor.services;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.auth.ApplicationsFile;
import io.forkcast.supervisor.auth.Authenticator;
import io.forkcast.supervisor.auth.UsersFile;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.config.ConfigException;
import io.forkcast.supervisor.federation.NatsBroker;
import io.forkcast.supervisor.federation.NatsFederation;
import io.forkcast.supervisor.federation.NatsMqtt;
import io.forkcast.supervisor.loop.Services;
import io.forkcast.supervisor.route.Accounts;
import io.forkcast.supervisor.route.Applications;
import io.forkcast.supervisor.route.Archive;
import io.forkcast.supervisor.route.BrokerQueue;
import io.forkcast.supervisor.route.Federation;
import io.forkcast.supervisor.route.MqttStore;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import io.forkcast.supervisor.store.StoreState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The accounts and the store of one supervisor, as the loop uses them. {@link #prepare} checks at start what can
 * fail (the users file, the state directory, the store's url and password file), so that a bad setting exits with
 * a clear message before any socket is opened; {@link Prepared#make} starts the threads with the loop's executor.
 */
public final class SupervisorServices implements Services {
    private final Authenticator authenticator;
    private final Store store;
    private final StoreArchive archive;
    private final StoreBrokerQueue brokerQueue;
    private final StoreMqttStore mqttStore;
    /** This node of a federation, connected at start; null for a supervisor alone. */
    private final NatsFederation federation;
    /** The broker's channels over the federation's connection; null for a supervisor alone. */
    private final NatsBroker brokerFederation;
    /** The MQTT topics over the federation's connection; null for a supervisor alone. */
    private final NatsMqtt mqttFederation;

    private final EventLog log;
    private final int ipv6PrefixBits;
    private UsersAccounts accounts;
    private Applications applications;

    /**
     * What {@link #prepare} read and checked, ready to be started on the loop's executor; {@code federation} is
     * connected (null without federation_url).
     */
    public record Prepared(
            Config config,
            UsersFile users,
            Applications applications,
            StoreSettings store,
            NatsFederation federation,
            EventLog log)
            implements Services.Factory {
        @Override
        public Services make(Executor onLoop) {
            return new SupervisorServices(this, onLoop);
        }
    }

    private SupervisorServices(Prepared prepared, Executor onLoop) {
        this.log = prepared.log();
        var config = prepared.config();
        this.ipv6PrefixBits = config.ipv6PrefixLength();
        // A bcrypt cost-10 check is about 95 ms of CPU: one verifying thread per two cores leaves the relay its own.
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));
        var defaults = Authenticator.Settings.defaults();
        this.authenticator = new Authenticator(
                prepared.users(),
                onLoop,
                log,
                new Authenticator.Settings(threads, defaults.queueMax(), defaults.firstDelay(), defaults.maxDelay()));
        this.accounts = new UsersAccounts(authenticator, UsersAccounts.modeOf(config.login()), ipv6PrefixBits);
        this.applications = prepared.applications();
        this.store = Store.open(prepared.store(), onLoop, log);
        this.archive = new StoreArchive(store);
        this.brokerQueue = new StoreBrokerQueue(store);
        this.mqttStore = new StoreMqttStore(store);
        this.federation = prepared.federation();
        if (federation != null) {
            federation.start(onLoop, config.federationStream());
        }
        this.brokerFederation =
                federation == null ? null : new NatsBroker(federation.connection(), federation.node(), onLoop, log);
        this.mqttFederation =
                federation == null ? null : new NatsMqtt(federation.connection(), federation.node(), onLoop, log);
        log.info("event=accounts login=" + config.login() + " users="
                + prepared.users().size() + " store="
                + EventLog.quote(redacted(prepared.store().url())));
    }

    /**
     * Reads the users file and the store's password file, makes the state directory of the default store (0700)
     * and checks the store's url; each problem is a line of the ConfigException.
     */
    public static Prepared prepare(Config config, EventLog log) throws ConfigException {
        return prepare(config, "", false, log);
    }

    /**
     * {@link #prepare(Config, EventLog)}, and with federation_url set: connects to NATS as {@code node} and claims
     * the name, unless {@code takingOver} (a successor, whose predecessor still answers to it).
     */
    public static Prepared prepare(Config config, String node, boolean takingOver, EventLog log)
            throws ConfigException {
        UsersFile users = UsersFile.empty();
        if (config.usersFile() != null) {
            try {
                users = UsersFile.load(config.usersFile(), log);
            } catch (IOException e) {
                throw new ConfigException(List.of("users_file " + config.usersFile() + " cannot be read: " + e));
            }
        }
        Applications applications = applicationsOf(config, log);
        String url = config.storeUrl();
        String problem = Store.urlProblem(url);
        if (problem != null) {
            throw new ConfigException(List.of("store_url: " + problem));
        }
        String shared = sharedStoreProblem(config);
        if (shared != null) {
            throw new ConfigException(List.of(shared));
        }
        if (config.storeIsDefault()) {
            makeStateDir(config.stateDir());
        }
        String password = null;
        if (config.storePasswordFile() != null) {
            try {
                var lines = Files.readAllLines(config.storePasswordFile(), StandardCharsets.UTF_8);
                password = lines.isEmpty() ? "" : lines.getFirst();
            } catch (IOException e) {
                throw new ConfigException(
                        List.of("store_password_file " + config.storePasswordFile() + " cannot be read: " + e));
            }
        }
        String user = config.storeUser().isEmpty() ? null : config.storeUser();
        var settings = new StoreSettings(
                url,
                user,
                password,
                config.storeQueueMax(),
                StoreSettings.DEFAULT_RETRY_FIRST,
                StoreSettings.DEFAULT_RETRY_MAX,
                config.historyKeep());
        var federation = config.federation().enabled()
                ? NatsFederation.connect(config.federation(), node, takingOver, log)
                : null;
        return new Prepared(config, users, applications, settings, federation, log);
    }

    /**
     * Why the store cannot serve a node of a federation, or null: the embedded H2 file is one node's alone, while the
     * nodes share rooms (history, offline messages); a shared MariaDB or PostgreSQL store, or none, is needed.
     */
    static String sharedStoreProblem(Config config) {
        if (!config.federation().enabled() || !config.storeUrl().startsWith("jdbc:h2:")) {
            return null;
        }
        return "store_url " + (config.storeIsDefault() ? "(the default, an embedded H2 file)" : "jdbc:h2:...")
                + " cannot serve a federation: an H2 file is one node's, and the nodes share rooms; set store_url"
                + " to one MariaDB or PostgreSQL database for every node (jdbc:mariadb://..., jdbc:postgresql://...)"
                + " or to none";
    }

    /** ws_auth_file read and checked, or {@link Applications#ANYONE} without one; a bad file is one problem line. */
    private static Applications applicationsOf(Config config, EventLog log) throws ConfigException {
        var file = config.webSocket().authFile();
        if (file == null) {
            return Applications.ANYONE;
        }
        try {
            var read = ApplicationsFile.load(file);
            log.info("event=ws_applications file=" + EventLog.quote(file.toString()) + " applications=" + read.size()
                    + " may_open=" + read.openers());
            return read;
        } catch (ApplicationsFile.BadFile e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
    }

    private static void makeStateDir(Path dir) throws ConfigException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isWritable(dir)) {
                throw new ConfigException(List.of("state_dir " + dir + " is not writable"));
            }
        } catch (IOException e) {
            throw new ConfigException(List.of("state_dir " + dir + " cannot be made: " + e));
        }
    }

    private static String redacted(String url) {
        int at = url.indexOf("password=");
        return at < 0 ? url : url.substring(0, at) + "password=...";
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public Archive archive() {
        return archive;
    }

    @Override
    public BrokerQueue brokerQueue() {
        return brokerQueue;
    }

    @Override
    public MqttStore mqttStore() {
        return mqttStore;
    }

    @Override
    public Federation federation() {
        return federation != null ? federation : Federation.NONE;
    }

    @Override
    public void federate(Router router) {
        if (federation != null) {
            federation.attach(router.census()); // the other nodes' questions are answered from here
            router.broker().federate(brokerFederation);
            router.mqtt().federate(mqttFederation);
        }
    }

    @Override
    public Applications applications() {
        return applications;
    }

    @Override
    public Accounts reload(Config next) throws ConfigException {
        UsersFile users = UsersFile.empty();
        if (next.usersFile() != null) {
            try {
                users = UsersFile.load(next.usersFile(), log);
            } catch (IOException e) {
                throw new ConfigException(List.of("users_file " + next.usersFile() + " cannot be read: " + e));
            }
        }
        // Read before anything is replaced: a bad ws_auth_file refuses the whole reload, users_file included.
        applications = applicationsOf(next, log);
        authenticator.replace(users);
        accounts = new UsersAccounts(authenticator, UsersAccounts.modeOf(next.login()), ipv6PrefixBits);
        log.info("event=users_reloaded login=" + next.login() + " users=" + users.size() + " refused="
                + users.refused());
        return accounts;
    }

    @Override
    public void counters(Map<String, Long> into) {
        var auth = authenticator.stats();
        into.put("logins_busy", auth.busy());
        into.put("logins_pending", (long) auth.pending());
        var stats = store.stats();
        into.put("store_down", stats.state() == StoreState.DOWN ? 1L : 0L);
        into.put("store_queued", (long) stats.queued());
        into.put("store_committed", stats.committed());
        into.put("store_failed", stats.failed());
        into.put("store_refused", stats.refused());
        into.put("store_retries", stats.retries());
        if (federation != null) {
            federation.counters(into);
            brokerFederation.counters(into);
            mqttFederation.counters(into);
        }
    }

    @Override
    public void close() {
        authenticator.close();
        store.close();
        if (federation != null) {
            brokerFederation.close();
            mqttFederation.close();
            federation.close();
        }
    }
}
