package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY's replies compared with redis-server where they are deterministic (errors, nil for a
 * missing key, HELP, DOCTOR on an almost empty instance, PURGE, MALLOC-STATS without jemalloc is
 * not compared: the Debian build has jemalloc), the rest by reply type; and MEMORY USAGE's
 * exactness: over random keys of every type, the usages add up to the store's used memory.
 */
@RequiresRedis
class MemoryCommandsDifferentialTest {

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(Step.of("SET", "k", "v"));
        s.add(Step.of("HSET", "h", "f", "v", "g", "w"));
        s.add(Step.of("RPUSH", "l", "a", "b"));
        s.add(Step.of("MEMORY", "USAGE", "k").typeOnly());
        s.add(Step.of("MEMORY", "USAGE", "h", "SAMPLES", "0").typeOnly());
        s.add(Step.of("MEMORY", "USAGE", "l", "samples", "5").typeOnly());
        s.add(Step.of("MEMORY", "USAGE", "nokey"));
        s.add(Step.of("MEMORY", "USAGE", "nokey", "SAMPLES", "3"));
        s.add(Step.of("MEMORY", "USAGE", "k", "SAMPLES", "-1"));
        s.add(Step.of("MEMORY", "USAGE", "k", "SAMPLES", "x"));
        s.add(Step.of("MEMORY", "USAGE", "k", "SAMPLES"));
        s.add(Step.of("MEMORY", "USAGE", "k", "foo"));
        s.add(Step.of("MEMORY", "USAGE"));
        s.add(Step.of("MEMORY"));
        s.add(Step.of("MEMORY", "foo"));
        s.add(Step.of("MEMORY", "doctor", "x"));
        s.add(Step.of("MEMORY", "HELP"));
        // the report depends on the server's whole memory (the shared redis-server's grows with
        // the other tests): compared by type here, its texts in doctorTexts
        s.add(Step.of("MEMORY", "DOCTOR").typeOnly());
        s.add(Step.of("MEMORY", "PURGE"));
        s.add(Step.of("MEMORY", "STATS").typeOnly());
        s.add(Step.of("COMMAND", "GETKEYS", "MEMORY", "USAGE", "key"));
        return s;
    }

    @Test
    void againstRedis(RespClient redis) {
        redis.call("FLUSHALL");
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(steps());
        }
    }

    @Test
    void statsHasRedisFieldNames(RespClient redis) {
        redis.call("FLUSHALL");
        redis.call("SET", "k", "v");
        try (Store store = Store.open()) {
            store.strings().set("k", "v");
            assertEquals(names(redis.call("MEMORY", "STATS")), names(store.execute("MEMORY", "STATS")));
        }
    }

    @Test
    void infoMemoryHasRedisFieldsInRedisOrder(RespClient redis) {
        redis.call("FLUSHALL");
        List<String> expected = infoNames(((Reply.Verbatim) redis.call("INFO", "memory")).text());
        try (Store store = Store.open()) {
            store.execute("SET", "k", "v", "EX", "100");
            String text = ((Reply.Verbatim) store.execute("INFO", "memory")).text();
            List<String> ours = infoNames(text);
            assertEquals(expected, ours.subList(0, Math.min(ours.size(), expected.size())), text);
            for (String extra : ours.subList(expected.size(), ours.size())) {
                assertTrue(extra.startsWith("jvm_") || extra.startsWith("redjar_"), extra);
            }
            java.util.Map<String, String> v = infoValues(text);
            long used = Long.parseLong(v.get("used_memory"));
            assertEquals(store.usedMemory(), used);
            assertEquals(used, Long.parseLong(v.get("used_memory_overhead")) + Long.parseLong(v.get("used_memory_dataset")));
            assertTrue(Long.parseLong(v.get("used_memory_startup")) > 0);
            assertTrue(Long.parseLong(v.get("used_memory_rss")) > used, text);
            assertTrue(Long.parseLong(v.get("allocator_allocated")) <= used, text);
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f",
                (double) Long.parseLong(v.get("used_memory_rss")) / used), v.get("mem_fragmentation_ratio"));
            assertEquals("redjar-slab", v.get("mem_allocator"));
        }
    }

    @Test
    void statsCountsExpiresAndPerDatabaseOverhead() {
        try (Store store = Store.open()) {
            store.execute("SET", "a", "v", "EX", "100");
            store.execute("SET", "b", "v");
            Session s3 = store.newSession();
            s3.execute("SELECT", "3");
            s3.execute("SET", "c", "v", "PX", "100000");
            s3.execute("SET", "d", "v", "PX", "100000");
            java.util.Map<String, Reply> m = map(store.execute("MEMORY", "STATS"));
            java.util.Map<String, Reply> db0 = map(m.get("db.0"));
            java.util.Map<String, Reply> db3 = map(m.get("db.3"));
            assertEquals(8L, ((Reply.IntegerReply) db0.get("overhead.hashtable.expires")).value());
            assertEquals(16L, ((Reply.IntegerReply) db3.get("overhead.hashtable.expires")).value());
            assertEquals(4L, ((Reply.IntegerReply) m.get("keys.count")).value());
            long total = ((Reply.IntegerReply) m.get("total.allocated")).value();
            long overhead = ((Reply.IntegerReply) m.get("overhead.total")).value();
            long dataset = ((Reply.IntegerReply) m.get("dataset.bytes")).value();
            assertEquals(total, overhead + dataset);
            assertEquals(store.usedMemory(), total);
            long startup = ((Reply.IntegerReply) m.get("startup.allocated")).value();
            assertEquals((total - startup) / 4, ((Reply.IntegerReply) m.get("keys.bytes-per-key")).value());
        }
    }

    private static java.util.Map<String, Reply> map(Reply r) {
        List<Reply> flat = ((Reply.Map) r).flat();
        java.util.Map<String, Reply> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            out.put(new String(((Reply.Bulk) flat.get(i)).value(), java.nio.charset.StandardCharsets.UTF_8), flat.get(i + 1));
        }
        return out;
    }

    private static List<String> infoNames(String text) {
        return new ArrayList<>(infoValues(text).keySet());
    }

    private static java.util.Map<String, String> infoValues(String text) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    private static List<String> names(Reply stats) {
        List<Reply> flat = ((Reply.Map) stats).flat();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            out.add(new String(((Reply.Bulk) flat.get(i)).value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void doctorTexts() {
        try (Store store = Store.open()) {
            String empty = ((Reply.Verbatim) store.execute("MEMORY", "DOCTOR")).text();
            assertTrue(empty.startsWith("Hi Sam, this instance is empty or is using very little memory"), empty);
            for (int i = 0; i < 200; i++) {
                store.execute("SET", "big" + i, "x".repeat(64 * 1024));
            }
            // the rules run on the real process RSS: in a JVM it is far above a 13 MB data set, so
            // Redis's RSS checks (total RSS, process RSS overhead) may fire; no other issue may
            // (every rule on its own figures: MemoryDoctorTest)
            String healthy = ((Reply.Verbatim) store.execute("MEMORY", "DOCTOR")).text();
            if (!healthy.equals("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n")) {
                String rest = healthy.replaceAll("(?s) \\* High total RSS:.*?\n\n", "")
                    .replaceAll("(?s) \\* High process RSS overhead:.*?\n\n", "");
                assertEquals("Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + "I'm here to keep you safe, Sam. I want to help you.\n", rest, healthy);
            }
            for (int i = 0; i < 190; i++) {
                store.execute("DEL", "big" + i);
            }
            store.execute("SET", "pad", "x".repeat(5 * 1024 * 1024)); // stay above the "empty" threshold
            String peak = ((Reply.Verbatim) store.execute("MEMORY", "DOCTOR")).text();
            assertTrue(peak.startsWith("Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory:"), peak);
        }
    }

    @Test
    void usagesAddUpToUsedMemory() {
        long seed = Seeds.seed();
        System.out.println("MemoryCommandsDifferentialTest seed=" + seed);
        Random r = new Random(seed);
        try (Store store = Store.builder().shards(4).open()) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String k = "k" + i;
                keys.add(k);
                int n = 1 + r.nextInt(r.nextBoolean() ? 5 : 400);
                switch (r.nextInt(5)) {
                    case 0 -> store.execute("SET", k, "x".repeat(r.nextInt(100)));
                    case 1 -> { for (int j = 0; j < n; j++) store.execute("HSET", k, "f" + j, "v" + r.nextInt(1000)); }
                    case 2 -> { for (int j = 0; j < n; j++) store.execute("RPUSH", k, "e" + r.nextInt(1000)); }
                    case 3 -> { for (int j = 0; j < n; j++) store.execute("SADD", k, r.nextBoolean() ? "" + j : "m" + j); }
                    default -> { for (int j = 0; j < n; j++) store.execute("ZADD", k, "" + r.nextInt(100), "m" + j); }
                }
            }
            long sum = 0;
            for (String k : keys) {
                Reply u = store.execute("MEMORY", "USAGE", k);
                long bytes = ((Reply.IntegerReply) u).value();
                assertTrue(bytes > KeyTable.SLOT_BYTES, k + " " + bytes);
                sum += bytes - KeyTable.SLOT_BYTES;
            }
            long tables = 0;
            for (int db = 0; db < 16; db++) {
                tables += Internals.engine(store).keys().tableBytes(db);
            }
            assertEquals(store.usedMemory(), sum + tables, "seed=" + seed);
        }
    }
}
