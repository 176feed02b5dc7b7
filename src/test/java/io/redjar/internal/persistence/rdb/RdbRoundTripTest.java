package io.redjar.internal.persistence.rdb;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trips inside RedJar: every type and encoding (sizes across the listpack and intset
 * thresholds) through DUMP + RESTORE and through a whole file ({@link RdbWriter} +
 * {@link RdbEntries#writeShard} for every shard, then {@link RdbLoader} into a fresh store), with
 * contents, encodings and expire times compared and the keyspace's integrity checked.
 */
class RdbRoundTripTest {
    private static final long NOW = 1_700_000_000_000L;

    static Store store(ManualClock clock) {
        return Store.builder().clock(clock).open();
    }

    @Test
    void dumpRestoreEveryTypeAndEncoding() {
        Seeds.run("dump/restore round trip", r -> {
            ManualClock clock = new ManualClock(NOW);
            try (Store a = store(clock); Store c = store(clock)) {
                RdbFixtures.Exec xa = a::execute;
                RdbFixtures.Exec xc = c::execute;
                RdbFixtures.fill(xa, r, "k", 120, NOW);
                TreeMap<String, String> before = RdbFixtures.contents(xa);
                assertCoversEveryEncoding(before);
                for (Reply k : RdbFixtures.elements(xa.ok(b("KEYS"), b("*")))) {
                    byte[] key = ((Reply.Bulk) k).value();
                    byte[] payload = ((Reply.Bulk) xa.ok(b("DUMP"), key)).value();
                    long at = ((Reply.IntegerReply) xa.ok(b("PEXPIRETIME"), key)).value();
                    xc.ok(b("RESTORE"), key, b(Long.toString(Math.max(at, 0))), payload, b("ABSTTL"));
                    // a second DUMP of the restored value is byte-identical where the encoding is deterministic
                    byte[] again = ((Reply.Bulk) xc.ok(b("DUMP"), key)).value();
                    String type = ((Reply.SimpleString) xa.ok(b("TYPE"), key)).value();
                    String enc = ((Reply.Bulk) xa.ok(b("OBJECT"), b("ENCODING"), key)).asString();
                    if (!enc.equals("hashtable") && !enc.equals("skiplist") && !type.equals("list")) {
                        assertArrayEquals(payload, again, "payload of " + type + "/" + enc);
                    }
                }
                RdbFixtures.assertSame(before, RdbFixtures.contents(xc), "restored");
                Internals.engine(c).keyspace().verifyIntegrity();
            }
        });
    }

    @Test
    void fileRoundTripAcrossDatabases() throws Exception {
        Seeds.run("file round trip", r -> {
            ManualClock clock = new ManualClock(NOW);
            try (Store a = store(clock); Store c = store(clock)) {
                List<Map<String, String>> before = new ArrayList<>();
                for (int db = 0; db < 3; db++) {
                    int d = db;
                    RdbFixtures.fill(argv -> a.database(d).execute(argv), r, "db" + db + "_", 60, NOW);
                    before.add(RdbFixtures.contents(argv -> a.database(d).execute(argv)));
                }
                byte[] file = write(Internals.engine(a).keyspace(), List.of("#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"),
                    r.nextBoolean());
                List<String> libs = new ArrayList<>();
                byte[] withTail = concat(file, b("*1\r\n$4\r\nPING\r\n"));
                ByteArrayInputStream in = new ByteArrayInputStream(withTail);
                RdbLoader.Stats st = new RdbLoader(Internals.engine(c).keyspace(), libs::add, Internals.engine(c).limits())
                    .exclusive(r.nextBoolean()).load(in, 0, RdbLoader.Progress.NONE);
                assertEquals(file.length, st.bytesRead, "reads exactly the RDB bytes");
                assertEquals(withTail.length - file.length, in.available(), "leaves what follows unread");
                assertEquals(1, libs.size());
                assertEquals("redjar-test", st.aux.get("redis-ver"));
                for (int db = 0; db < 3; db++) {
                    int d = db;
                    RdbFixtures.assertSame(before.get(db), RdbFixtures.contents(argv -> c.database(d).execute(argv)), "db " + db);
                }
                Internals.engine(c).keyspace().verifyIntegrity();
            }
        });
    }

    @Test
    void expiredKeysAreSkippedUnlessKept() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (Store a = store(clock)) {
            a.execute("SET", "live", "1");
            a.execute("SET", "gone", "1", "PX", "100");
            a.execute("SET", "later", "1", "PX", "100000");
            byte[] file = write(Internals.engine(a).keyspace(), List.of(), true);
            clock.advance(java.time.Duration.ofSeconds(1));
            try (Store c = store(clock)) {
                RdbLoader.Stats st = new RdbLoader(Internals.engine(c).keyspace(), s -> { }, Internals.engine(c).limits())
                    .load(new ByteArrayInputStream(file), file.length, RdbLoader.Progress.NONE);
                assertEquals(2, st.keysLoaded);
                assertEquals(1, st.expiredSkipped);
                assertEquals(Reply.integer(0), c.execute("EXISTS", "gone"));
            }
            try (Store c = store(clock)) {
                RdbLoader.Stats st = new RdbLoader(Internals.engine(c).keyspace(), s -> { }, Internals.engine(c).limits())
                    .keepExpired(true).load(new ByteArrayInputStream(file), file.length, RdbLoader.Progress.NONE);
                assertEquals(3, st.keysLoaded);
            }
        }
    }

    @Test
    void idleTimeIsSavedAndRestoredUnderAnLruPolicy() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (Store a = store(clock); Store c = store(clock)) {
            a.execute("SET", "k", "v");
            clock.advance(java.time.Duration.ofSeconds(100));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            RdbWriter w = new RdbWriter(bos, true, true).evictionInfo(RdbWriter.EvictionInfo.LRU);
            w.header();
            Keyspace ks = Internals.engine(a).keyspace();
            for (int i = 0; i < ks.shardCount(); i++) {
                ks.shard(i).lock();
                try {
                    RdbEntries.writeShard(ks, ks.shard(i), w);
                } finally {
                    ks.shard(i).unlock();
                }
            }
            w.end();
            byte[] file = bos.toByteArray();
            new RdbLoader(Internals.engine(c).keyspace(), s -> { }, Internals.engine(c).limits())
                .load(new ByteArrayInputStream(file), file.length, null);
            assertEquals(Reply.integer(100), c.execute("OBJECT", "IDLETIME", "k"));
            byte[] payload = ((Reply.Bulk) a.execute(b("DUMP"), b("k"))).value();
            assertEquals(Reply.OK, c.execute(b("RESTORE"), b("k3"), b("0"), payload, b("IDLETIME"), b("1000")));
            assertEquals(Reply.integer(1000), c.execute("OBJECT", "IDLETIME", "k3"));
        }
    }

    @Test
    void headerRefusesNewerVersionsAndBadMagic() {
        ManualClock clock = new ManualClock(NOW);
        try (Store c = store(clock)) {
            RdbLoader l = new RdbLoader(Internals.engine(c).keyspace(), s -> { }, Internals.engine(c).limits());
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(RdbLoader.RdbLoadException.class,
                () -> l.load(new ByteArrayInputStream(b("REDIS0011\u00ff00000000")), 0, null));
            assertTrue(e.getMessage().contains("Can't handle RDB format version 11"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(RdbLoader.RdbLoadException.class,
                () -> l.load(new ByteArrayInputStream(b("RODIS0010")), 0, null));
            assertTrue(e.getMessage().contains("Wrong signature"), e.getMessage());
        }
    }

    /** The fixture made every type in every encoding (else a round trip proves less than it says). */
    static void assertCoversEveryEncoding(Map<String, String> contents) {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String d : contents.values()) {
            String[] p = d.split(" ", 3);
            seen.add(p[0] + "/" + p[1]);
        }
        for (String want : List.of("string/\"int\"", "string/\"embstr\"", "string/\"raw\"", "list/\"quicklist\"",
            "set/\"intset\"", "set/\"hashtable\"", "zset/\"listpack\"", "zset/\"skiplist\"", "hash/\"listpack\"",
            "hash/\"hashtable\"")) {
            assertTrue(seen.contains(want), "fixture lacks " + want + ": " + seen);
        }
    }

    /** @return a whole RDB file of {@code ks} written with {@link RdbWriter} and {@link RdbEntries} */
    static byte[] write(Keyspace ks, List<String> libraries, boolean compression) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, compression, true);
        w.header();
        w.aux("redis-ver", "redjar-test");
        w.auxLong("redis-bits", 64);
        w.auxLong("ctime", NOW / 1000);
        w.auxLong("used-mem", 1 << 20);
        w.auxLong("aof-base", 0);
        for (String lib : libraries) {
            w.function(lib);
        }
        for (int i = 0; i < ks.shardCount(); i++) {
            ks.shard(i).lock();
            try {
                if (i % 2 == 0) {
                    RdbEntries.writeShard(ks, ks.shard(i), w);
                } else { // as a snapshot does: the shard's image on its own, copied in
                    w.raw(RdbEntries.encodeShard(ks, ks.shard(i), compression, RdbWriter.EvictionInfo.NONE));
                }
            } finally {
                ks.shard(i).unlock();
            }
        }
        w.end();
        assertEquals(bos.size(), w.bytesWritten());
        return bos.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] c) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
