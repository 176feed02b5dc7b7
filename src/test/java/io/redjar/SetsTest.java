package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
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

/** The {@link Sets} handle: results, errors, and agreement with {@code execute}. */
class SetsTest {
    private final List<String> propagated = new CopyOnWriteArrayList<>();
    private Store store;
    private Sets sets;

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
        sets = store.sets();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[]> items) {
        List<String> out = new ArrayList<>();
        for (byte[] b : items) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void membership() {
        assertEquals(3, sets.sadd("s", "c", "a", "b"));
        assertEquals(1, sets.sadd("s", "a", "d", "d"));
        assertEquals(4, sets.scard("s"));
        assertEquals(0, sets.scard("missing"));
        Set<String> members = sets.smembers("s");
        assertInstanceOf(LinkedHashSet.class, members);
        assertEquals(Set.of("a", "b", "c", "d"), members);
        assertTrue(sets.smembers("missing").isEmpty());
        assertTrue(sets.sismember("s", "a"));
        assertFalse(sets.sismember("s", "z"));
        assertFalse(sets.sismember("missing", "a"));
        assertEquals(List.of(true, false, true), sets.smismember("s", "a", "z", "d"));
        assertEquals(List.of(false, false), sets.smismember("missing", "a", "b"));
        assertEquals(2, sets.srem("s", "a", "z", "b"));
        assertEquals(Set.of("c", "d"), sets.smembers("s"));
        assertEquals(2, sets.srem("s", "c", "d"));
        assertEquals(0, store.keys().exists("s"), "an emptied set is deleted");
        assertEquals(0, sets.srem("s", "c"));

        assertEquals(3, sets.sadd("ints", "30", "10", "20"));
        assertEquals("intset", store.keys().objectEncoding("ints"));
        assertEquals(List.of("10", "20", "30"), new ArrayList<>(sets.smembers("ints")), "an intset reads ascending");
    }

    @Test
    void binaryForms() {
        byte[] key = {'b', 0};
        byte[] m1 = {0, (byte) 0xFF};
        byte[] m2 = {(byte) 0xC3, 0x28};
        assertEquals(2, sets.sadd(key, m1, m2));
        assertEquals(2, sets.scard(key));
        assertTrue(sets.sismember(key, m1));
        assertEquals(List.of(true, false), sets.smismember(key, m2, u("x")));
        List<byte[]> all = sets.smembers(key);
        assertEquals(2, all.size());
        assertTrue(all.stream().anyMatch(b -> java.util.Arrays.equals(b, m1)));
        assertTrue(sets.smove(key, u("other"), m1));
        assertArrayEquals(m1, sets.smembers(u("other")).get(0));
        assertArrayEquals(m2, sets.sinter(key).get(0));
        assertEquals(2, sets.sunion(key, u("other")).size());
        assertArrayEquals(m2, sets.sdiff(key, u("other")).get(0));
        assertEquals(2, sets.sunionstore(u("dst"), key, u("other")));
        assertEquals(1, sets.sintercard(0, key, u("dst")));
        assertArrayEquals(m2, sets.srandmember(key));
        assertArrayEquals(m2, sets.srandmember(key, 5).get(0));
        assertEquals(1, sets.srem(key, m2));
        assertNull(sets.spop(key));
        assertEquals(2, sets.spop(u("dst"), 5).size());
        Iterator<byte[]> it = sets.sscan(u("other"), null, 10);
        assertArrayEquals(m1, it.next());
        assertFalse(it.hasNext());
    }

    @Test
    void popAndRandom() {
        assertNull(sets.spop("missing"));
        assertTrue(sets.spop("missing", 3).isEmpty());
        assertNull(sets.srandmember("missing"));
        assertTrue(sets.srandmember("missing", -3).isEmpty());
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            all.add("m" + i);
        }
        sets.sadd("p", all.toArray(new String[0]));
        assertTrue(all.contains(sets.srandmember("p")));
        assertEquals(10, sets.scard("p"), "SRANDMEMBER does not remove");
        List<String> four = sets.srandmember("p", 4);
        assertEquals(4, new HashSet<>(four).size());
        assertEquals(30, sets.srandmember("p", -30).size(), "a negative count gives exactly that many");
        assertTrue(all.containsAll(sets.srandmember("p", -30)));
        assertEquals(10, sets.srandmember("p", 100).size());
        assertThrows(RedJarException.class, () -> sets.srandmember("p", Long.MIN_VALUE));

        String one = sets.spop("p");
        assertTrue(all.contains(one));
        assertFalse(sets.sismember("p", one));
        Set<String> three = sets.spop("p", 3);
        assertEquals(3, three.size());
        assertTrue(all.containsAll(three));
        assertFalse(three.contains(one));
        assertEquals(6, sets.scard("p"));
        assertTrue(sets.spop("p", 0).isEmpty());
        assertEquals("ERR value is out of range, must be positive",
            assertThrows(RedJarException.class, () -> sets.spop("p", -1)).getMessage());
        assertEquals(6, sets.spop("p", 6).size());
        assertEquals(0, store.keys().exists("p"));
    }

    @Test
    void moveAndAlgebra() {
        sets.sadd("a", "1", "2", "3", "x");
        sets.sadd("b", "2", "3", "4", "y");
        sets.sadd("c", "3", "y", "z");
        assertTrue(sets.smove("a", "b", "1"));
        assertFalse(sets.smove("a", "b", "1"));
        assertFalse(sets.smove("missing", "b", "1"));
        assertTrue(sets.smove("a", "a", "2"), "same key: whether it is a member");
        assertTrue(sets.sismember("b", "1"));
        sets.srem("b", "1");

        assertEquals(Set.of("2", "3"), sets.sinter("a", "b"));
        assertEquals(Set.of("3"), sets.sinter("a", "b", "c"));
        assertTrue(sets.sinter("a", "missing").isEmpty());
        assertEquals(Set.of("2", "3", "x", "4", "y", "z"), sets.sunion("a", "b", "c", "missing"));
        assertEquals(Set.of("x"), sets.sdiff("a", "b"));
        assertEquals(Set.of("2", "x"), sets.sdiff("a", "c", "missing"));
        assertTrue(sets.sdiff("missing", "a").isEmpty());
        sets.sadd("n1", "5", "1", "3");
        sets.sadd("n2", "4", "2");
        assertEquals(List.of("1", "2", "3", "4", "5"), new ArrayList<>(sets.sunion("n1", "n2")), "integers reply ascending");

        assertEquals(2, sets.sinterstore("dst", "a", "b"));
        assertEquals(Set.of("2", "3"), sets.smembers("dst"));
        assertEquals(6, sets.sunionstore("dst", "a", "b", "c"));
        assertEquals(1, sets.sdiffstore("dst", "a", "b"));
        assertEquals(Set.of("x"), sets.smembers("dst"));
        store.strings().set("str", "v");
        assertEquals(2, sets.sinterstore("str", "a", "b"), "the destination may hold any type");
        assertEquals("set", store.keys().type("str"));
        assertEquals(0, sets.sinterstore("dst", "a", "missing"));
        assertEquals(0, store.keys().exists("dst"), "an empty result deletes the destination");

        assertEquals(2, sets.sintercard(0, "a", "b"));
        assertEquals(1, sets.sintercard(1, "a", "b"));
        assertEquals(0, sets.sintercard(0, "a", "missing"));
        assertEquals("ERR LIMIT can't be negative",
            assertThrows(RedJarException.class, () -> sets.sintercard(-1, "a")).getMessage());
        assertEquals("ERR numkeys should be greater than 0",
            assertThrows(RedJarException.class, () -> sets.sintercard(0, new String[0])).getMessage());
    }

    @Test
    void wrongTypeAndArity() {
        store.strings().set("s", "v");
        sets.sadd("set", "m");
        for (Runnable r : List.<Runnable>of(
                () -> sets.sadd("s", "m"),
                () -> sets.srem("s", "m"),
                () -> sets.smembers("s"),
                () -> sets.sismember("s", "m"),
                () -> sets.smismember("s", "m"),
                () -> sets.scard("s"),
                () -> sets.spop("s"),
                () -> sets.spop("s", 2),
                () -> sets.srandmember("s"),
                () -> sets.srandmember("s", 2),
                () -> sets.smove("s", "set", "m"),
                () -> sets.smove("set", "s", "m"),
                () -> sets.sinter("set", "s"),
                () -> sets.sunion("set", "s"),
                () -> sets.sdiff("set", "s"),
                () -> sets.sinterstore("dst", "set", "s"),
                () -> sets.sunionstore("dst", "s"),
                () -> sets.sdiffstore("dst", "set", "s"),
                () -> sets.sintercard(0, "set", "s"),
                () -> sets.sscan("s", null, 10).hasNext())) {
            WrongTypeException e = assertThrows(WrongTypeException.class, r::run);
            assertEquals(WrongTypeException.MESSAGE, e.getMessage());
        }
        assertEquals("v", store.strings().get("s"));
        assertTrue(sets.sismember("set", "m"), "a failed SMOVE moves nothing");
        assertEquals(0, store.keys().exists("dst"));
        assertEquals("ERR wrong number of arguments for 'sadd' command",
            assertThrows(RedJarException.class, () -> sets.sadd("k")).getMessage());
        assertEquals("ERR wrong number of arguments for 'srem' command",
            assertThrows(RedJarException.class, () -> sets.srem("k")).getMessage());
        assertEquals("ERR wrong number of arguments for 'smismember' command",
            assertThrows(RedJarException.class, () -> sets.smismember("k")).getMessage());
        assertEquals("ERR wrong number of arguments for 'sinter' command",
            assertThrows(RedJarException.class, () -> sets.sinter(new String[0])).getMessage());
        assertEquals("ERR wrong number of arguments for 'sunionstore' command",
            assertThrows(RedJarException.class, () -> sets.sunionstore("d")).getMessage());
    }

    @Test
    void scanSmallAndLargeSets() {
        assertFalse(sets.sscan("missing", null, 10).hasNext());
        assertThrows(IllegalArgumentException.class, () -> sets.sscan("missing", null, 0));
        sets.sadd("small", "a1", "a2", "b1");
        Set<String> seen = new HashSet<>();
        sets.sscan("small", "a*", 10).forEachRemaining(seen::add);
        assertEquals(Set.of("a1", "a2"), seen);

        Set<String> big = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            big.add("member:" + i);
        }
        sets.sadd("big", big.toArray(new String[0]));
        Set<String> all = new HashSet<>();
        Iterator<String> it = sets.sscan("big", "*", 20);
        while (it.hasNext()) {
            all.add(it.next());
        }
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(big, all);
        Set<String> nines = new HashSet<>(text(toList(sets.sscan(u("big"), u("member:9?"), 7))));
        assertEquals(10, nines.size());

        sets.sadd("ints", "3", "1", "2");
        List<String> ints = new ArrayList<>();
        sets.sscan("ints", null, 1).forEachRemaining(ints::add);
        assertEquals(List.of("1", "2", "3"), ints, "an intset comes whole, ascending");
    }

    private static List<byte[]> toList(Iterator<byte[]> it) {
        List<byte[]> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void handlesAndExecuteSeeTheSameData() {
        sets.sadd("k", "a", "b");
        assertEquals(Set.of("a", "b"), new HashSet<>(HashesTest.strings(store.execute("SMEMBERS", "k"))));
        assertEquals(Reply.integer(1), store.execute("SADD", "k", "c"));
        assertTrue(sets.sismember("k", "c"));
        assertEquals(3, sets.scard("k"));
        store.execute("SADD", "j", "c", "d");
        assertEquals(Set.of("c"), sets.sinter("k", "j"));
        assertEquals(4, sets.sunionstore("u", "k", "j"));
        assertEquals(Reply.integer(4), store.execute("SCARD", "u"));
        assertEquals(Reply.integer(1), store.execute("SINTERCARD", "2", "k", "j"));

        Database db5 = store.database(5);
        db5.sets().sadd("k", "only-in-5");
        assertFalse(sets.sismember("k", "only-in-5"));
        assertEquals(Reply.integer(1), db5.execute("SISMEMBER", "k", "only-in-5"));
        assertEquals("set", store.keys().type("k"));
    }

    @Test
    void writesPropagateAsTheCommands() {
        sets.sadd("k", "a", "b");
        sets.sadd("k", "a");
        sets.srem("k", "b", "zz");
        sets.smove("k", "j", "a");
        sets.sadd("k", "x");
        sets.sinterstore("d", "k", "k");
        sets.sunionstore("d", "k", "j");
        sets.sdiffstore("d", "k", "j");
        assertEquals(List.of("0 SADD k a b", "0 SREM k b zz", "0 SMOVE k j a", "0 SADD k x",
            "0 SINTERSTORE d k k", "0 SUNIONSTORE d k j", "0 SDIFFSTORE d k j"), propagated);
    }
}
