package io.redjar;

import io.redjar.SortedSets.AddOptions;
import io.redjar.SortedSets.LexRange;
import io.redjar.SortedSets.ScoreRange;
import io.redjar.SortedSets.ScoredMember;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link SortedSets} handle: results, errors, and the same data as {@code execute()}. */
class SortedSetsHandleTest {

    private static Map<String, Double> scores(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    @Test
    void addScoreRankRange() {
        try (Store store = Store.open()) {
            SortedSets z = store.sortedSets();
            assertEquals(3, z.zadd("z", scores("a", 1, "b", 2, "c", 3)));
            assertTrue(z.zadd("z", 4, "d"));
            assertFalse(z.zadd("z", 5, "d"));
            assertFalse(z.zadd("z", 9, "a", AddOptions.none().nx()));
            assertTrue(z.zadd("z", 0.5, "a", AddOptions.none().xx().ch()));
            assertFalse(z.zadd("z", 7, "a", AddOptions.none().lt().ch()));
            assertEquals(1, z.zadd("z", scores("a", 0.25, "b", 2), AddOptions.none().ch()));
            assertEquals(0.25, z.zscore("z", "a"));
            assertNull(z.zscore("z", "nope"));
            assertEquals(Arrays.asList(0.25, null, 5.0), z.zmscore("z", "a", "x", "d"));
            assertEquals(4, z.zcard("z"));
            assertEquals(0L, z.zrank("z", "a"));
            assertEquals(0L, z.zrevrank("z", "d"));
            assertNull(z.zrank("z", "nope"));
            assertEquals(3.0, z.zincrby("z", 1, "b"));
            assertEquals(List.of("a", "b", "c", "d"), z.zrange("z", 0, -1)); // ties in byte order
            assertEquals(List.of("d", "c"), z.zrevrange("z", 0, 1));
            assertEquals(List.of(new ScoredMember("a", 0.25), new ScoredMember("b", 3)), z.zrangeWithScores("z", 0, 1));
            assertEquals(List.of(new ScoredMember("d", 5)), z.zrevrangeWithScores("z", 0, 0));
            assertEquals(List.of("b", "c"), z.zrangeByScore("z", ScoreRange.closed(1, 3)));
            assertEquals(List.of(), z.zrangeByScore("z", ScoreRange.open(3, 3)));
            assertEquals(List.of("d", "c", "b"), z.zrevrangeByScore("z", ScoreRange.greaterThan(1)));
            assertEquals(List.of("c"), z.zrangeByScore("z", ScoreRange.all(), 2, 1));
            assertEquals(List.of(new ScoredMember("d", 5)), z.zrangeByScoreWithScores("z", ScoreRange.parse("(3", "+inf")));
            assertEquals(3, z.zcount("z", ScoreRange.atMost(3)));
            assertEquals(1, z.zcount("z", ScoreRange.lessThan(3)));
        }
    }

    @Test
    void lexPopRemoveRandomScan() {
        try (Store store = Store.open()) {
            SortedSets z = store.sortedSets();
            z.zadd("lex", scores("a", 0, "b", 0, "c", 0, "d", 0, "e", 0));
            assertEquals(List.of("b", "c"), z.zrangeByLex("lex", LexRange.closed("b", "c")));
            assertEquals(List.of("c"), z.zrangeByLex("lex", LexRange.open("b", "d")));
            assertEquals(List.of("e", "d"), z.zrevrangeByLex("lex", LexRange.atLeast("d")));
            assertEquals(List.of("b"), z.zrangeByLex("lex", LexRange.all(), 1, 1));
            assertEquals(2, z.zlexcount("lex", LexRange.lessThan("c")));
            assertEquals(1, z.zremrangeByLex("lex", LexRange.parse("[e", "+")));
            assertEquals(1, z.zremrangeByRank("lex", 0, 0));
            assertEquals(List.of("b", "c", "d"), z.zrange("lex", 0, -1));

            z.zadd("s", scores("x", 1, "y", 2, "w", 3, "v", 4));
            assertEquals(2, z.zremrangeByScore("s", ScoreRange.parse("(1", "3")));
            assertEquals(new ScoredMember("x", 1), z.zpopmin("s"));
            assertEquals(List.of(new ScoredMember("v", 4)), z.zpopmax("s", 5));
            assertNull(z.zpopmin("s"));
            assertEquals(List.of(), z.zpopmax("s", 2));
            assertEquals(0, store.keys().exists("s"));

            assertTrue(List.of("b", "c", "d").contains(z.zrandmember("lex")));
            assertNull(z.zrandmember("missing"));
            assertEquals(Set.of("b", "c", "d"), new HashSet<>(z.zrandmember("lex", 10)));
            assertEquals(List.of("d", "c", "b"), z.zrandmember("lex", 10), "the whole set comes highest first, as in Redis 7.0");
            assertEquals(5, z.zrandmember("lex", -5).size());
            assertEquals(2, z.zrandmemberWithScores("lex", 2).size());
            assertEquals(2, z.zrem("lex", "b", "nope", "c"));

            Map<String, Double> big = new LinkedHashMap<>();
            for (int i = 0; i < 300; i++) {
                big.put("m" + i, (double) i);
            }
            z.zadd("big", big);
            Set<String> seen = new HashSet<>();
            for (Iterator<ScoredMember> it = z.zscan("big", null, 20); it.hasNext(); ) {
                ScoredMember m = it.next();
                assertEquals(big.get(m.member()), m.score());
                seen.add(m.member());
            }
            assertEquals(big.keySet(), seen);
            List<ScoredMember> matched = new ArrayList<>();
            z.zscan("big", "m1?", 50).forEachRemaining(matched::add);
            assertEquals(10, new HashSet<>(matched).size());
            assertFalse(z.zscan("missing", null, 10).hasNext());
        }
    }

    @Test
    void errorsAreRedisErrors() {
        try (Store store = Store.open()) {
            SortedSets z = store.sortedSets();
            store.strings().set("s", "x");
            assertThrows(WrongTypeException.class, () -> z.zadd("s", 1, "a"));
            assertThrows(WrongTypeException.class, () -> z.zrange("s", 0, -1));
            RedJarException e = assertThrows(RedJarException.class, () -> z.zadd("z", 1, "a", AddOptions.none().nx().xx()));
            assertEquals("ERR XX and NX options at the same time are not compatible", e.getMessage());
            e = assertThrows(RedJarException.class, () -> z.zadd("z", 1, "a", AddOptions.none().gt().lt()));
            assertEquals("ERR GT, LT, and/or NX options at the same time are not compatible", e.getMessage());
            e = assertThrows(RedJarException.class, () -> z.zadd("z", Double.NaN, "a"));
            assertEquals("ERR value is not a valid float", e.getMessage());
            z.zadd("z", Double.POSITIVE_INFINITY, "a");
            e = assertThrows(RedJarException.class, () -> z.zincrby("z", Double.NEGATIVE_INFINITY, "a"));
            assertEquals("ERR resulting score is not a number (NaN)", e.getMessage());
            e = assertThrows(RedJarException.class, () -> ScoreRange.parse("x", "1"));
            assertEquals("ERR min or max is not a float", e.getMessage());
            e = assertThrows(RedJarException.class, () -> LexRange.parse("a", "+"));
            assertEquals("ERR min or max not valid string range item", e.getMessage());
            e = assertThrows(RedJarException.class, () -> z.zpopmin("z", -1));
            assertEquals("ERR value is out of range, must be positive", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ScoreRange.closed(Double.NaN, 1));
        }
    }

    @Test
    void handlesAndExecuteSeeTheSameData() {
        try (Store store = Store.open()) {
            SortedSets z = store.sortedSets();
            z.zadd("z", 1.5, "a");
            assertEquals(new Reply.DoubleReply(1.5), store.execute("ZSCORE", "z", "a"));
            store.execute("ZADD", "z", "2", "b");
            assertEquals(List.of(new ScoredMember("a", 1.5), new ScoredMember("b", 2)), z.zrangeWithScores("z", 0, -1));
            assertEquals("zset", store.keys().type("z"));
            store.database(2).sortedSets().zadd("z", 9, "only-in-2");
            assertEquals(Reply.integer(1), store.database(2).execute("ZCARD", "z"));
            assertEquals(2, z.zcard("z"));
        }
    }
}
