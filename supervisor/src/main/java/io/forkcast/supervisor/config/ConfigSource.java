package io.forkcast.supervisor.config;

/** Where a fresh configuration comes from on reload: the same flags and config file the server started with. */
@FunctionalInterface
public interface ConfigSource {
    Config load() throws ConfigException;
}
