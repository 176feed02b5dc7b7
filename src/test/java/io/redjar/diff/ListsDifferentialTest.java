package io.redjar.diff;

import io.redjar.internal.Internals;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random non-blocking list command sequences vs redis-server, with the default node size and with
 * tiny ones on both sides ({@code list-max-listpack-size} 2 and 3 entries, -1 = 4 KiB), so node
 * splits, merges and removals happen all the time.
 */
@RequiresRedis
class ListsDifferentialTest {

    @ParameterizedTest(name = "seed {0}, list-max-listpack-size {1}")
    @CsvSource({"101,-2", "102,-2", "103,-2", "104,1", "105,2", "106,2", "107,3", "108,3", "109,-1", "110,-1", "111,5"})
    void randomSequences(long seed, int fill, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("SELECT", "0");
        redis.call("FLUSHALL");
        redis.call("CONFIG", "SET", "list-max-listpack-size", Integer.toString(fill));
        try (Store store = Store.open()) {
            Internals.engine(store).limits().listMaxListpackSize = fill;
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new ListCommandGenerator(s), 2000);
        } finally {
            redis.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            redis.call("FLUSHALL");
        }
    }
}
