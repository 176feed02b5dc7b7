package io.redjar;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every typed-handle method that takes a size, offset, index or count, called with the edges of
 * the long range on small values: each call returns or throws a {@link RedJarException} (Redis's
 * error); none may throw anything else, run out of memory, or touch native memory out of bounds.
 */
class ExtremeLongsTypedApiTest {
    static final long[] EDGES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -Long.MAX_VALUE / 2 - 1, -(1L << 32), -(1L << 31) - 1,
        -2, -1, 0, 1, 2, (1L << 31), (1L << 32) + 1, Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    interface Call {
        Object run(Store store, long a, long b);
    }

    @Test
    void typedHandlesAnswerOrThrowRedisErrors() {
        List<String> failures = new ArrayList<>();
        List<Object[]> calls = List.of(
            new Object[] {"setRange", (Call) (st, a, b) -> st.strings().setrange("s", a, "AB")},
            new Object[] {"setRange empty", (Call) (st, a, b) -> st.strings().setrange("s", a, "")},
            new Object[] {"getRange", (Call) (st, a, b) -> st.strings().getrange("s", a, b)},
            new Object[] {"lrange", (Call) (st, a, b) -> st.lists().lrange("l", a, b)},
            new Object[] {"lindex", (Call) (st, a, b) -> st.lists().lindex("l", a)},
            new Object[] {"lset", (Call) (st, a, b) -> { st.lists().lset("l", a, "z"); return null; }},
            new Object[] {"lrem", (Call) (st, a, b) -> st.lists().lrem("l", a, "q")},
            new Object[] {"lpos", (Call) (st, a, b) -> st.lists().lpos("l", "a", a == 0 ? 1 : a, Math.abs(b == Long.MIN_VALUE ? 0 : b), 0)},
            new Object[] {"lpos maxlen", (Call) (st, a, b) -> st.lists().lpos("l", "a", 1, 0, a)},
            new Object[] {"lpop", (Call) (st, a, b) -> st.lists().lpop("l2", a)},
            new Object[] {"rpop", (Call) (st, a, b) -> st.lists().rpop("l2", a)},
            new Object[] {"lmpop", (Call) (st, a, b) -> st.lists().lmpop(Lists.End.LEFT, a, "l2")},
            new Object[] {"spop", (Call) (st, a, b) -> st.sets().spop("s2", a)},
            new Object[] {"srandmember", (Call) (st, a, b) -> st.sets().srandmember("set", a)},
            new Object[] {"sintercard", (Call) (st, a, b) -> st.sets().sintercard(a, "set")},
            new Object[] {"hrandfield", (Call) (st, a, b) -> st.hashes().hrandfield("h", a)},
            new Object[] {"hrandfieldWithValues", (Call) (st, a, b) -> st.hashes().hrandfieldWithValues("h", a)},
            new Object[] {"zrange", (Call) (st, a, b) -> st.sortedSets().zrange("z", a, b)},
            new Object[] {"zrevrangeWithScores", (Call) (st, a, b) -> st.sortedSets().zrevrangeWithScores("z", a, b)},
            new Object[] {"zrangeByScore limit", (Call) (st, a, b) -> st.sortedSets().zrangeByScore("z", SortedSets.ScoreRange.all(), a, b)},
            new Object[] {"zpopmin", (Call) (st, a, b) -> st.sortedSets().zpopmin("z2", a)},
            new Object[] {"zpopmax", (Call) (st, a, b) -> st.sortedSets().zpopmax("z2", a)},
            new Object[] {"zmpop", (Call) (st, a, b) -> st.sortedSets().zmpop(SortedSets.End.MIN, a, "z2")},
            new Object[] {"zrandmember", (Call) (st, a, b) -> st.sortedSets().zrandmember("z", a)},
            new Object[] {"zrandmemberWithScores", (Call) (st, a, b) -> st.sortedSets().zrandmemberWithScores("z", a)},
            new Object[] {"incrBy", (Call) (st, a, b) -> st.strings().incrBy("n", a)},
            new Object[] {"decrBy", (Call) (st, a, b) -> st.strings().decrBy("n", a)},
            new Object[] {"hincrBy", (Call) (st, a, b) -> st.hashes().hincrBy("h", "n", a)});
        try (Store store = Store.open()) {
            for (Object[] c : calls) {
                String name = (String) c[0];
                Call call = (Call) c[1];
                for (long a : EDGES) {
                    for (long b : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
                        store.execute("FLUSHALL");
                        store.strings().set("s", "hello");
                        store.strings().set("ok", "hello");
                        store.strings().set("n", "10");
                        store.lists().rpush("l", "a", "b", "c", "a");
                        store.lists().rpush("l2", "a", "b", "c");
                        store.sets().sadd("set", "a", "b", "c");
                        store.sets().sadd("s2", "a", "b", "c");
                        store.hashes().hset("h", "f", "v");
                        store.sortedSets().zadd("z", 1, "a");
                        store.sortedSets().zadd("z2", 1, "a");
                        try {
                            call.run(store, a, b);
                        } catch (RedJarException expected) {
                            assertTrue(expected.getMessage().startsWith("ERR ") || expected.getMessage().startsWith("WRONGTYPE"),
                                expected.getMessage());
                        } catch (IllegalArgumentException expected) {
                            // the typed API's own limit (a count no Java list can hold): it must name the parameter
                            assertTrue(expected.getMessage().startsWith("count is out of range"), expected.getMessage());
                        } catch (Throwable t) {
                            failures.add(name + "(" + a + ", " + b + ") threw " + t);
                        }
                        assertEquals("hello", store.strings().get("ok"), "store still readable after " + name);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }
}
