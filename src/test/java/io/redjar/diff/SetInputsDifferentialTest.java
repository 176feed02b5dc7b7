package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Plain sets (intset and hashtable) as inputs to the sorted-set algebra commands, vs redis-server. */
@RequiresRedis
class SetInputsDifferentialTest {

    @Test
    void setsCountAsScoreOneMembers(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3); // the harness speaks RESP3 to redis-server
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("SADD", "si", "1", "2", "3"),
                Step.of("SADD", "sh", "a", "b", "2"),
                Step.of("ZADD", "z", "5", "a", "7", "2", "-1", "q"),
                Step.of("OBJECT", "ENCODING", "si"),
                Step.of("OBJECT", "ENCODING", "sh"),
                Step.of("ZUNION", "3", "si", "sh", "z", "WITHSCORES"),
                Step.of("ZINTER", "2", "sh", "z", "WITHSCORES"),
                Step.of("ZINTER", "2", "si", "sh", "WEIGHTS", "2", "3", "WITHSCORES"),
                Step.of("ZDIFF", "2", "sh", "z", "WITHSCORES"),
                Step.of("ZUNIONSTORE", "dst", "2", "si", "z", "AGGREGATE", "MAX"),
                Step.of("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
                Step.of("ZINTERSTORE", "dst2", "2", "si", "sh"),
                Step.of("ZRANGE", "dst2", "0", "-1", "WITHSCORES"),
                Step.of("ZINTERCARD", "2", "si", "sh"),
                Step.of("ZDIFFSTORE", "dst3", "2", "si", "sh"),
                Step.of("ZRANGE", "dst3", "0", "-1", "WITHSCORES"),
                Step.of("SET", "str", "x"),
                Step.of("ZUNION", "2", "si", "str"),
                Step.of("ZUNIONSTORE", "si", "2", "si", "z"),
                Step.of("TYPE", "si"),
                Step.of("ZRANGE", "si", "0", "-1", "WITHSCORES")));
        }
    }
}
