package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreBuilderTest {

    private static void rejects(String option, UnaryOperator<Store.Builder> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.apply(Store.builder()).open().close(),
            option);
        assertTrue(e.getMessage().startsWith(option + " "), "message must name " + option + ": " + e.getMessage());
    }

    private static void accepts(UnaryOperator<Store.Builder> config) {
        try (Store s = config.apply(Store.builder().activeExpire(false)).open()) {
            assertEquals(Reply.OK, s.execute("SET", "k", "v"));
        }
    }

    @Test
    void databases() {
        for (int bad : new int[] {0, -1, 16385, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            rejects("databases", b -> b.databases(bad));
        }
        accepts(b -> b.databases(1).shards(1));
        accepts(b -> b.databases(16384).shards(1));
        try (Store s = Store.builder().databases(3).shards(2).open()) {
            assertEquals(3, s.databases());
            assertEquals(Reply.error("ERR DB index is out of range"), s.execute("SELECT", "3"));
            assertThrows(IllegalArgumentException.class, () -> s.database(3));
            assertThrows(IllegalArgumentException.class, () -> s.database(-1));
        }
    }

    @Test
    void shards() {
        for (int bad : new int[] {0, -1, 3, 6, 12, 16383, 32768, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            rejects("shards", b -> b.shards(bad));
        }
        accepts(b -> b.shards(1));
        accepts(b -> b.shards(2));
        accepts(b -> b.shards(16384).databases(1));
    }

    @Test
    void hz() {
        for (int bad : new int[] {0, -1, 501, Integer.MAX_VALUE}) {
            rejects("hz", b -> b.hz(bad));
        }
        accepts(b -> b.hz(1).shards(2));
        accepts(b -> b.hz(500).shards(2));
    }

    @Test
    void theFirstBadOptionIsNamed() {
        rejects("databases", b -> b.databases(0).shards(3).hz(0));
        rejects("shards", b -> b.shards(3).hz(0));
    }

    @Test
    void nullClockOrSinkAreRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Store.builder().clock(null).open());
        assertEquals("clock must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Store.builder().propagationSink(null).open());
        assertEquals("propagationSink must not be null", e.getMessage());
    }

    @Test
    void defaults() {
        try (Store s = Store.open()) {
            assertEquals(16, s.databases());
            int shards = Internals.engine(s).keyspace().shardCount();
            assertEquals(1, Integer.bitCount(shards));
            assertTrue(shards >= 1 && shards <= 256, "shards " + shards);
        }
    }
}
