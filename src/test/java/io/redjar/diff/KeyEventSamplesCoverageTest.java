package io.redjar.diff;

import io.redjar.Store;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command table against {@link KeyEventSamples} (no redis-server needed): every command with
 * the write flag has at least one sample, so a new write command fails here until its keyspace
 * events are checked by {@link KeyspaceEventsDifferentialTest}; and every sample names a write
 * command (a stale sample fails too).
 */
class KeyEventSamplesCoverageTest {

    @Test
    void everyWriteCommandHasAKeyEventSample() {
        Set<String> writes = new TreeSet<>();
        try (Store store = Store.open()) {
            for (CommandSpec c : io.redjar.internal.Internals.engine(store).table().all()) {
                if (c.has(CommandFlag.WRITE)) {
                    writes.add(c.name());
                }
                for (CommandSpec sub : c.subcommands().values()) {
                    if (sub.has(CommandFlag.WRITE)) {
                        writes.add(sub.fullName().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        assertTrue(writes.size() >= 70, "the command table has its write commands: " + writes);
        Set<String> missing = new TreeSet<>(writes);
        missing.removeAll(KeyEventSamples.all().keySet());
        assertEquals(Set.of(), missing, "write commands without a keyspace-event sample in KeyEventSamples");
        Set<String> stale = new TreeSet<>(KeyEventSamples.all().keySet());
        stale.removeAll(writes);
        assertEquals(Set.of(), stale, "samples for commands that are not write commands");
    }
}
