package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.StreamCommandGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream command sequences (no consumer groups) against a real redis-server, with the default
 * node limits and with tiny ones (so trims, deletes and ranges cross many nodes), followed by a
 * keyspace integrity check.
 */
@RequiresRedis
class StreamsDifferentialTest {

    private static Session session(Store store, int protocol) {
        Session s = store.newSession();
        s.protocol(protocol);
        return s;
    }

    private static void run(RespClient redis, long seed, long nodeBytes, long nodeEntries, int protocol) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("FLUSHALL");
        redis.call("HELLO", Integer.toString(protocol));
        redis.call("CONFIG", "SET", "stream-node-max-bytes", Long.toString(nodeBytes));
        redis.call("CONFIG", "SET", "stream-node-max-entries", Long.toString(nodeEntries));
        try (Store store = Store.open()) {
            CollectionLimits l = Internals.engine(store).limits();
            l.streamNodeMaxBytes = nodeBytes;
            l.streamNodeMaxEntries = nodeEntries;
            new DifferentialRunner(redis, session(store, protocol)::execute).seed(s).run(new StreamCommandGenerator(s), 3000);
            Internals.engine(store).keyspace().verifyIntegrity();
        } finally {
            redis.call("CONFIG", "SET", "stream-node-max-bytes", "4096");
            redis.call("CONFIG", "SET", "stream-node-max-entries", "100");
            redis.call("HELLO", "3");
            redis.call("FLUSHALL");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void defaultLimits(long seed, RespClient redis) {
        run(redis, seed, 4096, 100, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void tinyNodes(long seed, RespClient redis) {
        run(redis, seed, 4096, 3, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void tinyNodeBytes(long seed, RespClient redis) {
        run(redis, seed, 60, 4, 3);
    }
}
