package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What writes hand to the {@link PropagationSink}, and that replaying it rebuilds the keyspace. */
class PropagationTest {
    private static final long T0 = 1_700_000_000_000L;

    /** One propagated command, with the time it was propagated at. */
    record Prop(long time, int db, List<String> argv) {
        @Override
        public String toString() {
            return "@" + time + " db" + db + " " + argv;
        }
    }

    /** A sink that records, stamping each call with the store's clock. */
    static final class Recorder implements PropagationSink {
        final List<Prop> log = Collections.synchronizedList(new ArrayList<>());
        private final Clock clock;

        Recorder(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void propagate(int db, byte[][] argv) {
            List<String> a = new ArrayList<>(argv.length);
            for (byte[] b : argv) {
                a.add(new String(b, StandardCharsets.ISO_8859_1));
            }
            log.add(new Prop(clock.millis(), db, a));
        }

        /** @return the commands recorded since the last call, as argv lists */
        List<List<String>> drain() {
            synchronized (log) {
                List<List<String>> out = new ArrayList<>();
                for (Prop p : log) {
                    out.add(p.argv());
                }
                log.clear();
                return out;
            }
        }
    }

    private ManualClock clock;
    private Recorder sink;
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        clock = new ManualClock(T0);
        sink = new Recorder(clock);
        store = Store.builder().clock(clock).activeExpire(false).propagationSink(sink).shards(4).open();
        s = store.newSession();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static List<List<String>> props(List<String>... argvs) {
        return List.of(argvs);
    }

    private void expect(List<List<String>> want, String... command) {
        Reply r = s.execute(command);
        assertFalse(r.isError(), String.join(" ", command) + " -> " + r);
        assertEquals(want, sink.drain(), "propagation of " + String.join(" ", command));
    }

    private void expectNothing(String... command) {
        s.execute(command);
        assertEquals(List.of(), sink.drain(), "propagation of " + String.join(" ", command));
    }

    @Test
    void setWithRelativeExpiryPropagatesAbsolutePxat() {
        String abs = Long.toString(T0 + 10_000);
        expect(props(List.of("SET", "k", "v", "PXAT", abs)), "SET", "k", "v", "EX", "10");
        expect(props(List.of("SET", "k", "v", "PXAT", abs)), "SET", "k", "v", "PX", "10000");
        expect(props(List.of("SET", "k", "v", "PXAT", Long.toString(T0 / 1000 * 1000 + 5000))),
            "SET", "k", "v", "EXAT", Long.toString(T0 / 1000 + 5));
        expect(props(List.of("SET", "k", "v", "PXAT", abs)), "SET", "k", "v", "PXAT", abs);
        expect(props(List.of("SET", "k", "w")), "SET", "k", "w");
        expect(props(List.of("SET", "k", "w", "KEEPTTL")), "SET", "k", "w", "KEEPTTL");
        expect(props(List.of("SET", "k", "x", "PXAT", abs)), "SET", "k", "x", "XX", "GET", "EX", "10");
        expect(props(List.of("SET", "p", "v", "PXAT", Long.toString(T0 + 2000))), "SETEX", "p", "2", "v");
        expect(props(List.of("SET", "p", "v", "PXAT", Long.toString(T0 + 2000))), "PSETEX", "p", "2000", "v");
    }

    @Test
    void libraryChangesPropagateVerbatimFailuresNot() {
        String lib = "#!lua name=l\nredis.register_function('f', function(keys, args) return redis.call('set', keys[1], args[1]) end)";
        expect(props(List.of("FUNCTION", "LOAD", lib)), "FUNCTION", "LOAD", lib);
        expectNothing("FUNCTION", "LOAD", lib); // already exists
        expect(props(List.of("SET", "k", "v")), "FCALL", "f", "1", "k", "v"); // a function propagates its effects
        byte[] dump = ((Reply.Bulk) s.execute("FUNCTION", "DUMP")).value();
        expectNothing("FUNCTION", "DUMP");
        expectNothing("FUNCTION", "LIST");
        expect(props(List.of("FUNCTION", "DELETE", "l")), "FUNCTION", "DELETE", "l");
        expectNothing("FUNCTION", "DELETE", "l");
        expect(props(List.of("FUNCTION", "FLUSH", "ASYNC")), "FUNCTION", "FLUSH", "ASYNC");
        expectNothing("FUNCTION", "FLUSH", "BOGUS");
        expectNothing("FUNCTION", "RESTORE", "bad");
        assertEquals(Reply.OK, s.execute("FUNCTION".getBytes(StandardCharsets.US_ASCII), "RESTORE".getBytes(StandardCharsets.US_ASCII), dump));
        assertEquals(props(List.of("FUNCTION", "RESTORE", new String(dump, StandardCharsets.ISO_8859_1))), sink.drain());
    }

    @Test
    void setThatDoesNothingPropagatesNothing() {
        s.execute("SET", "k", "v");
        sink.drain();
        expectNothing("SET", "k", "w", "NX");
        expectNothing("SET", "k", "w", "NX", "GET");
        expectNothing("SET", "missing", "w", "XX");
        expectNothing("SET", "missing", "w", "XX", "GET", "EX", "10");
        expectNothing("SETNX", "k", "w");
        expectNothing("MSETNX", "k", "1", "other", "2");
        expectNothing("SET", "k", "v", "EX", "0"); // error
        assertEquals("v", store.strings().get("k"));
    }

    @Test
    void expireFamilyPropagatesPexpireatOrDel() {
        s.execute("SET", "k", "v");
        sink.drain();
        expect(props(List.of("PEXPIREAT", "k", Long.toString(T0 + 10_000))), "EXPIRE", "k", "10");
        expect(props(List.of("PEXPIREAT", "k", Long.toString(T0 + 1500))), "PEXPIRE", "k", "1500");
        expect(props(List.of("PEXPIREAT", "k", Long.toString((T0 / 1000 + 100) * 1000))), "EXPIREAT", "k", Long.toString(T0 / 1000 + 100));
        expect(props(List.of("PEXPIREAT", "k", Long.toString(T0 + 7))), "PEXPIREAT", "k", Long.toString(T0 + 7));
        expectNothing("EXPIRE", "k", "100", "NX");
        expectNothing("EXPIRE", "missing", "100");
        expect(props(List.of("PERSIST", "k")), "PERSIST", "k");
        expectNothing("PERSIST", "k");
        expect(props(List.of("DEL", "k")), "EXPIRE", "k", "-1");
        assertEquals(0, store.keys().dbSize());
    }

    @Test
    void lazilyExpiredKeysPropagateDel() {
        s.execute("SET", "k", "v", "PX", "100");
        s.execute("SELECT", "3");
        s.execute("SET", "j", "v", "PX", "100");
        sink.drain();
        clock.advance(Duration.ofMillis(100));
        expect(props(List.of("DEL", "j")), "GET", "j");
        expectNothing("GET", "j");
        s.execute("SELECT", "0");
        expect(props(List.of("DEL", "k")), "EXISTS", "k");
    }

    @Test
    void lazyExpiryRecordsTheRightDatabase() {
        store.database(5).execute("SET", "k", "v", "PX", "1");
        sink.log.clear();
        clock.advance(Duration.ofMillis(1));
        store.database(5).execute("TTL", "k");
        assertEquals(List.of(new Prop(T0 + 1, 5, List.of("DEL", "k"))), List.copyOf(sink.log));
    }

    @Test
    void activeExpiryPropagatesDel() {
        for (int i = 0; i < 50; i++) {
            store.database(i % 3).execute("SET", "k" + i, "v", "PX", Integer.toString(10 + i % 2 * 1000));
        }
        store.execute("SET", "forever", "v");
        sink.log.clear();
        clock.advance(Duration.ofMillis(10));
        long expired = 0;
        for (int i = 0; i < 5 && expired < 25; i++) {
            expired += store.expireCycle();
        }
        assertEquals(25, expired, "the even keys expire");
        List<Prop> got = new ArrayList<>(sink.log);
        assertEquals(25, got.size());
        for (Prop p : got) {
            assertEquals("DEL", p.argv().get(0));
            int i = Integer.parseInt(p.argv().get(1).substring(1));
            assertEquals(0, i % 2, "only even keys had expired: " + p);
            assertEquals(i % 3, p.db(), "database of " + p);
        }
    }

    @Test
    void getexAndGetdel() {
        s.execute("SET", "k", "v", "EX", "100");
        sink.drain();
        expect(props(List.of("PERSIST", "k")), "GETEX", "k", "PERSIST");
        expectNothing("GETEX", "k", "PERSIST");
        expectNothing("GETEX", "k");
        expect(props(List.of("PEXPIREAT", "k", Long.toString(T0 + 5000))), "GETEX", "k", "EX", "5");
        expect(props(List.of("PEXPIREAT", "k", Long.toString(T0 + 5))), "GETEX", "k", "PX", "5");
        expect(props(List.of("DEL", "k")), "GETEX", "k", "PXAT", Long.toString(T0 - 1));
        s.execute("SET", "k", "v");
        sink.drain();
        expect(props(List.of("DEL", "k")), "GETDEL", "k");
        expectNothing("GETDEL", "k");
        expectNothing("GETEX", "k", "PERSIST");
    }

    @Test
    void readsPropagateNothing() {
        s.execute("MSET", "a", "1", "b", "2");
        sink.drain();
        for (String[] c : new String[][] {
            {"GET", "a"}, {"MGET", "a", "b", "c"}, {"EXISTS", "a", "c"}, {"TTL", "a"}, {"PTTL", "a"}, {"STRLEN", "a"},
            {"GETRANGE", "a", "0", "-1"}, {"KEYS", "*"}, {"SCAN", "0"}, {"DBSIZE"}, {"TYPE", "a"}, {"RANDOMKEY"},
            {"OBJECT", "ENCODING", "a"}, {"EXPIRETIME", "a"}, {"ECHO", "x"}, {"PING"}, {"TIME"},
            {"RENAME", "a", "a"}, {"DEL", "zz"}, {"SETRANGE", "a", "0", ""},
        }) {
            expectNothing(c);
        }
    }

    @Test
    void writesPropagateTheirEffect() {
        expect(props(List.of("MSET", "a", "1", "b", "2", "b2", "3")), "MSET", "a", "1", "b", "2", "b2", "3");
        expect(props(List.of("INCRBY", "a", "1")), "INCR", "a");
        expect(props(List.of("INCRBY", "a", "-7")), "DECRBY", "a", "7");
        expect(props(List.of("APPEND", "b", "x")), "APPEND", "b", "x");
        expect(props(List.of("SETRANGE", "b", "3", "yz")), "SETRANGE", "b", "3", "yz");
        expect(props(List.of("RENAME", "b", "c")), "RENAME", "b", "c");
        expect(props(List.of("COPY", "c", "d", "DB", "2")), "COPY", "c", "d", "DB", "2");
        expect(props(List.of("MOVE", "c", "1")), "MOVE", "c", "1");
        expect(props(List.of("DEL", "a", "nope")), "DEL", "a", "nope");
        expect(props(List.of("UNLINK", "nope", "b2")), "UNLINK", "nope", "b2");
        expect(props(List.of("SWAPDB", "0", "1")), "SWAPDB", "0", "1");
        expect(props(List.of("FLUSHDB")), "FLUSHDB");
        expect(props(List.of("FLUSHALL")), "FLUSHALL");
    }

    /**
     * Replaying the recorded stream into a fresh store, each command at the time it was recorded,
     * rebuilds the same keyspace: the same live keys with the same values and TTLs in every
     * database, and even the same physical entries (expired keys nobody reclaimed included).
     */
    @Test
    void replayingTheStreamRebuildsTheKeyspace() {
        long master = Seeds.seed();
        Random seeds = new Random(master);
        for (int run = 0; run < 4; run++) {
            long seed = seeds.nextLong();
            Seeds.run("replay run " + run + " (rerun with -Dredjar.seed=" + master + ")", seed, PropagationTest::replayRun);
        }
    }

    private static void replayRun(Random rnd) {
        int databases = 4;
        ManualClock a = new ManualClock(T0);
        Recorder rec = new Recorder(a);
        ManualClock b = new ManualClock(T0);
        try (Store origin = Store.builder().clock(a).activeExpire(false).propagationSink(rec).databases(databases).shards(8).open();
             Store replica = Store.builder().clock(b).activeExpire(false).databases(databases).shards(2).open()) {
            Session session = origin.newSession();
            StringKeyModel gen = new StringKeyModel(rnd, a, databases);
            for (int op = 0; op < 3000; op++) {
                int r = rnd.nextInt(100);
                if (r < 8) {
                    a.advance(Duration.ofMillis(rnd.nextInt(2000)));
                } else if (r < 10) {
                    origin.expireCycle();
                } else if (r == 10) {
                    session.execute("SCAN", "0", "COUNT", "1000");
                } else {
                    session.execute(StringKeyModel.argv(gen.next().args()));
                }
            }
            assertTrue(rec.log.size() > 1000, "too little propagation: " + rec.log.size());
            for (Prop p : rec.log) {
                b.set(p.time());
                Reply r = replica.database(p.db()).execute(p.argv().toArray(new String[0]));
                assertFalse(r.isError(), "replaying " + p + " failed: " + r);
            }
            b.set(a.millis());
            for (int d = 0; d < databases; d++) {
                assertEquals(view(origin, d), view(replica, d), "live keys of db " + d);
            }
            for (int d = 0; d < databases; d++) {
                assertEquals(new TreeMap<>(StoreModelTest.physical(origin, d)), new TreeMap<>(StoreModelTest.physical(replica, d)),
                    "physical entries of db " + d);
            }
        }
    }

    /** KEYS * with GET and PTTL of each. */
    private static Map<String, String> view(Store store, int db) {
        Database d = store.database(db);
        Map<String, String> out = new TreeMap<>();
        for (Reply k : ((Reply.ArrayReply) d.execute("KEYS", "*")).elements()) {
            byte[] key = ((Reply.Bulk) k).value();
            out.put(StringKeyModel.str(key), d.execute("GET".getBytes(StandardCharsets.US_ASCII), key) + " pttl "
                + d.execute("PTTL".getBytes(StandardCharsets.US_ASCII), key));
        }
        return out;
    }
}
