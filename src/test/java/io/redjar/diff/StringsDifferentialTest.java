package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import io.redjar.testing.StringCommandGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/**
 * The same string and key command sequences sent to a real redis-server and to RedJar's
 * {@code Session.execute}; replies must be identical (TTL replies within a tolerance).
 */
@RequiresRedis
class StringsDifferentialTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new StringCommandGenerator(s), 3000);
        }
    }

    @Test
    void handWrittenEdgeCases(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("SET", "k", "v", "NX", "XX"),
                Step.of("SET", "k", "v", "EX", "10", "PX", "100"),
                Step.of("SET", "k", "v", "EX", "10", "EX", "20"),
                Step.of("SET", "k", "v", "KEEPTTL", "EX", "10"),
                Step.of("SET", "k", "v", "EX", "0"),
                Step.of("SET", "k", "v", "EX", "-5"),
                Step.of("SET", "k", "v", "EX", "abc"),
                Step.of("SET", "k", "v", "EX", "9223372036854775807"),
                Step.of("SET", "k", "v", "PX", "9223372036854775807"),
                Step.of("SET", "k", "v", "EX"),
                Step.of("SET", "k", "v", "GET"),
                Step.of("SET", "k", "w", "NX", "GET"),
                Step.of("SET", "n", "10"),
                Step.of("INCRBY", "n", "9223372036854775800"),
                Step.of("INCRBY", "n", "abc"),
                Step.of("DECRBY", "n", "-9223372036854775808"),
                Step.of("INCR", "k"),
                Step.of("SET", "z", "007"),
                Step.of("INCR", "z"),
                Step.of("SET", "neg0", "-0"),
                Step.of("INCR", "neg0"),
                Step.of("SET", "sp", " 1"),
                Step.of("INCR", "sp"),
                Step.of("OBJECT", "ENCODING", "n"),
                Step.of("OBJECT", "ENCODING", "k"),
                Step.of("SET", "big", "x".repeat(45)),
                Step.of("OBJECT", "ENCODING", "big"),
                Step.of("SET", "e44", "x".repeat(44)),
                Step.of("OBJECT", "ENCODING", "e44"),
                Step.of("APPEND", "n", "1"),
                Step.of("OBJECT", "ENCODING", "n"),
                Step.of("OBJECT", "REFCOUNT", "z"),
                Step.of("OBJECT", "REFCOUNT", "k"),
                Step.of("OBJECT", "REFCOUNT", "missing"),
                Step.of("OBJECT", "ENCODING", "missing"),
                Step.of("OBJECT", "FREQ", "k"),
                Step.of("OBJECT", "NOPE", "k"),
                Step.of("OBJECT"),
                Step.of("OBJECT", "ENCODING"),
                Step.of("OBJECT", "HELP"),
                Step.of("GETRANGE", "k", "0", "-1"),
                Step.of("GETRANGE", "k", "-1", "-5"),
                Step.of("GETRANGE", "k", "5", "1"),
                Step.of("GETRANGE", "missing", "0", "-1"),
                Step.of("SETRANGE", "k", "-1", "x"),
                Step.of("SETRANGE", "fresh", "3", "abc"),
                Step.of("GET", "fresh"),
                Step.of("SETRANGE", "fresh2", "3", ""),
                Step.of("EXISTS", "fresh2"),
                Step.of("OBJECT", "ENCODING", "fresh"),
                Step.of("MSET", "a", "1", "b"),
                Step.of("MSET", "a", "1", "b", "2"),
                Step.of("MSETNX", "a", "1", "c", "3"),
                Step.of("MGET", "a", "b", "c", "n"),
                Step.of("EXPIRE", "a", "100", "NX", "XX"),
                Step.of("EXPIRE", "a", "100", "GT", "LT"),
                Step.of("EXPIRE", "a", "100", "FOO"),
                Step.of("EXPIRE", "a", "100", "GT"),
                Step.of("EXPIRE", "a", "100", "LT"),
                Step.of("TTL", "a"),
                Step.of("EXPIRE", "a", "50", "LT"),
                Step.of("EXPIRE", "a", "9223372036854775807"),
                Step.of("PEXPIRE", "a", "9223372036854775807"),
                Step.of("EXPIRE", "a", "-1"),
                Step.of("EXISTS", "a"),
                Step.of("EXPIRETIME", "b"),
                Step.of("PEXPIRETIME", "nokey"),
                Step.of("EXPIREAT", "b", "1"),
                Step.of("EXISTS", "b"),
                Step.of("RENAME", "nokey", "x"),
                Step.of("RENAME", "k", "k"),
                Step.of("RENAMENX", "k", "k"),
                Step.of("COPY", "k", "k"),
                Step.of("COPY", "k", "k2", "DB", "99"),
                Step.of("COPY", "k", "k2", "DB", "x"),
                Step.of("COPY", "k", "k2", "FOO"),
                Step.of("COPY", "k", "k2", "DB"),
                Step.of("MOVE", "k", "0"),
                Step.of("MOVE", "k", "99"),
                Step.of("MOVE", "k", "abc"),
                Step.of("MOVE", "k", "1"),
                Step.of("EXISTS", "k"),
                Step.of("SELECT", "1"),
                Step.of("GET", "k"),
                Step.of("SELECT", "0"),
                Step.of("SELECT", "16"),
                Step.of("SELECT", "abc"),
                Step.of("SWAPDB", "0", "1"),
                Step.of("GET", "k"),
                Step.of("SWAPDB", "0", "x"),
                Step.of("SWAPDB", "x", "0"),
                Step.of("SWAPDB", "0", "100"),
                Step.of("SWAPDB", "1", "0"),
                Step.of("SCAN", "abc"),
                Step.of("SCAN", "0", "COUNT", "0"),
                Step.of("SCAN", "0", "COUNT", "x"),
                Step.of("SCAN", "0", "FOO", "x"),
                Step.of("SCAN", "0", "MATCH"),
                Step.of("KEYS", "*").unordered(),
                Step.of("KEYS", "[a-c]").unordered(),
                Step.of("TYPE", "a"),
                Step.of("TYPE", "nokey"),
                Step.of("GETEX", "b", "PERSIST", "EX", "10"),
                Step.of("GETEX", "b", "EX", "0"),
                Step.of("GETEX", "c", "EX", "abc"),
                Step.of("GETEX", "nokey", "EX", "abc"),
                Step.of("GETEX", "c", "PX", "100000"),
                Step.of("GETEX", "c", "PERSIST"),
                Step.of("TTL", "c"),
                Step.of("GETEX", "c", "EXAT", "1"),
                Step.of("EXISTS", "c"),
                Step.of("GETDEL", "nokey"),
                Step.of("FLUSHDB", "foo"),
                Step.of("FLUSHDB", "ASYNC", "x"),
                Step.of("PING"),
                Step.of("PING", "hello"),
                Step.of("PING", "a", "b"),
                Step.of("ECHO", "x"),
                Step.of("NOSUCHCMD", "a", "b"),
                Step.of("GET"),
                Step.of("TOUCH", "a", "b", "nokey"),
                Step.of("UNLINK", "b", "c", "nokey"),
                Step.of("DEL", "nokey"),
                Step.of("FLUSHALL"),
                Step.of("DBSIZE"),
                Step.of("RANDOMKEY")));
        }
    }
}
