package io.redjar.internal.keyspace;

import io.redjar.internal.Internals;
import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An entry rewritten in place (same size class: SET over a value of similar size, EXPIRE/PERSIST
 * adding or removing the expire field, APPEND) keeps its block, but its size changes: the
 * allocator must be told, or the bounds-checked mode sees writes past the block's size and frees
 * with another size than it was allocated with. Regression test for Keyspace.allocateFor,
 * setExpire and resizeValue, which wrote the new size into a block still registered at the old
 * one. After every command each entry's block must be live at exactly the entry's length.
 */
class InPlaceEntryResizeTest {

    @BeforeAll
    static void requireCheckedMode() {
        assertTrue(NativeMemory.CHECKED, "needs -Dredjar.memory.checked=true (the surefire argLine sets it)");
    }

    @Test
    void inPlaceRewritesKeepTheBlockSizeInStepWithTheEntry() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store store = Store.builder().shards(1).clock(clock).activeExpire(false).open()) {
            for (int len = 1; len <= 40; len++) {
                for (int delta = -7; delta <= 7; delta++) {
                    int other = Math.max(0, len + delta);
                    store.execute("SET", "k", "a".repeat(len));
                    check(store);
                    store.execute("SET", "k", "b".repeat(other)); // same class for small deltas
                    check(store);
                    store.execute("PEXPIRE", "k", "100000"); // +8 bytes, often in place
                    check(store);
                    store.execute("SET", "k", "c".repeat(len), "KEEPTTL");
                    check(store);
                    store.execute("PERSIST", "k"); // -8 bytes
                    check(store);
                    assertEquals(Reply.integer(len + 3L), store.execute("APPEND", "k", "xyz"));
                    check(store);
                    assertEquals("c".repeat(len) + "xyz", store.strings().get("k"));
                }
            }
            // across the value-length varint boundary, where key and value shift in place
            store.execute("SET", "k", "d".repeat(126), "PX", "100000");
            for (int i = 0; i < 4; i++) {
                store.execute("APPEND", "k", "e");
                check(store);
            }
            assertEquals(1, store.keys().del("k"));
            check(store);
        }
    }

    /** Every entry's block is live with the entry's length, and there are no other blocks. */
    private static void check(Store store) {
        Shard s = Internals.engine(store).keyspace().shard(0);
        s.lock.lock();
        try {
            SlabAllocator a = s.allocator();
            Map<Long, Long> live = new HashMap<>();
            a.forEachLiveBlock(live::put);
            KeyTable t = s.table(0);
            t.forEach(e -> assertEquals(Long.valueOf(EntryDescriptor.totalLength(e)), live.remove(e),
                "block size of entry " + new String(EntryDescriptor.key(e))));
            assertEquals(Map.of(), live, "blocks no entry owns");
            a.verifyAccounting();
        } finally {
            s.lock.unlock();
        }
    }
}
