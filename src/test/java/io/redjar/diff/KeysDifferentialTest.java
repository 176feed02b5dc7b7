package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.KeyCommandGenerator;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random string and generic-key command sequences, multiple databases included, vs redis-server. */
@RequiresRedis
class KeysDifferentialTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        redis.call("SELECT", "0");
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new KeyCommandGenerator(s), 3000);
        } finally {
            redis.call("FLUSHALL");
        }
    }
}
