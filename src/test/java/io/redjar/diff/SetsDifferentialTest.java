package io.redjar.diff;

import io.redjar.internal.Internals;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.SetCommandGenerator;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Set command sequences sent to a real redis-server 7.0 and to RedJar; replies must match (set
 * replies unordered, random replies by shape), with the default {@code set-max-intset-entries}
 * and with a small one so that conversions to hashtable happen all the time.
 */
@RequiresRedis
class SetsDifferentialTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new SetCommandGenerator(s), 2000);
        }
    }

    @ParameterizedTest(name = "seed {0}, set-max-intset-entries {0}")
    @ValueSource(longs = {0, 1, 3, 5})
    void randomSequencesSmallIntset(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed + 100);
        String limit = Long.toString(seed);
        try (Store store = Store.open()) {
            assertEquals(Reply.OK, redis.call("CONFIG", "SET", "set-max-intset-entries", limit));
            Internals.engine(store).limits().setMaxIntsetEntries = (int) seed;
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).run(new SetCommandGenerator(s), 2000);
        } finally {
            redis.call("CONFIG", "SET", "set-max-intset-entries", "512");
        }
    }

    @Test
    void handWrittenEdgeCases(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("SADD", "s"),
                Step.of("SADD", "s", "1", "2", "3", "2"),
                Step.of("OBJECT", "ENCODING", "s"),
                Step.of("SADD", "s", "-0"),
                Step.of("OBJECT", "ENCODING", "s"),
                Step.of("SREM", "s", "-0", "1", "2"),
                Step.of("OBJECT", "ENCODING", "s"),
                Step.of("SADD", "t", "a", "1"),
                Step.of("OBJECT", "ENCODING", "t"),
                Step.of("SADD", "u", "1", "a"),
                Step.of("OBJECT", "ENCODING", "u"),
                Step.of("SREM", "u", "a", "1", "x"),
                Step.of("EXISTS", "u"),
                Step.of("SADD", "big", "9223372036854775807", "-9223372036854775808", "0"),
                Step.of("SMEMBERS", "big"),
                Step.of("SSCAN", "big", "0"),
                Step.of("SSCAN", "big", "0", "MATCH", "-*"),
                Step.of("SSCAN", "big", "0", "COUNT", "0"),
                Step.of("SSCAN", "big", "0", "COUNT", "x"),
                Step.of("SSCAN", "big", "0", "TYPE", "set"),
                Step.of("SSCAN", "big", "x"),
                Step.of("SSCAN", "nokey", "0", "COUNT", "0"),
                Step.of("SSCAN", "nokey", "x"),
                Step.of("SINTERSTORE", "d", "t", "s"),
                Step.of("OBJECT", "ENCODING", "d"),
                Step.of("SUNIONSTORE", "d", "t", "s"),
                Step.of("OBJECT", "ENCODING", "d"),
                Step.of("SDIFFSTORE", "d", "t", "u"),
                Step.of("SMEMBERS", "d"),
                Step.of("SDIFFSTORE", "d", "s", "t"),
                Step.of("OBJECT", "ENCODING", "d"),
                Step.of("SINTERSTORE", "d", "s", "nokey"),
                Step.of("EXISTS", "d"),
                Step.of("SET", "str", "x"),
                Step.of("SINTER", "nokey", "str"),
                Step.of("SUNION", "s", "str"),
                Step.of("SDIFF", "nokey", "str"),
                Step.of("SINTERSTORE", "str", "s"),
                Step.of("TYPE", "str"),
                Step.of("SMOVE", "nokey", "str", "a"),
                Step.of("SET", "str", "x"),
                Step.of("SMOVE", "s", "str", "3"),
                Step.of("SMOVE", "str", "s", "3"),
                Step.of("SMOVE", "s", "s", "3"),
                Step.of("SMOVE", "s", "s", "4"),
                Step.of("SMOVE", "s", "fresh", "3"),
                Step.of("EXISTS", "s"),
                Step.of("OBJECT", "ENCODING", "fresh"),
                Step.of("SMOVE", "t", "fresh", "a"),
                Step.of("OBJECT", "ENCODING", "fresh"),
                Step.of("SINTERCARD", "0", "s"),
                Step.of("SINTERCARD", "x", "s"),
                Step.of("SINTERCARD", "3", "s"),
                Step.of("SINTERCARD", "1", "t", "LIMIT", "-1"),
                Step.of("SINTERCARD", "1", "t", "LIMIT", "x"),
                Step.of("SINTERCARD", "1", "t", "LIMIT"),
                Step.of("SINTERCARD", "1", "t", "LIMIT", "1"),
                Step.of("SINTERCARD", "1", "t", "LIMIT", "0"),
                Step.of("SINTERCARD", "2", "t", "fresh", "LIMIT", "5", "LIMIT", "1"),
                Step.of("SINTERCARD", "1", "str"),
                Step.of("SPOP", "t", "x"),
                Step.of("SPOP", "t", "-1"),
                Step.of("SPOP", "t", "1", "2"),
                Step.of("SPOP", "nokey"),
                Step.of("SPOP", "nokey", "3"),
                Step.of("SPOP", "str", "0"),
                Step.of("SPOP", "fresh", "0"),
                Step.of("SPOP", "fresh", "5"),
                Step.of("EXISTS", "fresh"),
                Step.of("SRANDMEMBER", "nokey"),
                Step.of("SRANDMEMBER", "nokey", "5"),
                Step.of("SRANDMEMBER", "str", "0"),
                Step.of("SRANDMEMBER", "t", "x"),
                Step.of("SRANDMEMBER", "t", "-9223372036854775808"),
                Step.of("SRANDMEMBER", "t", "1", "2"),
                Step.of("SMISMEMBER", "nokey", "a", "b"),
                Step.of("SMISMEMBER", "str", "a"),
                Step.of("SMEMBERS", "nokey"),
                Step.of("SCARD", "str"),
                Step.of("SISMEMBER", "str", "a"),
                Step.of("SADD", "str", "a"),
                Step.of("SREM", "str", "a"),
                Step.of("SREM", "nokey", "a"),
                Step.of("COPY", "big", "big2"),
                Step.of("OBJECT", "ENCODING", "big2"),
                Step.of("SMEMBERS", "big2"),
                Step.of("RENAME", "t", "t2"),
                Step.of("OBJECT", "ENCODING", "t2"),
                Step.of("SMEMBERS", "t2"),
                Step.of("TYPE", "t2"),
                Step.of("EXPIRE", "t2", "1000"),
                Step.of("SADD", "t2", "zz"),
                Step.of("TTL", "t2"),
                Step.of("SUNIONSTORE", "t2", "t2", "big"),
                Step.of("TTL", "t2"),
                Step.of("EXPIRE", "big", "1000"),
                Step.of("SPOP", "big", "2").compareWith((e, a) -> ((Reply.SetReply) e).elements().size() == ((Reply.SetReply) a).elements().size()
                    ? java.util.Optional.empty() : java.util.Optional.of("size differs")),
                Step.of("TTL", "big"),
                Step.of("SINTERCARD", "9223372036854775807", "t2"),
                Step.of("SINTERCARD", "2", "t2", "t2", "LIMIT", "9223372036854775807"),
                Step.of("SMISMEMBER", "t2"),
                Step.of("SDIFF", "t2", "nokey", "t2"),
                Step.of("SDIFF", "t2", "nokey"),
                Step.of("SINTER", "t2", "t2")));
        }
    }

    /** SPOP with and without a count on the same sets in both servers: sizes, membership, encoding. */
    @Test
    void spopInvariants(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            Random rnd = new Random(7);
            for (int round = 0; round < 200; round++) {
                List<String> members = new ArrayList<>();
                int n = 1 + rnd.nextInt(25);
                boolean words = rnd.nextBoolean();
                for (int i = 0; i < n; i++) {
                    members.add(words && rnd.nextInt(4) == 0 ? "w" + i : Integer.toString(i * 3 - 7));
                }
                long count = rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(n + 2);
                checkSpop(redis::call, members, count);
                checkSpop(session::execute, members, count);
            }
        }
    }

    private static void checkSpop(Function<String[], Reply> target, List<String> members, long count) {
        target.apply(new String[] {"DEL", "p"});
        List<String> add = new ArrayList<>(List.of("SADD", "p"));
        add.addAll(members);
        target.apply(add.toArray(new String[0]));
        Set<String> before = new HashSet<>(members);
        Set<String> popped = new HashSet<>();
        if (count < 0) {
            Reply r = target.apply(new String[] {"SPOP", "p"});
            popped.add(((Reply.Bulk) r).asString());
        } else {
            Reply r = target.apply(new String[] {"SPOP", "p", Long.toString(count)});
            Reply.SetReply set = assertInstanceOf(Reply.SetReply.class, r);
            assertEquals(Math.min(count, before.size()), set.elements().size(), "SPOP reply size");
            for (Reply m : set.elements()) {
                assertTrue(popped.add(((Reply.Bulk) m).asString()), "SPOP returned a member twice");
            }
        }
        Set<String> left = new HashSet<>();
        Reply rest = target.apply(new String[] {"SMEMBERS", "p"});
        for (Reply m : ((Reply.SetReply) rest).elements()) {
            left.add(((Reply.Bulk) m).asString());
        }
        Set<String> all = new HashSet<>(left);
        all.addAll(popped);
        assertEquals(before, all, "popped + remaining = the set");
        assertEquals(before.size(), left.size() + popped.size(), "popped and remaining are disjoint");
        Reply enc = target.apply(new String[] {"OBJECT", "ENCODING", "p"});
        if (left.isEmpty()) {
            assertEquals(Reply.NULL, enc);
            return;
        }
        boolean allInts = before.stream().allMatch(m -> !m.startsWith("w"));
        boolean leftInts = left.stream().allMatch(m -> !m.startsWith("w"));
        long remaining = left.size();
        boolean rebuilt = count > 0 && remaining * 5 <= count; // Redis's SPOP CASE 3
        String expected = allInts || (rebuilt && leftInts) ? "intset" : "hashtable";
        assertEquals(expected, ((Reply.Bulk) enc).asString(), "encoding after SPOP " + count + " of " + before);
    }
}
