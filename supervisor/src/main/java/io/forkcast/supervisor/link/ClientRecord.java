package io.forkcast.supervisor.link;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.ClientIds;
import java.io.IOException;

/**
 * Keeps {@code <runtime-dir>/clients} up to date at the end of each turn: the ids out and, for each client in a
 * room, who it is there (pid, name, room), so that a later supervisor can tell a room that one whose worker never
 * came back has left. Confined to the loop thread.
 */
final class ClientRecord {
    private final ClientIds ids;
    private final Router router;
    private final EventLog log;
    /** Joins, leaves, renames and moves as of the last write; the file is written again when they change. */
    private long changesRecorded = -1;
    /** False while a successor is starting: the ids out are its to record from then on (see Links.recordIds). */
    boolean recording = true;

    ClientRecord(ClientIds ids, Router router, EventLog log) {
        this.ids = ids;
        this.router = router;
        this.log = log;
    }

    /** Writes the file if anything it holds changed this turn. */
    void flush() {
        if (!recording) {
            return;
        }
        long changes = router.directory().changes() + router.rooms().moves();
        if (changes != changesRecorded) {
            changesRecorded = changes;
            ids.touched();
        }
        try {
            ids.flush(this::seen);
        } catch (IOException e) {
            log.error("event=client_ids_failed error=" + EventLog.quote(e.toString()));
        }
    }

    /** Who client {@code id} is to the others; null while it is in no room. */
    private ClientIds.Seen seen(long id) {
        var member = router.directory().byId(id);
        return member == null || member.room() == null
                ? null
                : new ClientIds.Seen(
                        id, member.ref().pid(), member.name(), member.room().name());
    }
}
