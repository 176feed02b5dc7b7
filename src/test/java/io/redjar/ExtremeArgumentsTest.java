package io.redjar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes, offsets and counts at the edges of the 64-bit range, embedded: every one must end in
 * Redis's reply (the replies below are redis-server 7.0.15's), never in arithmetic that wraps
 * before native memory (which killed the JVM: {@code SETRANGE K 9223372036854775807 A}).
 * {@code diff.ExtremeArgumentsDifferentialTest} compares the same edges against a live server.
 */
class ExtremeArgumentsTest {
    static final String MAX = "9223372036854775807";
    static final String MIN = "-9223372036854775808";
    static final String TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    static final String OUT_OF_LONG_MAX_RANGE =
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    @Test
    void embeddedSetRangeAtLongMaxMinusOneThrowsRedisErrorInsteadOfCrashing() {
        try (Store store = Store.open()) {
            RedJarException e = assertThrows(RedJarException.class,
                () -> store.strings().setrange("K", Long.MAX_VALUE - 1, "AB"));
            assertEquals(TOO_BIG, e.getMessage());
            assertEquals(0, store.keys().exists("K"));
            store.strings().set("K", "hello");
            e = assertThrows(RedJarException.class, () -> store.strings().setrange("K", Long.MAX_VALUE, "A"));
            assertEquals(TOO_BIG, e.getMessage());
            assertEquals("hello", store.strings().get("K"));
            assertEquals(5, store.strings().setrange("K", Long.MAX_VALUE, ""));
            assertThrows(RedJarException.class, () -> store.strings().setrange("K", -1, "A"));
            // the store keeps working
            assertEquals(7, store.strings().setrange("K", 5, "!!"));
            assertEquals("hello!!", store.strings().get("K"));
        }
    }

    @Test
    void setRangeCommandAtLongMaxRepliesRedisError() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            assertEquals(new Reply.ErrorReply(TOO_BIG), s.execute("SETRANGE", "K", MAX, "A"));
            assertEquals(new Reply.ErrorReply(TOO_BIG), s.execute("SETRANGE", "K", "9223372036854775806", "AB"));
            assertEquals(new Reply.ErrorReply(TOO_BIG), s.execute("SETRANGE", "K", "536870912", "A"));
            assertEquals(new Reply.ErrorReply("ERR offset is out of range"), s.execute("SETRANGE", "K", MIN, "A"));
            assertEquals(new Reply.IntegerReply(0), s.execute("SETRANGE", "K", MAX, ""));
            assertEquals(new Reply.IntegerReply(0), s.execute("EXISTS", "K"));
            assertEquals(new Reply.IntegerReply(3), s.execute("SETRANGE", "K", "2", "A"));
        }
    }

    @Test
    void stringLimitFollowsProtoMaxBulkLen() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            assertEquals(Reply.OK, s.execute("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
            assertEquals(new Reply.IntegerReply(1 << 20), s.execute("SETRANGE", "p", "1048575", "A"));
            assertEquals(new Reply.ErrorReply(TOO_BIG), s.execute("SETRANGE", "p", "1048575", "AB"));
            assertEquals(new Reply.ErrorReply(TOO_BIG), s.execute("APPEND", "p", "A"));
            assertEquals(new Reply.IntegerReply(1 << 20), s.execute("STRLEN", "p"));
            // LCS's transient table is held to the same limit: 601 * 601 * 4 bytes > 1 MiB
            s.execute("SET", "a", "x".repeat(600));
            s.execute("SET", "b", "x".repeat(600));
            assertEquals(new Reply.ErrorReply("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                s.execute("LCS", "a", "b"));
            assertEquals(Reply.OK, s.execute("CONFIG", "SET", "proto-max-bulk-len", "512mb"));
            assertEquals(new Reply.IntegerReply(600), s.execute("LCS", "a", "b", "LEN"));
            assertEquals(new Reply.IntegerReply((1 << 20) + 1), s.execute("APPEND", "p", "A"));
        }
    }

    /** Redis 7.0.15's replies to extreme counts, one row per command: argv, then the reply. */
    static List<Object[]> extremeCounts() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(row("SRANDMEMBER s " + MIN, OUT_OF_LONG_MAX_RANGE));
        rows.add(row("HRANDFIELD h " + MIN, OUT_OF_LONG_MAX_RANGE));
        rows.add(row("HRANDFIELD nokey " + MIN + " WITHVALUES", OUT_OF_LONG_MAX_RANGE));
        rows.add(row("ZRANDMEMBER z " + MIN, OUT_OF_LONG_MAX_RANGE));
        // a negative count no Java list can hold (Redis would try to build the reply): refused by the ops
        rows.add(row("SRANDMEMBER s -" + MAX, "ERR value is out of range"));
        rows.add(row("HRANDFIELD h -" + MAX, "ERR value is out of range"));
        rows.add(row("ZRANDMEMBER z -" + MAX, "ERR value is out of range"));
        rows.add(row("HRANDFIELD h -4611686018427387904 WITHVALUES", "ERR value is out of range"));
        rows.add(row("HRANDFIELD h 4611686018427387904 WITHVALUES", "ERR value is out of range"));
        rows.add(row("ZRANDMEMBER z 4611686018427387904 WITHSCORES", "ERR value is out of range"));
        rows.add(row("ZRANDMEMBER nokey " + MAX + " WITHSCORES", "ERR value is out of range"));
        rows.add(row("SPOP s -1", "ERR value is out of range, must be positive"));
        rows.add(row("SPOP s " + MIN, "ERR value is out of range, must be positive"));
        rows.add(row("LPOP l -1", "ERR value is out of range, must be positive"));
        rows.add(row("LPOS l a RANK 0", "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
        rows.add(row("LPOS l a COUNT -1", "ERR COUNT can't be negative"));
        rows.add(row("LPOS l a MAXLEN " + MIN, "ERR MAXLEN can't be negative"));
        rows.add(row("LMPOP " + MAX + " l LEFT", "ERR syntax error"));
        rows.add(row("LMPOP 4294967297 l LEFT", "ERR syntax error"));
        rows.add(row("LMPOP 1 l LEFT COUNT 0", "ERR count should be greater than 0"));
        rows.add(row("ZMPOP 1 z MIN COUNT " + MIN, "ERR count should be greater than 0"));
        rows.add(row("INCRBY n " + MAX, "ERR increment or decrement would overflow"));
        rows.add(row("DECRBY n " + MIN, "ERR decrement would overflow"));
        rows.add(row("HINCRBY h a " + MAX, "ERR increment or decrement would overflow"));
        rows.add(row("SET k v EX " + MAX, "ERR invalid expire time in 'set' command"));
        rows.add(row("SET k v EX 9223372036854776", "ERR invalid expire time in 'set' command"));
        rows.add(row("SET k v PX " + MAX, "ERR invalid expire time in 'set' command"));
        rows.add(row("SETEX k " + MAX + " v", "ERR invalid expire time in 'setex' command"));
        rows.add(row("GETEX n EX " + MAX, "ERR invalid expire time in 'getex' command"));
        rows.add(row("EXPIRE n " + MAX, "ERR invalid expire time in 'expire' command"));
        rows.add(row("PEXPIRE n " + MAX, "ERR invalid expire time in 'pexpire' command"));
        rows.add(row("ZINCRBY z nan a", "ERR value is not a valid float"));
        rows.add(row("INCRBYFLOAT f inf", "ERR increment would produce NaN or Infinity"));
        rows.add(row("INCRBYFLOAT f 1e4933", "ERR value is not a valid float"));
        rows.add(row("HRANDFIELD h " + MIN + " WITHVALUES", OUT_OF_LONG_MAX_RANGE));
        return rows;
    }

    private static Object[] row(String command, String error) {
        return new Object[] {command, error};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extremeCounts")
    void extremeArgumentsGetRedisErrors(String command, String error) {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            s.execute("SADD", "s", "1", "2", "3");
            s.execute("HSET", "h", "a", "1", "b", "2");
            s.execute("ZADD", "z", "1", "a", "2", "b");
            s.execute("RPUSH", "l", "a", "b", "a");
            s.execute("SET", "n", "1");
            s.execute("SET", "f", "1e308");
            s.execute("HINCRBY", "h", "a", "1");
            assertEquals(new Reply.ErrorReply(error), s.execute(command.split(" ")));
        }
    }

    @Test
    void randomCountsThroughTheTypedHandles() {
        try (Store store = Store.open()) {
            store.sets().sadd("s", "a", "b");
            store.hashes().hset("h", "f", "v");
            store.sortedSets().zadd("z", 1, "a");
            RedJarException e = assertThrows(RedJarException.class, () -> store.sets().srandmember("s", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.hashes().hrandfield("h", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.hashes().hrandfield("nokey", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.sortedSets().zrandmember("z", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.sortedSets().zrandmemberWithScores("z", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.hashes().hrandfieldWithValues("h", Long.MIN_VALUE));
            assertEquals(OUT_OF_LONG_MAX_RANGE, e.getMessage());
            e = assertThrows(RedJarException.class, () -> store.sortedSets().zrandmemberWithScores("z", Long.MAX_VALUE));
            assertEquals("ERR value is out of range", e.getMessage());
            // real Redis would try to build a reply of -count elements; RedJar refuses a count no
            // Java list can hold instead of running out of memory
            // Java list can hold instead of running out of memory: the typed handles say so with an
            // IllegalArgumentException naming the count, before touching the store (the ops' own
            // check, reached by the commands, is in extremeArgumentsGetRedisErrors' rows)
            for (long huge : new long[] {-Long.MAX_VALUE, -Long.MAX_VALUE / 2, -(long) Integer.MAX_VALUE}) {
                IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> store.sets().srandmember("s", huge));
                assertTrue(iae.getMessage().startsWith("count is out of range"), iae.getMessage());
                iae = assertThrows(IllegalArgumentException.class, () -> store.hashes().hrandfield("h", huge));
                assertTrue(iae.getMessage().startsWith("count is out of range"), iae.getMessage());
                iae = assertThrows(IllegalArgumentException.class, () -> store.sortedSets().zrandmember("z", huge));
                assertTrue(iae.getMessage().startsWith("count is out of range"), iae.getMessage());
            }
            assertEquals(2, store.sets().srandmember("s", Long.MAX_VALUE).size());
            assertEquals(1, store.hashes().hrandfield("h", Long.MAX_VALUE).size());
            assertEquals(3, store.sets().srandmember("s", -3).size());
        }
    }

    @Test
    void rangesWithExtremeIndexesThroughTheTypedHandles() {
        try (Store store = Store.open()) {
            store.strings().set("s", "hello");
            assertArrayEquals("hello".getBytes(), store.strings().getrange("s".getBytes(), Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals("", store.strings().getrange("s", Long.MAX_VALUE, Long.MIN_VALUE));
            assertEquals("o", store.strings().getrange("s", -1, Long.MAX_VALUE));
            assertEquals("h", store.strings().getrange("s", Long.MIN_VALUE, Long.MIN_VALUE + 1)); // as Redis
            assertEquals("", store.strings().getrange("s", Long.MIN_VALUE + 1, Long.MIN_VALUE));
            store.lists().rpush("l", "a", "b", "c");
            assertEquals(List.of("a", "b", "c"), store.lists().lrange("l", Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(List.of(), store.lists().lrange("l", Long.MAX_VALUE, Long.MIN_VALUE));
            assertEquals(null, store.lists().lindex("l", Long.MIN_VALUE));
            assertEquals(null, store.lists().lindex("l", Long.MAX_VALUE));
            store.sortedSets().zadd("z", 1, "a");
            assertEquals(List.of("a"), store.sortedSets().zrange("z", Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void expireTimeAtTheLargestPxatRoundsLikeRedis() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            assertEquals(Reply.OK, s.execute("SET", "e", "v", "PXAT", MAX));
            assertEquals(new Reply.IntegerReply(Long.MAX_VALUE), s.execute("PEXPIRETIME", "e"));
            assertEquals(new Reply.IntegerReply(9223372036854776L), s.execute("EXPIRETIME", "e"));
            assertFalse(s.execute("TTL", "e") instanceof Reply.ErrorReply);
        }
    }
}
