package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Client ids: short, and never reused, not even by a later supervisor on the same runtime directory (workers it
 * adopts keep their ids). The high-water mark is kept in {@code <runtime-dir>/client-ids}, reserved in blocks so
 * that the file is written once per {@link #BLOCK} clients. A crash skips at most one block. Loop thread only.
 */
public final class ClientIds {
    static final long BLOCK = 1024;

    private final Path file;
    private long next;
    private long reservedUpTo;

    public ClientIds(Path runtimeDir) throws IOException {
        this.file = runtimeDir.resolve("client-ids");
        long start = 1;
        if (Files.exists(file)) {
            try {
                start = Math.max(
                        1,
                        Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII)
                                .strip()));
            } catch (NumberFormatException e) {
                throw new IOException("corrupt " + file + ": " + e.getMessage());
            }
        }
        next = start;
        reservedUpTo = start - 1;
    }

    public long next() throws IOException {
        if (next > reservedUpTo) {
            reserve(next + BLOCK - 1);
        }
        return next++;
    }

    /** An id seen on an adopted worker: later ids must be above it. */
    public void seen(long id) throws IOException {
        if (id >= next) {
            next = id + 1;
            if (next > reservedUpTo) {
                reserve(next + BLOCK - 1);
            }
        }
    }

    private void reserve(long upTo) throws IOException {
        Path tmp = file.resolveSibling("client-ids.tmp");
        Files.writeString(tmp, Long.toString(upTo + 1) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        reservedUpTo = upTo;
    }
}
