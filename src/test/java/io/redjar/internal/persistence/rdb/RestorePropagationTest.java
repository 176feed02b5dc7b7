package io.redjar.internal.persistence.rdb;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.testing.ReplyFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RESTORE propagates as Redis 7.0's {@code restoreCommand} rewrites it: a relative TTL becomes an
 * absolute one with ABSTTL appended, an absolute or no TTL goes as called, a refused RESTORE
 * propagates nothing, and one whose TTL has already passed propagates a DEL of the key REPLACE
 * removed (nothing when there was none).
 */
class RestorePropagationTest {
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void restorePropagatesAsRedisRewritesIt() {
        List<String> seen = new ArrayList<>();
        try (Store s = Store.builder().clock(new ManualClock(NOW))
            .propagationSink((db, argv) -> seen.add(db + " " + ReplyFormat.command(argv))).open()) {
            s.execute("SET", "a", "1");
            byte[] p = ((Reply.Bulk) s.execute(b("DUMP"), b("a"))).value();
            String q = ReplyFormat.argument(p);
            seen.clear();
            s.execute(b("RESTORE"), b("b"), b("1000"), p);
            s.execute(b("RESTORE"), b("c"), b("0"), p, b("IDLETIME"), b("5"));
            s.execute(b("RESTORE"), b("d"), b(Long.toString(NOW + 9)), p, b("ABSTTL"));
            s.execute(b("RESTORE"), b("a"), b("0"), p); // BUSYKEY: nothing
            s.execute(b("RESTORE"), b("a"), b("1"), p, b("REPLACE"), b("ABSTTL")); // past: DEL a
            s.execute(b("RESTORE"), b("e"), b("1"), p, b("ABSTTL")); // past, nothing removed: nothing
            s.database(2).execute(b("RESTORE"), b("f"), b("0"), p);
            assertEquals(List.of(
                "0 RESTORE b " + (NOW + 1000) + " " + q + " ABSTTL",
                "0 RESTORE c 0 " + q + " IDLETIME 5",
                "0 RESTORE d " + (NOW + 9) + " " + q + " ABSTTL",
                "0 DEL a",
                "2 RESTORE f 0 " + q), seen);
        }
    }

    @Test
    void keysHandleDumpsAndRestores() {
        try (Store s = Store.builder().clock(new ManualClock(NOW)).open()) {
            s.execute("RPUSH", "l", "a", "b");
            byte[] p = s.keys().dump("l");
            assertEquals(null, s.keys().dump("nokey"));
            s.keys().restore("m", java.time.Duration.ofSeconds(10), p, false);
            assertEquals(Reply.integer(NOW + 10_000), s.execute("PEXPIRETIME", "m"));
            io.redjar.RedJarException e = org.junit.jupiter.api.Assertions.assertThrows(io.redjar.RedJarException.class,
                () -> s.keys().restore("m", java.time.Duration.ZERO, p, false));
            assertEquals("BUSYKEY Target key name already exists.", e.getMessage());
            s.keys().restore("m", java.time.Duration.ZERO, p, true);
            assertEquals(Reply.integer(-1), s.execute("PTTL", "m"));
            assertEquals(s.execute("LRANGE", "l", "0", "-1"), s.execute("LRANGE", "m", "0", "-1"));
            e = org.junit.jupiter.api.Assertions.assertThrows(io.redjar.RedJarException.class,
                () -> s.keys().restore("x", java.time.Duration.ZERO, b("not a dump payload"), false));
            assertEquals("ERR DUMP payload version or checksum are wrong", e.getMessage());
        }
    }
}
