package io.redjar.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data directory of a fuzzed store: the fuzzers send SAVE, BGSAVE, BGREWRITEAOF, DEBUG RELOAD
 * and CONFIG SET appendonly yes, whose files must land in a throw-away directory, never in the
 * working directory.
 */
public final class FuzzDirs {
    private FuzzDirs() {
    }

    /** @return a new temporary directory, deleted when the JVM exits (best effort) */
    public static Path temp() {
        try {
            Path d = Files.createTempDirectory("redjar-fuzz-");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
