package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.KeyTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RENAME, RENAMENX and COPY look the source up, then the destination. When the destination has
 * expired, that second lookup deletes it, which can shrink (rebuild) the table both keys live in:
 * the source's slot number from the first lookup is then stale.
 */
class ExpiredDestinationTest {

    private static final long T0 = 1_000_000_000L;

    /** A store whose only table (1 shard, 1 db) holds src and an expired dst, sized so deleting dst shrinks it. */
    private static Store prepare(ManualClock clock, String src) {
        Store s = Store.builder().shards(1).databases(2).clock(clock).activeExpire(false).open();
        for (int i = 0; i < 10; i++) {
            s.strings().set("filler" + i, "v");
        }
        s.strings().set(src, "SRC-" + src);
        assertEquals(Reply.OK, s.execute("SET", "dst", "old", "PX", "10"));
        for (int i = 0; i < 10; i++) {
            s.keys().del("filler" + i);
        }
        KeyTable t = Internals.engine(s).keyspace().shard(0).table(0);
        assertEquals(2, t.size());
        assertTrue(t.capacity() > 10 * (t.size() - 1), "the next delete must shrink the table: capacity " + t.capacity());
        clock.set(T0 + 20);
        return s;
    }

    @Test
    void renameOntoAnExpiredKeyThatShrinksTheTable() {
        for (int n = 0; n < 32; n++) {
            ManualClock clock = new ManualClock(T0);
            String src = "src" + n;
            try (Store s = prepare(clock, src)) {
                assertEquals(Reply.OK, s.execute("RENAME", src, "dst"));
                assertEquals("SRC-" + src, s.strings().get("dst"), src);
                assertEquals(List.of("dst"), s.keys().keys("*"));
                assertEquals(1, s.keys().dbSize());
            }
        }
    }

    @Test
    void renamenxOntoAnExpiredKeyThatShrinksTheTable() {
        for (int n = 0; n < 32; n++) {
            ManualClock clock = new ManualClock(T0);
            String src = "src" + n;
            try (Store s = prepare(clock, src)) {
                assertEquals(Reply.ONE, s.execute("RENAMENX", src, "dst"));
                assertEquals("SRC-" + src, s.strings().get("dst"), src);
                assertEquals(List.of("dst"), s.keys().keys("*"));
            }
        }
    }

    @Test
    void copyOntoAnExpiredKeyThatShrinksTheTable() {
        for (int n = 0; n < 32; n++) {
            ManualClock clock = new ManualClock(T0);
            String src = "src" + n;
            try (Store s = prepare(clock, src)) {
                assertEquals(Reply.ONE, s.execute("COPY", src, "dst"));
                assertEquals("SRC-" + src, s.strings().get("dst"), src);
                assertEquals("SRC-" + src, s.strings().get(src), src);
                assertEquals(2, s.keys().dbSize());
            }
        }
    }

    @Test
    void copyWithTtlOntoAnExpiredKeyKeepsTheSourceTtl() {
        ManualClock clock = new ManualClock(T0);
        try (Store s = prepare(clock, "src")) {
            assertEquals(Reply.ONE, s.execute("PEXPIRE", "src", "5000"));
            assertEquals(Reply.ONE, s.execute("COPY", "src", "dst", "REPLACE"));
            assertEquals(5000, s.keys().pttl("dst"));
            clock.advance(Duration.ofMillis(5000));
            assertEquals(Reply.integer(-2), s.execute("PTTL", "dst"));
        }
    }
}
