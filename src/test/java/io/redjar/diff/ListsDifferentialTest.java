package io.redjar.diff;

import io.redjar.internal.Internals;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random non-blocking list command sequences vs redis-server, with the default node size and with
 * tiny ones on both sides ({@code list-max-listpack-size} 2 and 3 entries, -1 = 4 KiB), so node
 * splits, merges and removals happen all the time; and with {@code list-compress-depth} 1 and 2, so
 * interior nodes are LZF-compressed and decompressed as the operations reach them. DUMP payloads of
 * compressed lists restore both ways.
 */
@RequiresRedis
class ListsDifferentialTest {

    @ParameterizedTest(name = "seed {0}, list-max-listpack-size {1}, list-compress-depth {2}")
    @CsvSource({"101,-2,0", "102,-2,0", "103,-2,0", "104,1,0", "105,2,0", "106,2,0", "107,3,0", "108,3,0", "109,-1,0",
        "110,-1,0", "111,5,0", "112,2,1", "113,3,2", "114,-1,1", "115,1,1", "116,-2,2"})
    void randomSequences(long seed, int fill, int depth, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("SELECT", "0");
        redis.call("FLUSHALL");
        redis.call("CONFIG", "SET", "list-max-listpack-size", Integer.toString(fill));
        redis.call("CONFIG", "SET", "list-compress-depth", Integer.toString(depth));
        try (Store store = Store.open()) {
            store.execute("CONFIG", "SET", "list-max-listpack-size", Integer.toString(fill));
            store.execute("CONFIG", "SET", "list-compress-depth", Integer.toString(depth));
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new ListCommandGenerator(s), 2000);
            Internals.engine(store).keyspace().verifyIntegrity();
        } finally {
            redis.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            redis.call("CONFIG", "SET", "list-compress-depth", "0");
            redis.call("FLUSHALL");
        }
    }

    /** A compressed list's DUMP restores on the other side (Redis writes compressed nodes as LZF blobs; so do we). */
    @ParameterizedTest(name = "list-compress-depth {0}")
    @CsvSource({"1", "2"})
    void compressedListsDumpBothWays(int depth, RespClient redis) {
        redis.call("FLUSHALL");
        redis.call("CONFIG", "SET", "list-compress-depth", Integer.toString(depth));
        redis.call("CONFIG", "SET", "list-max-listpack-size", "4");
        try (Store store = Store.open()) {
            store.execute("CONFIG", "SET", "list-compress-depth", Integer.toString(depth));
            store.execute("CONFIG", "SET", "list-max-listpack-size", "4");
            for (int i = 0; i < 200; i++) {
                String v = "element-" + i + "-" + "abc".repeat(i % 40);
                redis.call("RPUSH", "l", v);
                store.execute("RPUSH", "l", v);
            }
            Reply want = redis.call("LRANGE", "l", "0", "-1");
            assertEquals(want, store.execute("LRANGE", "l", "0", "-1"));
            // Redis -> RedJar
            byte[] fromRedis = ((Reply.Bulk) redis.call("DUMP", "l")).value();
            assertEquals(Reply.OK, store.execute(b("RESTORE"), b("r"), b("0"), fromRedis));
            assertEquals(want, store.execute("LRANGE", "r", "0", "-1"));
            // RedJar -> Redis
            byte[] fromUs = ((Reply.Bulk) store.execute("DUMP", "l")).value();
            assertEquals(Reply.OK, redis.call(b("RESTORE"), b("r2"), b("0"), fromUs));
            assertEquals(want, redis.call("LRANGE", "r2", "0", "-1"));
            Internals.engine(store).keyspace().verifyIntegrity();
        } finally {
            redis.call("CONFIG", "SET", "list-compress-depth", "0");
            redis.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            redis.call("FLUSHALL");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
