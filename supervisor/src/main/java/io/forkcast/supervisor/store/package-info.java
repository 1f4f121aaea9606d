/**
 * The store: room history and offline private messages in a database (embedded H2 by default, MariaDB or
 * PostgreSQL), behind a bounded in-memory queue so that the relay never waits for it. {@link
 * io.forkcast.supervisor.store.Store} is the whole surface the loop sees; JDBC runs only on the store's writer
 * and reader threads ({@code JdbcStore}), and every answer is posted back through the executor given to {@link
 * io.forkcast.supervisor.store.Store#open}. {@code Schema} creates and migrates the tables at start, one recorded
 * step at a time.
 */
package io.forkcast.supervisor.store;
