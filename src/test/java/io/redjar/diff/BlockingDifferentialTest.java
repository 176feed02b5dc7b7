package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Blocking commands where one connection can observe them: immediate service, argument errors,
 * WRONGTYPE, and short timeouts, compared with redis-server. (Service across clients is covered by
 * BlockingTest and the RESP module's BlockingWireTest.)
 */
@RequiresRedis
class BlockingDifferentialTest {

    @Test
    void handWritten(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3); // the harness speaks RESP3 to redis-server
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("RPUSH", "l", "a", "b", "c"),
                Step.of("BLPOP", "nokey", "l", "0"),
                Step.of("BRPOP", "l", "nokey", "0"),
                Step.of("BLPOP", "nokey", "0.01"),
                Step.of("BLPOP", "l", "-1"),
                Step.of("BLPOP", "l", "abc"),
                Step.of("BLPOP", "l", "1e400"),
                Step.of("BLPOP", "l", "0x10"),
                Step.of("BLPOP", "l"),
                Step.of("SET", "s", "x"),
                Step.of("BLPOP", "s", "0"),
                Step.of("BLPOP", "l", "s", "0"),
                Step.of("RPUSH", "l", "d", "e"),
                Step.of("BLMOVE", "l", "m", "LEFT", "RIGHT", "0"),
                Step.of("BLMOVE", "l", "m", "UP", "RIGHT", "0"),
                Step.of("BLMOVE", "l", "s", "LEFT", "RIGHT", "0"),
                Step.of("BRPOPLPUSH", "l", "m", "0"),
                Step.of("BRPOPLPUSH", "nokey", "m", "0.01"),
                Step.of("BLMOVE", "nokey", "m", "LEFT", "LEFT", "0.01"),
                Step.of("LRANGE", "m", "0", "-1"),
                Step.of("RPUSH", "l2", "1", "2", "3"),
                Step.of("BLMPOP", "0", "2", "nokey", "l2", "LEFT", "COUNT", "2"),
                Step.of("BLMPOP", "0", "2", "nokey", "l2", "RIGHT"),
                Step.of("BLMPOP", "0.01", "1", "nokey", "LEFT"),
                Step.of("BLMPOP", "0", "0", "l2", "LEFT"),
                Step.of("BLMPOP", "0", "1", "l2", "MIDDLE"),
                Step.of("BLMPOP", "0", "1", "l2", "LEFT", "COUNT", "0"),
                Step.of("BLMPOP", "0", "3", "l2", "LEFT"),
                Step.of("ZADD", "z", "1", "a", "2", "b", "-inf", "c"),
                Step.of("BZPOPMIN", "nokey", "z", "0"),
                Step.of("BZPOPMAX", "z", "0"),
                Step.of("BZPOPMIN", "s", "0"),
                Step.of("BZPOPMIN", "nokey", "0.01"),
                Step.of("BZPOPMIN", "z", "-0.5"),
                Step.of("ZADD", "z2", "1", "a", "2", "b", "3", "c"),
                Step.of("BZMPOP", "0", "2", "nokey", "z2", "MIN", "COUNT", "2"),
                Step.of("BZMPOP", "0", "1", "z2", "MAX"),
                Step.of("BZMPOP", "0.01", "1", "nokey", "MAX"),
                Step.of("BZMPOP", "0", "0", "z2", "MIN"),
                Step.of("BZMPOP", "0", "1", "z2", "SIDEWAYS"),
                Step.of("BZMPOP", "0", "1", "z2", "MIN", "COUNT", "0"),
                Step.of("BZMPOP", "0", "1", "s", "MIN"),
                Step.of("BZMPOP", "-1", "1", "z2", "MIN"),
                Step.of("EXISTS", "z", "l", "l2", "m", "z2")));
        }
    }
}
