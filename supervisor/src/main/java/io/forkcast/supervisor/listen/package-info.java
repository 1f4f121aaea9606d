/** Opening the sockets the supervisor listens on: the TCP chat port, hub.sock, the runtime directory. */
package io.forkcast.supervisor.listen;
