package io.redjar.internal.keyspace;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.structure.SkipListDescriptor;
import io.redjar.internal.types.ZSetStructures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Keyspace#verifyIntegrity}: passes on every encoding, and catches leaks and corruption. */
class KeyspaceIntegrityTest {

    private static void fill(Store s) {
        s.execute("SET", "str", "hello");
        s.execute("SET", "int", "12345");
        s.execute("SET", "big", "x".repeat(70_000));
        s.execute("SETEX", "ttl", "100", "v");
        s.execute("RPUSH", "list", "a", "1", "b");
        s.execute("SADD", "intset", "1", "2", "3");
        s.execute("SADD", "strset", "a", "b");
        s.execute("HSET", "smallhash", "f", "v");
        s.execute("ZADD", "smallz", "1", "a", "2", "b");
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            big.add(Integer.toString(i));
            big.add("member-" + i);
        }
        List<String> z = new ArrayList<>(List.of("ZADD", "bigz"));
        z.addAll(big);
        s.execute(z.toArray(new String[0]));
        List<String> h = new ArrayList<>(List.of("HSET", "bighash"));
        h.addAll(big);
        s.execute(h.toArray(new String[0]));
        List<String> l = new ArrayList<>(List.of("RPUSH", "biglist"));
        l.addAll(big);
        s.execute(l.toArray(new String[0]));
        List<String> st = new ArrayList<>(List.of("SADD", "bigset"));
        st.addAll(big);
        s.execute(st.toArray(new String[0]));
        s.execute("COPY", "bigz", "bigz2");
        s.execute("SELECT", "1");
    }

    @Test
    void everyEncodingVerifies() {
        try (Store s = Store.builder().shards(4).open()) {
            fill(s);
            assertEquals("skiplist", ((io.redjar.Reply.Bulk) s.execute("OBJECT", "ENCODING", "bigz")).asString());
            assertEquals(14, Internals.engine(s).keyspace().verifyIntegrity());
            s.execute("DEL", "bigz", "bighash", "biglist", "bigset");
            assertEquals(10, Internals.engine(s).keyspace().verifyIntegrity());
            s.execute("FLUSHALL");
            assertEquals(0, Internals.engine(s).keyspace().verifyIntegrity());
        }
    }

    @Test
    void aLeakedBlockIsReported() {
        try (Store s = Store.builder().shards(1).open()) {
            fill(s);
            Shard shard = Internals.engine(s).keyspace().shard(0);
            shard.lock();
            try {
                shard.allocator().allocate(40);
            } finally {
                shard.unlock();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Internals.engine(s).keyspace().verifyIntegrity());
            assertTrue(e.getMessage().contains("(40 unaccounted)"), e.getMessage());
        }
    }

    /**
     * In bounds-checked mode the allocator's live blocks are compared with the reachable blocks one
     * by one: a block whose size changed behind its owner's back is named even though the byte
     * totals still agree (the new size is in the same size class).
     */
    @Test
    void aBlockResizedBehindItsOwnersBackIsNamed() {
        assertTrue(NativeMemory.CHECKED, "the test suite runs with -Dredjar.memory.checked=true");
        try (Store s = Store.builder().shards(1).open()) {
            s.execute("SET", "str", "hello");
            Shard shard = Internals.engine(s).keyspace().shard(0);
            byte[] key = "str".getBytes();
            long owned;
            shard.lock();
            try {
                int slot = shard.table(0).find(key, 0, key.length, Keyspace.hash(key));
                owned = EntryDescriptor.totalLength(shard.table(0).entry(slot));
                int ref = shard.table(0).ref(slot);
                assertTrue(io.redjar.internal.memory.SlabAllocator.sameBlock(owned, owned + 1));
                assertEquals(ref, shard.allocator().reallocateRef(ref, owned, owned + 1));
            } finally {
                shard.unlock();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Internals.engine(s).keyspace().verifyIntegrity());
            assertTrue(e.getMessage().contains("was allocated with " + (owned + 1) + " bytes but its owner says " + owned),
                e.getMessage());
        }
    }

    @Test
    void aCorruptSpanIsReported() {
        try (Store s = Store.builder().shards(1).open()) {
            fill(s);
            Shard shard = Internals.engine(s).keyspace().shard(0);
            byte[] key = "bigz".getBytes();
            shard.lock();
            try {
                int slot = shard.table(0).find(key, 0, key.length, Keyspace.hash(key));
                long root = NativeMemory.getLong(EntryDescriptor.valueAddress(shard.table(0).entry(slot)));
                long zsl = ZSetStructures.zsl(root);
                long first = SkipListDescriptor.forward(zsl, 0);
                long spanAt = first + SkipListDescriptor.LEVELS_OFFSET + 8; // level[0].span of the first node
                NativeMemory.putLong(spanAt, 2);
            } finally {
                shard.unlock();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Internals.engine(s).keyspace().verifyIntegrity());
            assertTrue(e.getMessage().contains("bigz") && e.getMessage().contains("span"), e.getMessage());
        }
    }
}
