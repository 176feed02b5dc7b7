package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link Hashes} handle: results, errors, and agreement with {@code execute}. */
class HashesTest {
    private final List<String> propagated = new CopyOnWriteArrayList<>();
    private Store store;
    private Hashes h;

    @BeforeEach
    void open() {
        store = Store.builder().activeExpire(false).shards(4)
            .propagationSink((db, argv) -> {
                StringBuilder sb = new StringBuilder().append(db);
                for (byte[] a : argv) {
                    sb.append(' ').append(new String(a, StandardCharsets.UTF_8));
                }
                propagated.add(sb.toString());
            })
            .open();
        h = store.hashes();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bulk strings of an array, set or map reply, flattened. */
    static List<String> strings(Reply r) {
        List<Reply> items = r instanceof Reply.ArrayReply a ? a.elements()
            : r instanceof Reply.Map m ? m.flat()
            : r instanceof Reply.SetReply s ? s.elements()
            : List.of(r);
        List<String> out = new ArrayList<>();
        for (Reply x : items) {
            out.add(x instanceof Reply.Bulk b ? b.asString() : x instanceof Reply.Null ? null : x.toString());
        }
        return out;
    }

    @Test
    void setGetAndDelete() {
        assertEquals(1, h.hset("user", "name", "Ada"));
        assertEquals(0, h.hset("user", "name", "Ada L."));
        Map<String, String> more = new LinkedHashMap<>();
        more.put("born", "1815");
        more.put("name", "Ada Lovelace");
        more.put("city", "London");
        assertEquals(2, h.hset("user", more));
        assertEquals("Ada Lovelace", h.hget("user", "name"));
        assertNull(h.hget("user", "nope"));
        assertNull(h.hget("missing", "name"));
        assertFalse(h.hsetnx("user", "name", "x"));
        assertTrue(h.hsetnx("user", "lang", "analytical"));
        assertEquals("analytical", h.hget("user", "lang"));

        Map<String, String> all = h.hgetAll("user");
        assertInstanceOf(LinkedHashMap.class, all);
        assertEquals(List.of("name", "born", "city", "lang"), new ArrayList<>(all.keySet()), "listpack: insertion order");
        assertEquals(List.of("Ada Lovelace", "1815", "London", "analytical"), new ArrayList<>(all.values()));
        assertEquals(List.of("name", "born", "city", "lang"), h.hkeys("user"));
        assertEquals(List.of("Ada Lovelace", "1815", "London", "analytical"), h.hvals("user"));
        assertEquals(Arrays.asList("1815", null, "London"), h.hmget("user", "born", "nope", "city"));
        assertEquals(Arrays.asList(null, null), h.hmget("missing", "a", "b"));

        assertTrue(h.hexists("user", "city"));
        assertFalse(h.hexists("user", "planet"));
        assertFalse(h.hexists("missing", "city"));
        assertEquals(4, h.hlen("user"));
        assertEquals(0, h.hlen("missing"));
        assertEquals(4, h.hstrlen("user", "born"));
        assertEquals(0, h.hstrlen("user", "nope"));
        h.hset("user", "accent", "é");
        assertEquals(2, h.hstrlen("user", "accent"), "bytes, not chars");

        assertEquals(2, h.hdel("user", "born", "nope", "accent"));
        assertEquals(0, h.hdel("missing", "a"));
        assertEquals(3, h.hdel("user", "name", "city", "lang"));
        assertEquals(0, store.keys().exists("user"), "an emptied hash is deleted");
        assertTrue(h.hgetAll("user").isEmpty());
        assertTrue(h.hkeys("user").isEmpty());
    }

    @Test
    void binaryForms() {
        byte[] key = {'k', 0};
        byte[] f = {0, (byte) 0xFF};
        byte[] v = {(byte) 0xC3, 0x28, 10};
        assertEquals(1, h.hset(key, f, v));
        assertArrayEquals(v, h.hget(key, f));
        assertTrue(h.hexists(key, f));
        assertEquals(3, h.hstrlen(key, f));
        assertEquals(1, h.hlen(key));
        Map<byte[], byte[]> pairs = new LinkedHashMap<>();
        pairs.put(u("a"), u("1"));
        pairs.put(u("b"), u("2"));
        assertEquals(2, h.hset(key, pairs));
        List<Map.Entry<byte[], byte[]>> all = h.hgetAll(key);
        assertEquals(3, all.size());
        assertArrayEquals(f, all.get(0).getKey());
        assertArrayEquals(v, all.get(0).getValue());
        assertArrayEquals(u("b"), all.get(2).getKey());
        assertArrayEquals(u("2"), h.hvals(key).get(2));
        assertArrayEquals(u("a"), h.hkeys(key).get(1));
        List<byte[]> got = h.hmget(key, f, u("zz"));
        assertArrayEquals(v, got.get(0));
        assertNull(got.get(1));
        assertFalse(h.hsetnx(key, f, u("x")));
        assertEquals(7, h.hincrBy(key, u("n"), 7));
        assertEquals(1, h.hdel(key, f));
        assertNull(h.hget(key, f));
        assertEquals(List.of("a", "b", "n"), h.hkeys(key).stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void counters() {
        assertEquals(5, h.hincrBy("c", "n", 5));
        assertEquals(-5, h.hincrBy("c", "n", -10));
        assertEquals("-5", h.hget("c", "n"));
        h.hset("c", "name", "Ada");
        NotIntegerException e = assertThrows(NotIntegerException.class, () -> h.hincrBy("c", "name", 1));
        assertEquals("ERR hash value is not an integer", e.getMessage());
        assertEquals("ERR hash value is not an integer", ((Reply.ErrorReply) store.execute("HINCRBY", "c", "name", "1")).message(),
            "execute's reply text is unchanged");
        h.hset("c", "max", Long.toString(Long.MAX_VALUE));
        RedJarException over = assertThrows(RedJarException.class, () -> h.hincrBy("c", "max", 1));
        assertEquals("ERR increment or decrement would overflow", over.getMessage());

        assertEquals(10.5, h.hincrByFloat("c", "f", 10.5));
        assertEquals(10.6, h.hincrByFloat("c", "f", 0.1));
        assertEquals("10.6", h.hget("c", "f"), "stored as Redis's human-friendly text");
        assertEquals("0.1", new String(h.hincrByFloat(u("c"), u("g"), 0.1), StandardCharsets.UTF_8),
            "a double increment reads as its shortest text, as a client would send it");
        assertEquals("0.3", ((Reply.Bulk) store.execute("HINCRBYFLOAT", "c", "g", "0.2")).asString());
        store.execute("HSET", "c", "g2", "0.3");
        assertEquals(((Reply.Bulk) store.execute("HINCRBYFLOAT", "c", "g2", "5e9")).asString(),
            new String(h.hincrByFloat(u("c"), u("g"), 5e9), StandardCharsets.UTF_8),
            "the same long double arithmetic and text as the command");
        assertEquals("5000000000.29999999981373549", h.hget("c", "g"), "Redis's %.17Lf of the long double sum");
        assertEquals(1.5e-7, h.hincrByFloat("c", "tiny", 1.5e-7));
        assertEquals(-5.0, h.hincrByFloat("c", "n", 0.0), "an integer field is a float too");
        RedJarException notFloat = assertThrows(RedJarException.class, () -> h.hincrByFloat("c", "name", 1.0));
        assertEquals("ERR hash value is not a float", notFloat.getMessage());
        RedJarException nan = assertThrows(RedJarException.class, () -> h.hincrByFloat("c", "f", Double.NaN));
        assertEquals("ERR value is NaN or Infinity", nan.getMessage());
        assertThrows(RedJarException.class, () -> h.hincrByFloat("c", "f", Double.POSITIVE_INFINITY));
        assertEquals("10.6", h.hget("c", "f"));
    }

    @Test
    void wrongTypeAndArity() {
        store.strings().set("s", "v");
        for (Runnable r : List.<Runnable>of(
                () -> h.hset("s", "f", "v"),
                () -> h.hset("s", Map.of("f", "v")),
                () -> h.hsetnx("s", "f", "v"),
                () -> h.hget("s", "f"),
                () -> h.hmget("s", "f"),
                () -> h.hgetAll("s"),
                () -> h.hkeys("s"),
                () -> h.hvals("s"),
                () -> h.hdel("s", "f"),
                () -> h.hexists("s", "f"),
                () -> h.hlen("s"),
                () -> h.hstrlen("s", "f"),
                () -> h.hincrBy("s", "f", 1),
                () -> h.hincrByFloat("s", "f", 1),
                () -> h.hrandfield("s"),
                () -> h.hrandfield("s", 2),
                () -> h.hrandfieldWithValues("s", 2),
                () -> h.hscan("s", null, 10).hasNext())) {
            WrongTypeException e = assertThrows(WrongTypeException.class, r::run);
            assertEquals(WrongTypeException.MESSAGE, e.getMessage());
        }
        assertEquals("v", store.strings().get("s"));
        assertEquals("ERR wrong number of arguments for 'hdel' command",
            assertThrows(RedJarException.class, () -> h.hdel("k")).getMessage());
        assertEquals("ERR wrong number of arguments for 'hmget' command",
            assertThrows(RedJarException.class, () -> h.hmget("k")).getMessage());
        assertEquals("ERR wrong number of arguments for 'hset' command",
            assertThrows(RedJarException.class, () -> h.hset("k", Map.of())).getMessage());
        assertEquals(0, store.keys().exists("k"));
    }

    @Test
    void randomFields() {
        assertNull(h.hrandfield("missing"));
        assertTrue(h.hrandfield("missing", 3).isEmpty());
        assertTrue(h.hrandfieldWithValues("missing", -3).isEmpty());
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            m.put("f" + i, "v" + i);
        }
        h.hset("r", m);
        assertTrue(m.containsKey(h.hrandfield("r")));
        assertTrue(h.hrandfield("r", 0).isEmpty());
        List<String> three = h.hrandfield("r", 3);
        assertEquals(3, three.size());
        assertEquals(3, new HashSet<>(three).size(), "a positive count gives distinct fields");
        assertTrue(m.keySet().containsAll(three));
        assertEquals(new ArrayList<>(m.keySet()), h.hrandfield("r", 50), "the whole hash, in order");
        List<String> many = h.hrandfield("r", -20);
        assertEquals(20, many.size(), "a negative count gives exactly that many, repeats allowed");
        assertTrue(m.keySet().containsAll(many));
        for (Map.Entry<String, String> e : h.hrandfieldWithValues("r", -10)) {
            assertEquals(m.get(e.getKey()), e.getValue());
        }
        List<Map.Entry<byte[], byte[]>> bin = h.hrandfieldWithValues(u("r"), 2);
        assertEquals(2, bin.size());
        for (Map.Entry<byte[], byte[]> e : bin) {
            assertEquals(m.get(new String(e.getKey(), StandardCharsets.UTF_8)), new String(e.getValue(), StandardCharsets.UTF_8));
        }
        assertEquals("ERR value is out of range",
            assertThrows(RedJarException.class, () -> h.hrandfieldWithValues("r", Long.MIN_VALUE + 1)).getMessage());
        assertEquals(5, h.hrandfield("r", Long.MAX_VALUE).size(), "without values any count is allowed");
    }

    @Test
    void scanSmallAndLargeHashes() {
        assertFalse(h.hscan("missing", null, 10).hasNext());
        assertThrows(IllegalArgumentException.class, () -> h.hscan("missing", null, 0));
        h.hset("small", Map.of("a1", "1", "a2", "2", "b1", "3"));
        Map<String, String> seen = new HashMap<>();
        h.hscan("small", "a*", 10).forEachRemaining(e -> seen.put(e.getKey(), e.getValue()));
        assertEquals(Map.of("a1", "1", "a2", "2"), seen);

        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            big.put("field:" + i, "value:" + i);
        }
        h.hset("big", big);
        assertEquals("hashtable", store.keys().objectEncoding("big"));
        Map<String, String> all = new HashMap<>();
        Iterator<Map.Entry<String, String>> it = h.hscan("big", null, 20);
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            all.put(e.getKey(), e.getValue());
        }
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(big, all);
        Set<String> nines = new HashSet<>();
        h.hscan(u("big"), u("field:9?"), 7).forEachRemaining(e -> nines.add(new String(e.getKey(), StandardCharsets.UTF_8)));
        assertEquals(10, nines.size());
        assertTrue(nines.contains("field:95"));
    }

    @Test
    void handlesAndExecuteSeeTheSameData() {
        h.hset("k", Map.of("f", "v"));
        assertEquals(List.of("f", "v"), strings(store.execute("HGETALL", "k")));
        assertEquals(Reply.integer(1), store.execute("HSET", "k", "g", "w"));
        assertEquals("w", h.hget("k", "g"));
        assertEquals(List.of("f", "g"), h.hkeys("k"));
        assertEquals(Reply.integer(12), store.execute("HINCRBY", "k", "n", "12"));
        assertEquals(15, h.hincrBy("k", "n", 3));
        assertEquals("15", ((Reply.Bulk) store.execute("HGET", "k", "n")).asString());
        assertEquals(List.of("v", "w", "15"), strings(store.execute("HVALS", "k")));

        Database db3 = store.database(3);
        db3.hashes().hset("k", "only", "in 3");
        assertNull(h.hget("k", "only"));
        assertEquals(Reply.integer(1), db3.execute("HLEN", "k"));
        assertEquals("in 3", store.database(3).hashes().hget("k", "only"));
        assertEquals("hash", store.keys().type("k"));
    }

    @Test
    void writesPropagateAsTheCommands() {
        h.hset("k", "f", "v");
        h.hset("k", new LinkedHashMap<>(Map.of("g", "w")));
        h.hsetnx("k", "f", "no");
        h.hsetnx("k", "x", "y");
        h.hincrBy("k", "n", 2);
        h.hincrByFloat("k", "d", 1.5);
        h.hdel("k", "f", "none");
        h.hdel("k", "none");
        assertEquals(List.of("0 HSET k f v", "0 HSET k g w", "0 HSETNX k x y", "0 HINCRBY k n 2",
            "0 HSET k d 1.5", "0 HDEL k f none"), propagated);
    }
}
