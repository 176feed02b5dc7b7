package io.redjar.internal.persistence.aof;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads an append-only file's RDB base ({@code appendonly.aof.<n>.base.rdb}, or any base that
 * starts with {@code REDIS}) into the store: the seam between the append-only file and the RDB
 * codec, which {@code io.redjar.internal.persistence.Persistence} provides.
 *
 * <p><b>Thread-safety:</b> called once, at start-up, before the store is shared.
 */
@FunctionalInterface
public interface BaseRdbLoader {
    /**
     * @param file the base file
     * @throws IOException on a read error or a malformed file (the message names the file and offset)
     */
    void load(Path file) throws IOException;

    /** Until the RDB codec is wired: refuses RDB bases with a clear error. */
    BaseRdbLoader NONE = f -> {
        throw new IOException("loading an RDB base (" + f.getFileName() + ") needs the RDB loader, not wired yet");
    };
}
