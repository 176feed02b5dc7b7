package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed handles (Strings, Keys, StringValue, Database) agree with the commands. */
class TypedApiTest {
    private static final long T0 = 1_700_000_000_000L;
    private ManualClock clock;
    private Store store;
    private Strings str;
    private Keys keys;

    @BeforeEach
    void open() {
        clock = new ManualClock(T0);
        store = Store.builder().clock(clock).activeExpire(false).shards(4).open();
        str = store.strings();
        keys = store.keys();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void strings() {
        assertNull(str.get("k"));
        str.set("k", "v");
        assertEquals("v", str.get("k"));
        assertFalse(str.setnx("k", "w"));
        assertTrue(str.setnx("n", "1"));
        assertEquals("v", str.getSet("k", "w"));
        assertNull(str.getSet("fresh", "x"));
        assertEquals(4, str.append("k", "xyz"));
        assertEquals("xy", str.getrange("k", 1, 2));
        assertEquals(6, str.setrange("k", 4, "12"));
        assertEquals("wxyz12", str.get("k"));
        assertEquals(6, str.strlen("k"));
        assertEquals(Arrays.asList("wxyz12", null, "1"), str.mget("k", "missing", "n"));
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("a", "1");
        pairs.put("b", "2");
        str.mset(pairs);
        assertFalse(str.msetnx(Map.of("a", "9", "zz", "9")));
        assertNull(str.get("zz"));
        assertTrue(str.msetnx(Map.of("c", "3")));
        assertEquals(2, str.incr("a"));
        assertEquals(12, str.incrBy("a", 10));
        assertEquals(11, str.decr("a"));
        assertEquals(1, str.decrBy("a", 10));
        assertThrows(RedJarException.class, () -> str.decrBy("a", Long.MIN_VALUE));
        NotIntegerException e = assertThrows(NotIntegerException.class, () -> str.incr("k"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
        RedJarException over = assertThrows(RedJarException.class, () -> {
            str.set("max", Long.toString(Long.MAX_VALUE));
            str.incr("max");
        });
        assertEquals("ERR increment or decrement would overflow", over.getMessage());
        assertEquals("wxyz12", str.getDel("k"));
        assertNull(str.getDel("k"));
        byte[] bin = {0, (byte) 0xFF, 10, 13};
        str.set("bin".getBytes(StandardCharsets.UTF_8), bin);
        assertArrayEquals(bin, str.get("bin".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(bin, str.mget("bin".getBytes(StandardCharsets.UTF_8)).get(0));
        assertThrows(RedJarException.class, () -> str.mset(Map.of()));
    }

    @Test
    void stringsWithTtl() {
        str.set("t", "v", Duration.ofSeconds(10));
        assertEquals(10_000, keys.pttl("t"));
        assertEquals(10, keys.ttl("t"));
        assertEquals(T0 + 10_000, keys.pexpireTime("t"));
        assertFalse(str.set("t", "w", SetOptions.none().nx()));
        assertTrue(str.set("t", "w", SetOptions.none().xx().keepTtl()));
        assertEquals(10_000, keys.pttl("t"));
        assertEquals("w", str.getEx("t", Duration.ofMillis(500)));
        assertEquals(500, keys.pttl("t"));
        assertEquals("w", str.getPersist("t"));
        assertEquals(-1, keys.pttl("t"));
        assertTrue(str.set("t", "x", SetOptions.none().expireAt(Instant.ofEpochMilli(T0 + 42))));
        assertEquals(42, keys.pttl("t"));
        RedJarException bad = assertThrows(RedJarException.class, () -> str.set("t", "x", SetOptions.none().ex(0)));
        assertEquals("ERR invalid expire time in 'set' command", bad.getMessage());
        clock.advance(Duration.ofMillis(42));
        assertNull(str.get("t"));
        assertEquals(-2, keys.ttl("t"));
        assertEquals(-2, keys.pexpireTime("t"));
    }

    @Test
    void keysOperations() {
        str.set("a", "1");
        str.set("b", "2");
        assertEquals(2, keys.exists("a", "b", "c"));
        assertEquals(2, keys.exists("a", "a"));
        assertTrue(keys.exists("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals("string", keys.type("a"));
        assertEquals("none", keys.type("zz"));
        assertEquals(2, keys.touch("a", "b", "c"));
        keys.rename("a", "a2");
        assertFalse(keys.renamenx("a2", "b"));
        assertTrue(keys.renamenx("a2", "a3"));
        RedJarException e = assertThrows(RedJarException.class, () -> keys.rename("nope", "x"));
        assertEquals("ERR no such key", e.getMessage());
        assertTrue(keys.copy("a3", "a4", Keys.CopyMode.NO_REPLACE));
        assertFalse(keys.copy("a3", "a4", Keys.CopyMode.NO_REPLACE));
        assertTrue(keys.copy("b", "a4", Keys.CopyMode.REPLACE));
        assertEquals("2", str.get("a4"));
        assertTrue(keys.copy("a3", 2, "a3", Keys.CopyMode.NO_REPLACE));
        assertEquals("1", store.database(2).strings().get("a3"));
        assertThrows(RedJarException.class, () -> keys.copy("a3", 0, "a3", Keys.CopyMode.NO_REPLACE));
        assertThrows(RedJarException.class, () -> keys.copy("a3", 16, "x", Keys.CopyMode.NO_REPLACE));
        assertTrue(keys.move("a3", 3));
        assertFalse(keys.move("a3", 3));
        assertEquals("1", store.database(3).strings().get("a3"));
        assertThrows(RedJarException.class, () -> keys.move("b", 0));
        assertEquals(List.of("a4", "b"), keys.keys("*").stream().sorted().toList());
        assertEquals(List.of("a4"), keys.keys("a?"));
        assertEquals(2, keys.dbSize());
        assertTrue(List.of("a4", "b").contains(keys.randomKey()));
        assertEquals(1, keys.del("b", "nope"));
        assertEquals(1, keys.unlink("a4"));
        assertEquals(0, keys.del("a4".getBytes(StandardCharsets.UTF_8)));
        assertNull(keys.randomKey());
        store.database(2).keys().flushDB();
        assertEquals(0, store.database(2).keys().dbSize());
        assertEquals(1, store.database(3).keys().dbSize());
    }

    @Test
    void expiryConditions() {
        str.set("k", "v");
        assertFalse(keys.pexpire("k", Duration.ofSeconds(5), Keys.ExpireCondition.XX));
        assertFalse(keys.pexpire("k", Duration.ofSeconds(5), Keys.ExpireCondition.GT));
        assertTrue(keys.pexpire("k", Duration.ofSeconds(5), Keys.ExpireCondition.LT));
        assertFalse(keys.pexpire("k", Duration.ofSeconds(9), Keys.ExpireCondition.NX));
        assertFalse(keys.pexpire("k", Duration.ofSeconds(9), Keys.ExpireCondition.LT));
        assertTrue(keys.pexpire("k", Duration.ofSeconds(9), Keys.ExpireCondition.GT));
        assertEquals(9000, keys.pttl("k"));
        assertTrue(keys.pexpire("k", Duration.ofSeconds(1), Keys.ExpireCondition.XX));
        assertTrue(keys.pexpireAt("k", Instant.ofEpochMilli(T0 + 77)));
        assertEquals(77, keys.pttl("k"));
        assertTrue(keys.persist("k"));
        assertFalse(keys.persist("k"));
        assertTrue(keys.pexpire("k", Duration.ofMillis(-1)));
        assertEquals(-2, keys.pttl("k"));
        assertFalse(keys.pexpire("k", Duration.ofSeconds(1)));
    }

    @Test
    void idleTimeFollowsTheManualClock() {
        str.set("k", "v");
        assertEquals(0, keys.objectIdletime("k"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(10, keys.objectIdletime("k"));
        keys.ttl("k");
        keys.type("k");
        keys.exists("k");
        assertEquals(10, keys.objectIdletime("k"), "TTL, TYPE, EXISTS do not touch");
        str.get("k");
        assertEquals(0, keys.objectIdletime("k"));
        assertEquals(-1, keys.objectIdletime("missing"));
        assertEquals(Reply.integer(0), store.execute("OBJECT", "IDLETIME", "k"));
        assertEquals(Reply.NULL, store.execute("OBJECT", "IDLETIME", "missing"));
    }

    @Test
    void stringValueHandles() {
        StringValue<Long> hits = store.string("hits", Codec.LONG);
        assertNull(hits.get());
        hits.set(10L);
        assertEquals(15, hits.increment(5));
        assertEquals(15L, hits.get());
        assertEquals(2, hits.length());
        assertEquals(15L, hits.getAndSet(1L));
        assertTrue(hits.set(2L, SetOptions.none().xx()));
        assertFalse(hits.setIfAbsent(3L));
        hits.set(4L, Duration.ofSeconds(3));
        assertEquals(3000, keys.pttl("hits"));
        assertEquals(4L, hits.getAndDelete());
        assertNull(hits.getAndDelete());

        Codec<UUID> uuids = Codec.of(u -> u.toString().getBytes(StandardCharsets.UTF_8),
            b -> UUID.fromString(new String(b, StandardCharsets.UTF_8)));
        UUID id = UUID.randomUUID();
        StringValue<UUID> h = store.database(1).string("id", uuids);
        h.set(id);
        assertEquals(id, h.get());
        assertEquals(id.toString(), store.database(1).strings().get("id"));
        assertNull(store.strings().get("id"), "database 1 only");
        StringValue<String> s = store.string("s");
        s.set("héllo");
        assertEquals("héllo", s.get());
        assertEquals(6, s.length(), "UTF-8 bytes");
        StringValue<byte[]> raw = store.string("s", Codec.BYTES);
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), raw.get());
    }

    @Test
    void databaseViewsAndSessions() {
        Database d5 = store.database(5);
        assertEquals(5, d5.index());
        assertEquals(Reply.OK, d5.execute("SET", "k", "five"));
        assertEquals(Reply.NULL, store.execute("GET", "k"));
        assertEquals(Reply.OK, store.execute("SELECT", "5"), "SELECT on a one-off execute");
        assertEquals(Reply.NULL, store.execute("GET", "k"), "does not stick");
        Session s = store.newSession();
        s.execute("SELECT", "5");
        assertEquals(Reply.bulk("five"), s.execute("GET", "k"));
        assertEquals(Reply.bulk("five"), d5.execute("GET".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8)));
        assertEquals(d5, store.select(5));
        assertEquals(2, s.protocol());
        s.protocol(3);
        assertEquals(3, s.protocol());
        assertThrows(IllegalArgumentException.class, () -> s.protocol(4));
    }
}
