package io.redjar;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replies checked one by one against a real redis-server 7.0.15 (same commands, same order, on a
 * database holding {@code k = v}).
 */
class RedisRepliesTest {
    private static final String NOT_INT = "ERR value is not an integer or out of range";
    private static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";
    private static final String DB_RANGE = "ERR DB index is out of range";
    private static final String SAME = "ERR source and destination objects are the same";
    private static final String SYNTAX = "ERR syntax error";

    private ManualClock clock;
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        clock = new ManualClock(1_700_000_000_000L);
        store = Store.builder().clock(clock).activeExpire(false).shards(4).open();
        s = store.newSession();
        assertEquals(Reply.OK, s.execute("SET", "k", "v"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void err(String message, String... argv) {
        assertEquals(Reply.error(message), s.execute(argv), String.join(" ", argv));
    }

    private void is(Reply want, String... argv) {
        assertEquals(want, s.execute(argv), String.join(" ", argv));
    }

    @Test
    void getexAndSetExpireErrors() {
        err("ERR invalid expire time in 'getex' command", "GETEX", "k", "EX", "0");
        is(Reply.NULL, "GETEX", "nokey", "EX", "0");
        err(NOT_INT, "GETEX", "k", "EX", "abc");
        is(Reply.NULL, "GETEX", "nokey", "EX", "abc");
        err("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0");
        err(SYNTAX, "SET", "k", "v", "EX", "abc", "NX", "XX");
        err(SYNTAX, "SET", "k", "v", "EX", "10", "KEEPTTL");
        err(SYNTAX, "GETEX", "k", "PERSIST", "EX", "10");
    }

    @Test
    void expireOptionErrors() {
        err("ERR NX and XX, GT or LT options at the same time are not compatible", "EXPIRE", "k", "10", "NX", "XX");
        err("ERR GT and LT options at the same time are not compatible", "EXPIRE", "k", "10", "GT", "LT");
        err("ERR Unsupported option FOO", "EXPIRE", "k", "10", "FOO");
        err("ERR NX and XX, GT or LT options at the same time are not compatible", "EXPIRE", "k", "abc", "NX", "XX");
        err("ERR invalid expire time in 'expire' command", "EXPIRE", "k", "9223372036854775807");
        err("ERR invalid expire time in 'pexpire' command", "PEXPIRE", "k", "9223372036854775807");
        is(Reply.ONE, "EXPIREAT", "k", "-5");
        is(Reply.ZERO, "EXISTS", "k");
    }

    @Test
    void counterErrors() {
        err("ERR decrement would overflow", "DECRBY", "k", "-9223372036854775808");
        err(NOT_INT, "INCR", "k");
        is(Reply.OK, "SET", "n", "9223372036854775807");
        err("ERR increment or decrement would overflow", "INCR", "n");
        is(Reply.integer(1), "INCRBY", "big", "1");
        err(NOT_INT, "GETRANGE", "k", "abc", "1");
        err("ERR offset is out of range", "SETRANGE", "k", "-1", "v");
    }

    @Test
    void selectErrors() {
        err(DB_RANGE, "SELECT", "99");
        err(DB_RANGE, "SELECT", "-1");
        err(NOT_INT, "SELECT", "abc");
        err(NOT_INT, "SELECT", "1.5");
        err(NOT_INT, "SELECT", " 1");
        err(NOT_INT, "SELECT", "01");
        err(INT_RANGE, "SELECT", "99999999999");
        is(Reply.OK, "SELECT", "15");
        assertEquals(15, s.database());
    }

    @Test
    void moveCopySwapdbErrors() {
        err(DB_RANGE, "MOVE", "k", "99");
        err(NOT_INT, "MOVE", "k", "abc");
        err(SAME, "MOVE", "k", "0");
        err(INT_RANGE, "MOVE", "k", "99999999999");
        err(DB_RANGE, "MOVE", "k", "-1");
        err("ERR invalid first DB index", "SWAPDB", "abc", "1");
        err("ERR invalid second DB index", "SWAPDB", "0", "abc");
        err(DB_RANGE, "SWAPDB", "0", "99");
        err("ERR invalid first DB index", "SWAPDB", "99999999999", "0");
        err(DB_RANGE, "SWAPDB", "-1", "0");
        err(SAME, "COPY", "k", "k");
        err(DB_RANGE, "COPY", "k", "k2", "DB", "99");
        err(NOT_INT, "COPY", "k", "k2", "DB", "abc");
        err(INT_RANGE, "COPY", "k", "k2", "DB", "99999999999");
        err(DB_RANGE, "COPY", "k", "k2", "DB", "-1");
        err(SYNTAX, "COPY", "k", "k2", "foo");
    }

    @Test
    void setGetVariantsAndRename() {
        is(new Reply.SimpleString("string"), "TYPE", "k");
        is(new Reply.SimpleString("none"), "TYPE", "nokey");
        is(Reply.NULL, "SET", "k2", "v", "NX", "GET");
        is(Reply.bulk("v"), "SET", "k2", "v", "XX", "GET");
        is(Reply.NULL, "SET", "nk", "v", "XX", "GET");
        is(Reply.NULL, "GET", "nk");
        err("ERR no such key", "RENAME", "nokey", "x");
        is(Reply.ZERO, "RENAMENX", "k", "k");
        is(Reply.OK, "RENAME", "k", "k");
        is(Reply.integer(1), "APPEND", "k", "");
        err("ERR wrong number of arguments for 'mset' command", "MSET", "a");
        err("ERR wrong number of arguments for 'msetnx' command", "MSETNX", "a");
        err("ERR wrong number of arguments for 'mset' command", "MSET", "a", "1", "b");
        err(SYNTAX, "FLUSHDB", "foo");
        is(Reply.bulk(""), "GETRANGE", "nokey", "0", "-1");
        is(Reply.ZERO, "STRLEN", "nokey");
    }

    @Test
    void ttlRoundsToTheNearestSecond() {
        for (long[] c : new long[][] {{600, 1}, {1499, 1}, {1500, 2}, {499, 0}, {1, 0}, {100_000, 100}}) {
            is(Reply.OK, "SET", "p", "v", "PX", Long.toString(c[0]));
            is(Reply.integer(c[1]), "TTL", "p");
            is(Reply.integer(c[0]), "PTTL", "p");
        }
        is(Reply.OK, "SET", "p", "v", "PXAT", Long.toString(clock.millis() + 1560));
        is(Reply.integer((clock.millis() + 1560 + 500) / 1000), "EXPIRETIME", "p");
        is(Reply.integer(clock.millis() + 1560), "PEXPIRETIME", "p");
        is(Reply.integer(-1), "TTL", "k");
        is(Reply.integer(-2), "TTL", "nokey");
        is(Reply.integer(-1), "EXPIRETIME", "k");
        is(Reply.integer(-2), "PEXPIRETIME", "nokey");
    }

    @Test
    void scanArgumentErrors() {
        err(SYNTAX, "SCAN", "0", "COUNT", "0");
        err(SYNTAX, "SCAN", "0", "COUNT", "-1");
        err(NOT_INT, "SCAN", "0", "COUNT", "abc");
        err(SYNTAX, "SCAN", "0", "MATCH");
        err(SYNTAX, "SCAN", "0", "foo", "bar");
        is(Reply.array(Reply.bulk("0"), Reply.EMPTY_ARRAY), "SCAN", "0", "TYPE", "foo");
        is(Reply.array(Reply.bulk("0"), Reply.array(Reply.bulk("k"))), "SCAN", "0", "TYPE", "STRING", "COUNT", "1000");
    }
}
