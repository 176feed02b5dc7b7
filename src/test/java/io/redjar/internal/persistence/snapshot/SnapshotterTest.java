package io.redjar.internal.persistence.snapshot;

import io.redjar.Store;
import io.redjar.internal.Engine;
import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotterTest {
    /** A test encoding of a shard: (db, key, value) of every string entry. */
    static byte[] encode(Shard s, int databases) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        for (int db = 0; db < databases; db++) {
            int d = db;
            s.table(db).forEach(e -> {
                try {
                    out.writeInt(d);
                    byte[] k = EntryDescriptor.key(e);
                    byte[] v = EntryDescriptor.value(e);
                    out.writeInt(k.length);
                    out.write(k);
                    out.writeInt(v.length);
                    out.write(v);
                } catch (IOException x) {
                    throw new AssertionError(x);
                }
            });
        }
        return bo.toByteArray();
    }

    static Map<String, String> decodeAll(Image img) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (int i = 0; i < img.shards(); i++) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(img.shard(i)));
            while (in.available() > 0) {
                int db = in.readInt();
                byte[] k = in.readNBytes(in.readInt());
                byte[] v = in.readNBytes(in.readInt());
                all.put(db + ":" + new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    @Test
    void imageIsTheStateAtTheCutWhileWritersGoOn() throws Exception {
        long seed = Seeds.seed();
        try (Store store = Store.builder().databases(2).shards(16).activeExpire(false).open()) {
            Engine engine = Internals.engine(store);
            Keyspace ks = engine.keyspace();
            for (int i = 0; i < 2000; i++) {
                store.database(i % 2).execute("SET", "k" + i, "v" + i);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                Random r = new Random(seed);
                while (!stop.get()) {
                    int i = r.nextInt(3000);
                    switch (r.nextInt(4)) {
                        case 0 -> store.database(i % 2).execute("SET", "k" + i, "new" + i);
                        case 1 -> store.database(i % 2).execute("DEL", "k" + i);
                        case 2 -> store.database(0).execute("MSET", "k" + i, "m", "k" + (i + 7), "m");
                        default -> store.database(1).execute("APPEND", "k" + i, "+");
                    }
                    writes.incrementAndGet();
                }
            });
            Map<String, String>[] atCut = new Map[1];
            Snapshotter snap = new Snapshotter(ks);
            writer.start();
            while (writes.get() < 200) {
                Thread.onSpinWait();
            }
            // state() under the cut's locks would deadlock (it calls commands); read the tables directly
            Image img = snap.begin(s -> encode(s, 2), () -> atCut[0] = directState(ks));
            try {
                long before = writes.get();
                while (writes.get() < before + 2000) {
                    Thread.onSpinWait();
                }
                stop.set(true);
                writer.join();
                assertEquals(atCut[0], decodeAll(img), "seed " + seed);
                assertTrue(img.stats().capturedByOthers() >= 0);
            } finally {
                img.close();
            }
            assertTrue(!snap.isBusy());
        }
    }

    private static Map<String, String> directState(Keyspace ks) {
        Map<String, String> all = new TreeMap<>();
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            for (int db = 0; db < ks.databases(); db++) {
                int d = db;
                s.table(db).forEach(e -> all.put(d + ":" + new String(EntryDescriptor.key(e), StandardCharsets.UTF_8),
                    new String(EntryDescriptor.value(e), StandardCharsets.UTF_8)));
            }
        }
        return all;
    }

    @Test
    void aTransactionIsEntirelyInOrEntirelyOut() throws Exception {
        try (Store store = Store.builder().shards(16).activeExpire(false).open()) {
            Keyspace ks = Internals.engine(store).keyspace();
            // a and b{x} hash to different shards
            assertTrue(ks.shardIndex("a".getBytes()) != ks.shardIndex("b".getBytes()));
            store.database(0).execute("MSET", "a", "0", "b", "0");
            AtomicBoolean stop = new AtomicBoolean();
            Thread tx = new Thread(() -> {
                var session = store.newSession();
                while (!stop.get()) {
                    session.execute("MULTI");
                    session.execute("INCR", "a");
                    session.execute("INCR", "b");
                    session.execute("EXEC");
                }
            });
            tx.start();
            Snapshotter snap = new Snapshotter(ks);
            for (int round = 0; round < 50; round++) {
                try (Image img = snap.begin(s -> encode(s, 1), null)) {
                    Map<String, String> m = decodeAll(img);
                    assertEquals(m.get("0:a"), m.get("0:b"), "round " + round + ": " + m);
                }
            }
            stop.set(true);
            tx.join();
        }
    }

    @Test
    void oneImageAtATimeAndFailuresSurface() {
        try (Store store = Store.builder().shards(4).open()) {
            Keyspace ks = Internals.engine(store).keyspace();
            store.database(0).execute("SET", "x", "1");
            Snapshotter snap = new Snapshotter(ks);
            Image img = snap.begin(s -> {
                throw new IllegalArgumentException("boom");
            }, null);
            assertThrows(IllegalStateException.class, () -> snap.begin(s -> new byte[0], null));
            // the writer that triggers the failing capture is not hurt
            store.database(0).execute("SET", "x", "2");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> img.shard(ks.shardIndex("x".getBytes())));
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
            img.close();
            try (Image ok = snap.begin(s -> new byte[] {(byte) s.index()}, null)) {
                assertEquals(3, ok.shard(3)[0]);
                assertThrows(IllegalStateException.class, () -> ok.shard(3));
            }
        }
    }

    @Test
    void cutOffsetSeparatesTheEffectsInTheImageFromThoseAfter() throws Exception {
        try (Store store = Store.builder().shards(8).activeExpire(false).open()) {
            Keyspace ks = Internals.engine(store).keyspace();
            java.util.List<io.redjar.internal.propagation.Effect> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            ks.propagation().addConsumer(b -> seen.addAll(b.effects()));
            store.database(0).execute("SET", "a", "1");
            store.database(0).execute("SET", "b", "1");
            Snapshotter snap = new Snapshotter(ks);
            try (Image img = snap.begin(s -> encode(s, 1), null)) {
                store.database(0).execute("SET", "a", "2");
                assertEquals(2, img.cutOffset());
                assertEquals(Map.of("0:a", "1", "0:b", "1"), decodeAll(img));
                assertEquals(3, seen.get(seen.size() - 1).offset());
            }
        }
    }
}
