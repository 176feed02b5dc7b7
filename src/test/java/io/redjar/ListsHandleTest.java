package io.redjar;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@link Lists} handle: results, errors, and the same data as {@code execute()}. */
class ListsHandleTest {

    @Test
    void pushPopAndReads() {
        try (Store store = Store.open()) {
            Lists l = store.lists();
            assertEquals(3, l.rpush("q", "a", "b", "c"));
            assertEquals(4, l.lpush("q", "z"));
            assertEquals(List.of("z", "a", "b", "c"), l.lrange("q", 0, -1));
            assertEquals(4, l.llen("q"));
            assertEquals("c", l.lindex("q", -1));
            assertNull(l.lindex("q", 10));
            assertEquals(0, l.lpushx("nope", "x"));
            assertEquals(5, l.rpushx("q", "d"));
            assertEquals("z", l.lpop("q"));
            assertEquals("d", l.rpop("q"));
            assertEquals(List.of("a", "b"), l.lpop("q", 2));
            assertNull(l.lpop("missing", 2));
            assertNull(l.rpop("missing"));
            assertEquals(List.of("c"), l.lrange("q", 0, -1));
            assertArrayEquals("c".getBytes(), l.lpop("q".getBytes()));
            assertEquals(0, store.keys().exists("q"));
        }
    }

    @Test
    void editsAndPositions() {
        try (Store store = Store.open()) {
            Lists l = store.lists();
            l.rpush("q", "a", "b", "a", "c", "a");
            assertEquals(List.of(0L, 2L, 4L), l.lpos("q", "a", 1, 0, 0));
            assertEquals(2L, l.lpos("q", "a", 2, 1, 0).get(0));
            assertEquals(1L, l.lpos("q", "b"));
            assertNull(l.lpos("q", "x"));
            assertEquals(6, l.linsert("q", Lists.Position.BEFORE, "b", "pre"));
            assertEquals(-1, l.linsert("q", Lists.Position.AFTER, "x", "y"));
            l.lset("q", 0, "A");
            assertEquals(2, l.lrem("q", 0, "a"));
            assertEquals(List.of("A", "pre", "b", "c"), l.lrange("q", 0, -1));
            l.ltrim("q", 1, 2);
            assertEquals(List.of("pre", "b"), l.lrange("q", 0, -1));
            assertEquals("b", l.lmove("q", "dst", Lists.End.RIGHT, Lists.End.LEFT));
            assertEquals(List.of("b"), l.lrange("dst", 0, -1));
            assertNull(l.lmove("missing", "dst", Lists.End.LEFT, Lists.End.LEFT));
            l.rpush("m2", "x", "y", "z");
            assertEquals(new Lists.MultiPopped("m2", List.of("z", "y")), l.lmpop(Lists.End.RIGHT, 2, "none", "m2"));
            assertNull(l.lmpop(Lists.End.LEFT, 1, "none"));
        }
    }

    @Test
    void errorsAreRedisErrors() {
        try (Store store = Store.open()) {
            Lists l = store.lists();
            store.strings().set("s", "x");
            assertThrows(WrongTypeException.class, () -> l.rpush("s", "a"));
            assertThrows(WrongTypeException.class, () -> l.lrange("s", 0, -1));
            RedJarException e = assertThrows(RedJarException.class, () -> l.lset("nokey", 0, "v"));
            assertEquals("ERR no such key", e.getMessage());
            l.rpush("q", "a");
            e = assertThrows(RedJarException.class, () -> l.lset("q", 5, "v"));
            assertEquals("ERR index out of range", e.getMessage());
            e = assertThrows(RedJarException.class, () -> l.lpop("q", -1));
            assertEquals("ERR value is out of range, must be positive", e.getMessage());
            e = assertThrows(RedJarException.class, () -> l.lpos("q", "a", 0, 0, 0));
            assertEquals(true, e.getMessage().startsWith("ERR RANK can't be zero"));
            e = assertThrows(RedJarException.class, () -> l.rpush("q"));
            assertEquals("ERR wrong number of arguments for 'rpush' command", e.getMessage());
            e = assertThrows(RedJarException.class, () -> l.lmpop(Lists.End.LEFT, 0, "q"));
            assertEquals("ERR count should be greater than 0", e.getMessage());
        }
    }

    @Test
    void handlesAndExecuteSeeTheSameData() {
        try (Store store = Store.open()) {
            Lists l = store.lists();
            l.rpush("q", "a", "b");
            assertEquals(Reply.array(Reply.bulk("a"), Reply.bulk("b")), store.execute("LRANGE", "q", "0", "-1"));
            store.execute("LPUSH", "q", "z");
            assertEquals(List.of("z", "a", "b"), l.lrange("q", 0, -1));
            assertEquals("list", store.keys().type("q"));
            Lists l3 = store.database(3).lists();
            l3.rpush("q", "other");
            assertEquals(Reply.integer(1), store.database(3).execute("LLEN", "q"));
            assertEquals(3, l.llen("q"));
        }
    }
}
