package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanTest {

    private static Set<String> drain(Iterator<byte[]> it) {
        Set<String> out = new HashSet<>();
        while (it.hasNext()) {
            out.add(new String(it.next(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A full SCAN through execute; returns every key returned (with repeats counted in {@code calls[0]}). */
    private static Set<String> scanAll(Session s, Random rnd, String... options) {
        Set<String> got = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> argv = new ArrayList<>(List.of("SCAN", cursor));
            argv.addAll(List.of(options));
            if (rnd != null) {
                argv.addAll(List.of("COUNT", Integer.toString(1 + rnd.nextInt(50))));
            }
            Reply r = s.execute(argv.toArray(new String[0]));
            assertFalse(r.isError(), r::toString);
            List<Reply> parts = ((Reply.ArrayReply) r).elements();
            cursor = ((Reply.Bulk) parts.get(0)).asString();
            for (Reply k : ((Reply.ArrayReply) parts.get(1)).elements()) {
                got.add(((Reply.Bulk) k).asString());
            }
            assertTrue(++calls < 1_000_000, "SCAN does not terminate");
        } while (!cursor.equals("0"));
        return got;
    }

    @Test
    void iteratorReturnsEveryKeyOfABigDatabase() {
        try (Store store = Store.builder().shards(16).activeExpire(false).open()) {
            Set<String> want = new HashSet<>();
            for (int i = 0; i < 50_000; i++) {
                store.strings().set("key:" + i, "v");
                want.add("key:" + i);
            }
            store.database(1).strings().set("key:other-db", "v");
            assertEquals(want, drain(store.keys().scan(null, 10, null)));
            assertEquals(want, drain(store.keys().scan("*", 1000, "string")));
            assertEquals(Set.of(), drain(store.keys().scan(null, 1000, "list")));
            Set<String> ninety = new HashSet<>();
            for (String k : want) {
                if (k.startsWith("key:9") && k.length() == 6) {
                    ninety.add(k);
                }
            }
            assertEquals(ninety, drain(store.keys().scan("key:9?", 100, null)));
            assertEquals(Set.of("key:other-db"), drain(store.database(1).keys().scan(null, 7, null)));
            assertThrows(IllegalArgumentException.class, () -> store.keys().scan(null, 0, null));
        }
    }

    @Test
    void scanWithMatchCountAndTypeThroughExecute() {
        try (Store store = Store.builder().shards(8).activeExpire(false).open()) {
            Session s = store.newSession();
            Set<String> users = new HashSet<>();
            Set<String> all = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                String k = (i % 3 == 0 ? "user:" : "item:") + i;
                s.execute("SET", k, "v");
                all.add(k);
                if (i % 3 == 0) {
                    users.add(k);
                }
            }
            Random rnd = new Random(7);
            assertEquals(all, scanAll(s, rnd));
            assertEquals(users, scanAll(s, rnd, "MATCH", "user:*"));
            assertEquals(users, scanAll(s, null, "MATCH", "user:*", "COUNT", "5", "TYPE", "string"));
            assertEquals(all, scanAll(s, null, "TYPE", "STRING", "MATCH", "*"));
            assertEquals(Set.of(), scanAll(s, rnd, "TYPE", "hash"));
            assertEquals(Set.of("user:0", "user:3", "user:6", "user:9"), scanAll(s, rnd, "MATCH", "user:?"));
            assertEquals(Set.of(), scanAll(s, rnd, "MATCH", "nothing*"));
            // COUNT is a hint: a huge COUNT covers a small database in one call
            Reply one = s.execute("SCAN", "0", "COUNT", "100000");
            assertEquals(Reply.bulk("0"), ((Reply.ArrayReply) one).elements().get(0));
            assertEquals(2000, ((Reply.ArrayReply) ((Reply.ArrayReply) one).elements().get(1)).elements().size());
            // an empty database
            s.execute("SELECT", "2");
            assertEquals(Reply.array(Reply.bulk("0"), Reply.EMPTY_ARRAY), s.execute("SCAN", "0"));
        }
    }

    @Test
    void scanSkipsAndReclaimsExpiredKeys() {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (Store store = Store.builder().clock(clock).shards(4).activeExpire(false).open()) {
            Session s = store.newSession();
            Set<String> live = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                if (i % 2 == 0) {
                    s.execute("SET", "k" + i, "v", "PX", "100");
                } else {
                    s.execute("SET", "k" + i, "v");
                    live.add("k" + i);
                }
            }
            clock.advance(Duration.ofMillis(100));
            assertEquals(Reply.integer(500), s.execute("DBSIZE"), "expired keys count until reclaimed");
            assertEquals(live, scanAll(s, new Random(3)));
            assertEquals(Reply.integer(250), s.execute("DBSIZE"), "a full SCAN reclaims the expired keys it visits");
        }
    }

    /**
     * Redis 7.0 filters by MATCH before it checks expiry, so a SCAN with MATCH reclaims only the
     * expired keys that match; TYPE looks the key up, which reclaims it. Checked on redis-server
     * 7.0.15 with active expiry off: 100 a* and 100 b* keys expired plus one live key; a full
     * SCAN MATCH a* leaves DBSIZE 101; a full SCAN TYPE string then leaves 1.
     */
    @Test
    void scanWithMatchReclaimsOnlyExpiredKeysThatMatch() {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        List<String> dels = new ArrayList<>();
        PropagationSink sink = (db, argv) -> dels.add(new String(argv[0], StandardCharsets.UTF_8) + " "
            + new String(argv[1], StandardCharsets.UTF_8));
        try (Store store = Store.builder().clock(clock).shards(4).activeExpire(false).propagationSink(sink).open()) {
            Session s = store.newSession();
            for (int i = 1; i <= 100; i++) {
                s.execute("SET", "a" + i, "v", "PX", "50");
                s.execute("SET", "b" + i, "v", "PX", "50");
            }
            s.execute("SET", "live", "v");
            clock.advance(Duration.ofMillis(50));
            dels.clear();
            assertEquals(Reply.integer(201), s.execute("DBSIZE"));
            assertEquals(Set.of(), scanAll(s, new Random(1), "MATCH", "a*"));
            assertEquals(Reply.integer(101), s.execute("DBSIZE"));
            assertEquals(100, dels.size());
            assertTrue(dels.stream().allMatch(d -> d.startsWith("DEL a")), dels::toString);
            assertEquals(Set.of("live"), scanAll(s, new Random(2), "TYPE", "string"));
            assertEquals(Reply.integer(1), s.execute("DBSIZE"));
        }
    }

    /**
     * The SCAN guarantee through the command: keys present for the whole iteration are all
     * returned, while inserts and deletes between calls grow and shrink the shard tables.
     */
    @Test
    void scanGuaranteeUnderConcurrentGrowthAndShrink() {
        long master = Seeds.seed();
        Random seeds = new Random(master);
        for (int trial = 0; trial < 12; trial++) {
            long seed = seeds.nextLong();
            Seeds.run("store scan trial " + trial + " (rerun with -Dredjar.seed=" + master + ")", seed, rnd -> {
                try (Store store = Store.builder().shards(4).activeExpire(false).open()) {
                    Session s = store.newSession();
                    List<String> live = new ArrayList<>();
                    int fresh = 0;
                    int n0 = rnd.nextInt(3000);
                    for (int i = 0; i < n0; i++) {
                        String k = "s" + fresh++;
                        s.execute("SET", k, "v");
                        live.add(k);
                    }
                    Set<String> stable = new HashSet<>(live);
                    Set<String> seen = new HashSet<>();
                    String cursor = "0";
                    int calls = 0;
                    do {
                        Reply r = s.execute("SCAN", cursor, "COUNT", Integer.toString(1 + rnd.nextInt(30)));
                        List<Reply> parts = ((Reply.ArrayReply) r).elements();
                        cursor = ((Reply.Bulk) parts.get(0)).asString();
                        for (Reply k : ((Reply.ArrayReply) parts.get(1)).elements()) {
                            seen.add(((Reply.Bulk) k).asString());
                        }
                        int mode = rnd.nextInt(10);
                        if (mode == 0) {
                            for (int i = rnd.nextInt(3000); i > 0; i--) {
                                String k = "n" + fresh++;
                                s.execute("SET", k, "v");
                                live.add(k);
                            }
                        } else if (mode == 1 && !live.isEmpty()) {
                            int n = live.size() * (70 + rnd.nextInt(30)) / 100;
                            for (int i = 0; i < n; i++) {
                                String k = live.remove(rnd.nextInt(live.size()));
                                s.execute("DEL", k);
                                stable.remove(k);
                            }
                        }
                        assertTrue(++calls < 1_000_000, "SCAN does not terminate");
                    } while (!cursor.equals("0"));
                    for (String k : stable) {
                        assertTrue(seen.contains(k), "key present for the whole SCAN never returned: " + k);
                    }
                }
            });
        }
    }

    @Test
    void cursorParsingMatchesRedis() {
        try (Store store = Store.builder().shards(4).activeExpire(false).open()) {
            store.execute("SET", "a", "1");
            // accepted by redis-server 7.0.15 (strtoul semantics)
            for (String c : new String[] {"", "0", "+0", "-0", "+5", "-1", "00012", "18446744073709551615",
                "-18446744073709551615"}) {
                Reply r = store.execute("SCAN", c);
                assertFalse(r.isError(), "SCAN '" + c + "' -> " + r);
                assertEquals(2, ((Reply.ArrayReply) r).elements().size());
            }
            // rejected with ERR invalid cursor
            for (String c : new String[] {"-", "+", " 1", "1 ", "0x10", "abc", "18446744073709551616",
                "-18446744073709551616", "1.5", "99999999999999999999", "\t1", "\n1", "\u000b1", "\f1", "\r1", "1e3",
                "--1", "+-1", "1-"}) {
                assertEquals(Reply.error("ERR invalid cursor"), store.execute("SCAN", c), "SCAN '" + c + "'");
            }
        }
    }
}
