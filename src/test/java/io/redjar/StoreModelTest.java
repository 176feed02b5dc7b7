package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.StringKeyModel.Command;
import io.redjar.StringKeyModel.Entry;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Model-based test of the whole store: seeded random sequences of string and key commands run
 * through {@link Session#execute} and through {@link StringKeyModel}; every reply must match, and
 * every few commands the physical keyspace (entries including expired ones nobody reclaimed yet,
 * their TTLs, the tables' counters and the exact native memory in use) must equal the model.
 */
class StoreModelTest {
    private static final int DATABASES = 4;
    private static final int OPS = 5000;

    @Test
    void randomWorkloadsMatchTheModel() {
        long master = Seeds.seed();
        Random seeds = new Random(master);
        int[] shardCounts = {1, 4, 16, 2, 8, 64};
        for (int run = 0; run < shardCounts.length; run++) {
            long seed = seeds.nextLong();
            int shards = shardCounts[run];
            Seeds.run("model run " + run + " with " + shards + " shards (rerun with -Dredjar.seed=" + master + ")", seed,
                rnd -> runWorkload(rnd, shards));
        }
    }

    private static void runWorkload(Random rnd, int shards) {
        ManualClock clock = new ManualClock(1_700_000_000_000L + rnd.nextInt(1_000_000));
        try (Store store = Store.builder().clock(clock).activeExpire(false).databases(DATABASES).shards(shards).open()) {
            long baseline = store.usedMemory();
            Session session = store.newSession();
            StringKeyModel model = new StringKeyModel(rnd, clock, DATABASES);
            Deque<String> history = new ArrayDeque<>();
            for (int op = 0; op < OPS; op++) {
                int r = rnd.nextInt(200);
                try {
                    if (r < 16) {
                        long ms = r < 11 ? rnd.nextInt(1500) : r < 15 ? rnd.nextInt(6000) : 60_000;
                        clock.advance(Duration.ofMillis(ms));
                        record(history, op, "(clock +" + ms + "ms)");
                    } else if (r < 19) {
                        fullScan(session, model, rnd);
                        record(history, op, "(full SCAN of db " + model.cur + ", maybe MATCH/TYPE)");
                    } else if (r < 21) {
                        keysStar(session, model);
                        record(history, op, "(KEYS *)");
                    } else if (r < 23) {
                        long expired = store.expireCycle();
                        syncAfterActiveExpiry(store, model);
                        record(history, op, "(expire cycle: " + expired + ")");
                    } else if (r == 23 && rnd.nextInt(5) == 0) {
                        assertEquals(Reply.OK, session.execute("FLUSHALL"));
                        model.dbs.forEach(Map::clear);
                        assertEquals(baseline, store.usedMemory(), "memory after FLUSHALL");
                        record(history, op, "FLUSHALL");
                    } else {
                        Command c = model.next();
                        Reply got = session.execute(StringKeyModel.argv(c.args()));
                        record(history, op, c + " -> " + got);
                        if (!c.expected().equals(got)) {
                            fail("reply of " + c + ": expected " + c.expected() + " got " + got);
                        }
                        assertEquals(model.cur, session.database(), "selected database");
                    }
                    if (op % 20 == 0) {
                        checkState(store, model);
                    }
                } catch (Throwable t) {
                    throw new AssertionError("at op " + op + ": " + t.getMessage() + "\nlast commands:\n  "
                        + String.join("\n  ", history) + "\nmodel: " + model, t);
                }
            }
            checkState(store, model);
            assertEquals(Reply.OK, session.execute("FLUSHALL"));
            assertEquals(baseline, store.usedMemory(), "memory after the final FLUSHALL");
            for (int d = 0; d < DATABASES; d++) {
                assertEquals(0, store.database(d).keys().dbSize());
            }
        }
    }

    private static void record(Deque<String> history, int op, String what) {
        history.addLast(op + ": " + what);
        if (history.size() > 40) {
            history.removeFirst();
        }
    }

    /** Glob with * and ? only (the patterns used here). */
    private static boolean glob(String p, String s) {
        if (p.isEmpty()) {
            return s.isEmpty();
        }
        if (p.charAt(0) == '*') {
            for (int i = 0; i <= s.length(); i++) {
                if (glob(p.substring(1), s.substring(i))) {
                    return true;
                }
            }
            return false;
        }
        return !s.isEmpty() && (p.charAt(0) == '?' || p.charAt(0) == s.charAt(0)) && glob(p.substring(1), s.substring(1));
    }

    /**
     * A full SCAN, maybe with MATCH and TYPE. Like Redis 7.0 it reclaims the expired keys it
     * visits that pass MATCH (TYPE does not protect them: its lookup reclaims too).
     */
    private static void fullScan(Session session, StringKeyModel model, Random rnd) {
        String[] patterns = {null, null, "*", "{t}*", "?", "*x*"};
        String pattern = patterns[rnd.nextInt(patterns.length)];
        String type = rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? "string" : "list") : null;
        List<String> extra = new ArrayList<>();
        if (pattern != null) {
            extra.addAll(List.of("MATCH", pattern));
        }
        if (type != null) {
            extra.addAll(List.of("TYPE", type));
        }
        Set<String> got = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> argv = new ArrayList<>(List.of("SCAN", cursor, "COUNT", Integer.toString(1 + rnd.nextInt(20))));
            argv.addAll(extra);
            Reply.ArrayReply r = (Reply.ArrayReply) session.execute(argv.toArray(new String[0]));
            cursor = ((Reply.Bulk) r.elements().get(0)).asString();
            for (Reply k : ((Reply.ArrayReply) r.elements().get(1)).elements()) {
                got.add(StringKeyModel.str(((Reply.Bulk) k).value()));
            }
            assertTrue(++calls < 100_000, "SCAN does not terminate");
        } while (!cursor.equals("0"));
        String pat = pattern;
        TreeSet<String> want = new TreeSet<>();
        for (String k : model.liveKeys(model.cur)) {
            if ((pat == null || glob(pat, k)) && !"list".equals(type)) {
                want.add(k);
            }
        }
        assertEquals(want, new TreeSet<>(got), "full SCAN " + extra);
        long now = model.now();
        model.dbs.get(model.cur).entrySet().removeIf(e -> e.getValue().expiredAt(now) && (pat == null || glob(pat, e.getKey())));
    }

    private static void keysStar(Session session, StringKeyModel model) {
        Reply.ArrayReply r = (Reply.ArrayReply) session.execute("KEYS", "*");
        List<String> got = new ArrayList<>();
        for (Reply k : r.elements()) {
            got.add(StringKeyModel.str(((Reply.Bulk) k).value()));
        }
        assertEquals(got.size(), new HashSet<>(got).size(), "KEYS returned a key twice: " + got);
        assertEquals(model.liveKeys(model.cur), new TreeSet<>(got), "KEYS *");
    }

    /** Active expiry may reclaim any expired keys: drop from the model those the store no longer holds. */
    private static void syncAfterActiveExpiry(Store store, StringKeyModel model) {
        for (int d = 0; d < DATABASES; d++) {
            Map<String, Entry> physical = physical(store, d);
            long now = model.now();
            for (Map.Entry<String, Entry> e : physical.entrySet()) {
                assertTrue(model.dbs.get(d).containsKey(e.getKey()), "store holds a key the model lacks: " + e.getKey());
            }
            model.dbs.get(d).entrySet().removeIf(e -> {
                if (!physical.containsKey(e.getKey())) {
                    assertTrue(e.getValue().expiredAt(now), "active expiry removed a live key: " + e.getKey());
                    return true;
                }
                return false;
            });
        }
    }

    /** Every entry of database {@code d} as stored, expired or not, read without looking anything up. */
    static Map<String, Entry> physical(Store store, int d) {
        Keyspace ks = Internals.engine(store).keyspace();
        Map<String, Entry> out = new HashMap<>();
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            s.lock();
            try {
                s.table(d).forEach(e -> {
                    String k = StringKeyModel.str(EntryDescriptor.key(e));
                    assertEquals(ValueType.STRING.code(), EntryDescriptor.type(e), "type of " + k);
                    long at = EntryDescriptor.hasExpire(e) ? EntryDescriptor.expireAt(e) : 0;
                    assertTrue(!EntryDescriptor.hasExpire(e) || at != 0, "expire flag with time 0 on " + k);
                    assertTrue(out.put(k, new Entry(StringKeyModel.str(EntryDescriptor.value(e)), at)) == null,
                        "key in two places: " + k);
                    assertEquals(s.index(), ks.shardIndex(EntryDescriptor.key(e)), "key in the wrong shard: " + k);
                });
            } finally {
                s.unlock();
            }
        }
        return out;
    }

    /** The whole keyspace equals the model, table counters are right, memory is exact. */
    private static void checkState(Store store, StringKeyModel model) {
        Keyspace ks = Internals.engine(store).keyspace();
        long expectMemory = 0;
        for (int d = 0; d < DATABASES; d++) {
            assertEquals(new java.util.TreeMap<>(model.dbs.get(d)), new java.util.TreeMap<>(physical(store, d)), "contents of db " + d);
            for (int i = 0; i < ks.shardCount(); i++) {
                KeyTable t = ks.shard(i).table(d);
                int[] counts = new int[2];
                long[] bytes = new long[1];
                t.forEach(e -> {
                    counts[0]++;
                    counts[1] += EntryDescriptor.hasExpire(e) ? 1 : 0;
                    bytes[0] += SizeClasses.blockSize(EntryDescriptor.totalLength(e));
                });
                assertEquals(counts[0], t.size(), "size of table db " + d + " shard " + i);
                assertEquals(counts[1], t.expires(), "expires of table db " + d + " shard " + i);
                expectMemory += bytes[0] + t.tableBytes();
            }
        }
        assertEquals(expectMemory, store.usedMemory(), "usedMemory must be exactly entries + tables");
    }
}
