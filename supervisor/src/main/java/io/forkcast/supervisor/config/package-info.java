/**
 * The supervisor's settings: flags and config file, validated all at once at start (one line per problem, exit 2),
 * and re-read on reload, where only the live settings apply.
 */
package io.forkcast.supervisor.config;
