package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.StreamGroupCommandGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer-group command sequences against a real redis-server (PELs, XPENDING, XCLAIM, XAUTOCLAIM
 * cursors and deleted ids, XINFO GROUPS / CONSUMERS / STREAM FULL with the time fields masked, lag
 * and entries-read), with the default node limits and tiny ones, under RESP3 and RESP2, each run
 * followed by a keyspace integrity check (which walks the groups' blocks).
 */
@RequiresRedis
class StreamGroupsDifferentialTest {

    private static void run(RespClient redis, long seed, long nodeEntries, int protocol) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("FLUSHALL");
        redis.call("HELLO", Integer.toString(protocol));
        redis.call("CONFIG", "SET", "stream-node-max-entries", Long.toString(nodeEntries));
        try (Store store = Store.open()) {
            CollectionLimits l = Internals.engine(store).limits();
            l.streamNodeMaxEntries = nodeEntries;
            Session session = store.newSession();
            session.protocol(protocol);
            java.util.function.Function<byte[][], Reply> candidate = protocol >= 3 ? session::execute
                : argv -> resp2(session.execute(argv));
            new DifferentialRunner(redis, candidate).seed(s).run(new StreamGroupCommandGenerator(s), 3000);
            Internals.engine(store).keyspace().verifyIntegrity();
        } finally {
            redis.call("CONFIG", "SET", "stream-node-max-entries", "100");
            redis.call("HELLO", "3");
            redis.call("FLUSHALL");
        }
    }

    /** What a RESP2 client reads: maps flattened to arrays (the wire's downgrade). */
    private static Reply resp2(Reply r) {
        if (r instanceof Reply.Map m) {
            return Reply.array(m.flat().stream().map(StreamGroupsDifferentialTest::resp2).toList());
        }
        if (r instanceof Reply.ArrayReply a) {
            return Reply.array(a.elements().stream().map(StreamGroupsDifferentialTest::resp2).toList());
        }
        return r;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void defaultLimits(long seed, RespClient redis) {
        run(redis, seed, 100, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void tinyNodes(long seed, RespClient redis) {
        run(redis, seed, 3, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void resp2(long seed, RespClient redis) {
        run(redis, seed, 4, 2);
    }
}
