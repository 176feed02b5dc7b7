package io.redjar.internal.keyspace;

import io.redjar.ManualClock;
import io.redjar.PropagationSink;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.types.StringOps;
import io.redjar.SetOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The keyspace frees, copies and hands over the native structures a collection value references,
 * at every point a key's value goes away, is duplicated or changes name. A fake collection type
 * whose value is the address of one 100-byte block (holding a marker) makes leaks, double frees
 * and shared copies visible through the allocators' exact accounting.
 */
class ValueStructuresTest {
    private static final int BLOCK = 100;
    private final AtomicInteger live = new AtomicInteger();
    private Keyspace ks;
    private KeyOps keys;
    private StringOps strings;

    @BeforeEach
    void open() {
        ks = new Keyspace(4, 2, new ManualClock(1_000_000), PropagationSink.NONE);
        ks.register(ValueType.HASH, new ValueStructures() {
            @Override
            public void release(SlabAllocator a, long value, int len) {
                a.free(NativeMemory.getLong(value), BLOCK);
                live.decrementAndGet();
            }

            @Override
            public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int len) {
                long block = to.allocate(BLOCK);
                NativeMemory.copy(NativeMemory.getLong(srcValue), block, BLOCK);
                NativeMemory.putLong(dstValue, block);
                live.incrementAndGet();
            }
        });
        keys = new KeyOps(ks);
        strings = new StringOps(ks);
    }

    @AfterEach
    void close() {
        ks.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void putCollection(int db, String key, byte marker) {
        byte[] k = b(key);
        Shard s = ks.shardOf(k);
        s.lock();
        try {
            long h = Keyspace.hash(k);
            int slot = ks.lookup(s, db, k, h, ks.now(), false);
            long e = ks.allocateFor(s, db, k, h, slot, ValueType.HASH, 0, 8, Keyspace.NO_TTL);
            long block = s.allocator().allocate(BLOCK);
            NativeMemory.fill(block, BLOCK, marker);
            NativeMemory.putLong(EntryDescriptor.valueAddress(e), block);
            live.incrementAndGet();
        } finally {
            s.unlock();
        }
    }

    private byte marker(int db, String key) {
        byte[] k = b(key);
        Shard s = ks.shardOf(k);
        s.lock();
        try {
            int slot = ks.lookup(s, db, k, Keyspace.hash(k), ks.now(), false);
            long e = s.table(db).entry(slot);
            return NativeMemory.getByte(NativeMemory.getLong(EntryDescriptor.valueAddress(e)) + BLOCK - 1);
        } finally {
            s.unlock();
        }
    }

    private long used() {
        long n = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            n += ks.shard(i).allocator().usedBytes();
        }
        return n;
    }

    @Test
    void deleteOverwriteAndFlushReleaseTheStructures() {
        long base = used();
        putCollection(0, "a", (byte) 1);
        putCollection(0, "b", (byte) 2);
        assertEquals(2, live.get());
        keys.delete(0, new byte[][] {b("DEL"), b("a")}, 1, b("DEL"));
        assertEquals(1, live.get(), "DEL releases");
        strings.set(0, b("b"), b("now a string"), SetOptions.none(), "set");
        assertEquals(0, live.get(), "SET over a collection releases it");
        putCollection(0, "c", (byte) 3);
        putCollection(1, "d", (byte) 4);
        keys.flush(-1);
        assertEquals(0, live.get(), "FLUSHALL releases");
        assertEquals(base, used(), "no native memory left behind");
    }

    @Test
    void copyDeepCopiesRenameHandsOverMoveKeeps() {
        long base = used();
        putCollection(0, "src", (byte) 7);
        keys.copy(0, b("src"), 1, b("dup"), false);
        assertEquals(2, live.get(), "COPY makes a second structure");
        assertEquals(7, marker(1, "dup"));
        // same shard (hash tag), then across shards: both must keep exactly one structure
        putCollection(0, "{t}x", (byte) 8);
        keys.rename(0, b("{t}x"), b("{t}y"), false);
        assertEquals(8, marker(0, "{t}y"));
        assertEquals(3, live.get(), "RENAME within a shard hands the structure over");
        for (int i = 0; i < 20; i++) {
            keys.rename(0, b(i == 0 ? "{t}y" : "r" + (i - 1)), b("r" + i), false);
        }
        assertEquals(8, marker(0, "r19"));
        assertEquals(3, live.get(), "RENAME across shards copies and releases");
        keys.move(0, b("r19"), 1);
        assertEquals(8, marker(1, "r19"));
        assertEquals(3, live.get(), "MOVE keeps the structure");
        keys.flush(-1);
        assertEquals(0, live.get());
        assertEquals(base, used());
    }
}
