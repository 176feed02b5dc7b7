package io.redjar.diff;

import io.redjar.internal.Internals;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.HashCommandGenerator;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Hash command sequences against a real redis-server, with the default listpack limits and with
 * small ones (so that conversions to hashtable happen all the time).
 */
@RequiresRedis
class HashesDifferentialTest {

    private static Session session(Store store) {
        Session s = store.newSession();
        s.protocol(3);
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void defaultLimits(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("FLUSHALL");
        redis.call("SELECT", "0");
        try (Store store = Store.open()) {
            new DifferentialRunner(redis, session(store)::execute).seed(s).run(new HashCommandGenerator(s), 2000);
        } finally {
            redis.call("SELECT", "0");
            redis.call("FLUSHALL");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void smallLimits(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("FLUSHALL");
        redis.call("CONFIG", "SET", "hash-max-listpack-entries", "4");
        redis.call("CONFIG", "SET", "hash-max-listpack-value", "8");
        try (Store store = Store.open()) {
            CollectionLimits l = Internals.engine(store).limits();
            l.hashMaxListpackEntries = 4;
            l.hashMaxListpackValue = 8;
            new DifferentialRunner(redis, session(store)::execute).seed(s).run(new HashCommandGenerator(s, 8), 2000);
        } finally {
            redis.call("SELECT", "0");
            redis.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
            redis.call("CONFIG", "SET", "hash-max-listpack-value", "64");
            redis.call("FLUSHALL");
        }
    }

    /** Growth past 128 fields (hash-max-listpack-entries 128 on both sides), then shrinking back to nothing. */
    @Test
    void bigHash(RespClient redis) {
        redis.call("FLUSHALL");
        redis.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 140; i++) {
            steps.add(Step.of("HSET", "h", "f" + i, Integer.toString(i * 7)));
            if (i % 20 == 0 || i >= 126 && i <= 130) {
                steps.add(Step.of("OBJECT", "ENCODING", "h"));
                steps.add(Step.of("HLEN", "h"));
            }
        }
        steps.add(Step.of("HGETALL", "h").unordered());
        steps.add(Step.of("HSCAN", "h", "0", "COUNT", "1000", "MATCH", "f1*").compareWith(io.redjar.testing.ReplyComparator.UNORDERED_DEEP));
        for (int i = 0; i < 140; i += 3) {
            steps.add(Step.of("HDEL", "h", "f" + i, "f" + (i + 1), "f" + (i + 2), "nope"));
        }
        steps.add(Step.of("EXISTS", "h"));
        try (Store store = Store.builder().config("hash-max-listpack-entries", "128").open()) {
            new DifferentialRunner(redis, session(store)::execute).run(steps);
        } finally {
            redis.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
            redis.call("FLUSHALL");
        }
    }

    @Test
    void handWrittenEdgeCases(RespClient redis) {
        redis.call("FLUSHALL");
        redis.call("SELECT", "0");
        try (Store store = Store.open()) {
            new DifferentialRunner(redis, session(store)::execute).run(List.of(
                Step.of("HSET", "h", "a"),
                Step.of("HSET", "h", "a", "1", "b"),
                Step.of("HMSET", "h", "a"),
                Step.of("HSET", "h"),
                Step.of("HSET", "h", "b", "2", "a", "1", "c", "3", "a", "9"),
                Step.of("HGETALL", "h"),
                Step.of("HKEYS", "h"),
                Step.of("HVALS", "h"),
                Step.of("HMSET", "h", "d", "4"),
                Step.of("HSETNX", "h", "d", "5"),
                Step.of("HSETNX", "h", "e", "5"),
                Step.of("HSCAN", "h", "0"),
                Step.of("HSCAN", "h", "12345", "COUNT", "1"),
                Step.of("HSCAN", "h", "0", "MATCH", "[a-c]"),
                Step.of("HSCAN", "h", "0", "COUNT", "0"),
                Step.of("HSCAN", "h", "0", "COUNT", "abc"),
                Step.of("HSCAN", "h", "0", "TYPE", "hash"),
                Step.of("HSCAN", "h", "0", "MATCH"),
                Step.of("HSCAN", "h", "abc"),
                Step.of("HSCAN", "nokey", "0", "FOO"),
                Step.of("HSCAN", "nokey", "x"),
                Step.of("HINCRBY", "h", "a", "5"),
                Step.of("HINCRBY", "h", "a", "9223372036854775807"),
                Step.of("HINCRBY", "h", "n", "-9223372036854775808"),
                Step.of("HINCRBY", "h", "n", "-1"),
                Step.of("HINCRBY", "h", "n", "x"),
                Step.of("HSET", "h", "s", "abc", "z", "007", "sp", " 1"),
                Step.of("HINCRBY", "h", "s", "1"),
                Step.of("HINCRBY", "h", "z", "1"),
                Step.of("HINCRBY", "h", "sp", "1"),
                Step.of("HINCRBYFLOAT", "h", "s", "1"),
                Step.of("HINCRBYFLOAT", "h", "z", "1.5"),
                Step.of("HINCRBYFLOAT", "h", "f", "0.1"),
                Step.of("HINCRBYFLOAT", "h", "f", "0.2"),
                Step.of("HINCRBYFLOAT", "h", "f", "inf"),
                Step.of("HINCRBYFLOAT", "h", "f", "nan"),
                Step.of("HINCRBYFLOAT", "h", "f", "abc"),
                Step.of("HINCRBYFLOAT", "h", "f", "1e308"),
                Step.of("HINCRBYFLOAT", "h", "f", "3.0e3"),
                Step.of("HINCRBYFLOAT", "newkey", "f", "inf"),
                Step.of("EXISTS", "newkey"),
                Step.of("HGET", "h", "f"),
                Step.of("HSTRLEN", "h", "f"),
                Step.of("HSTRLEN", "h", "nope"),
                Step.of("HMGET", "h", "a", "nope", "f"),
                Step.of("HMGET", "nokey", "a", "b"),
                Step.of("HRANDFIELD", "nokey"),
                Step.of("HRANDFIELD", "nokey", "5"),
                Step.of("HRANDFIELD", "h", "0"),
                Step.of("HRANDFIELD", "h", "100").unordered(),
                Step.of("HRANDFIELD", "h", "100", "WITHVALUES").compareWith(io.redjar.testing.ReplyComparator.UNORDERED_DEEP),
                Step.of("HRANDFIELD", "h", "1", "WITHVALUES").compareWith(HashCommandGenerator.SHAPE),
                Step.of("HRANDFIELD", "h", "-5", "WITHVALUES").compareWith(HashCommandGenerator.SHAPE),
                Step.of("HRANDFIELD", "h", "x"),
                Step.of("HRANDFIELD", "h", "1", "FOO"),
                Step.of("HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"),
                Step.of("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
                Step.of("OBJECT", "ENCODING", "h"),
                Step.of("HSET", "h", "long", "x".repeat(65)),
                Step.of("OBJECT", "ENCODING", "h"),
                Step.of("HSET", "h2", "x".repeat(65), "v"),
                Step.of("OBJECT", "ENCODING", "h2"),
                Step.of("HSET", "h3", "f", "v"),
                Step.of("HINCRBYFLOAT", "h3", "f2", "1.00000000000000000000000000000000000000000000000000000000000000001"),
                Step.of("OBJECT", "ENCODING", "h3"),
                Step.of("HINCRBYFLOAT", "h3", "x".repeat(70), "1"),
                Step.of("OBJECT", "ENCODING", "h3"),
                Step.of("HSET", "h4", "f", "v"),
                Step.of("HINCRBY", "h4", "x".repeat(70), "1"),
                Step.of("OBJECT", "ENCODING", "h4"),
                Step.of("SET", "str", "x"),
                Step.of("HSET", "str", "a", "1"),
                Step.of("HGET", "str", "a"),
                Step.of("HMGET", "str", "a"),
                Step.of("HRANDFIELD", "str", "0"),
                Step.of("HSCAN", "str", "0", "FOO"),
                Step.of("HSCAN", "str", "x"),
                Step.of("HLEN", "str"),
                Step.of("HGETALL", "nokey"),
                Step.of("HKEYS", "nokey"),
                Step.of("HDEL", "h", "a", "b", "c", "d", "e", "n", "s", "z", "sp", "f", "long"),
                Step.of("EXISTS", "h"),
                Step.of("COPY", "h2", "h5"),
                Step.of("OBJECT", "ENCODING", "h5"),
                Step.of("HGETALL", "h5"),
                Step.of("RENAME", "h5", "h6"),
                Step.of("HGETALL", "h6"),
                Step.of("TYPE", "h6")));
        } finally {
            redis.call("FLUSHALL");
        }
    }
}
