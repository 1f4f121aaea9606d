package io.forkcast.supervisor.config;

/** Where a fresh configuration comes from on reload (the flags and file the server started with); loop thread. */
@FunctionalInterface
public interface ConfigSource {
    Config load() throws ConfigException;
}
