package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lex ranges on listpack-encoded sorted sets whose scores differ: Redis calls the result
 * undefined, but for a listpack it is fully determined by Redis's walk (first element at or above
 * the minimum, then elements while at or below the maximum, never re-checking the minimum), and
 * clients do observe it. ZRANGEBYLEX, ZREVRANGEBYLEX, ZRANGE BYLEX [REV] [LIMIT], ZLEXCOUNT,
 * ZRANGESTORE BYLEX and ZREMRANGEBYLEX must answer exactly as redis-server. (On a skip list the
 * answer depends on random node levels in Redis too, so only listpacks are compared.)
 */
@RequiresRedis
class LexRangeUnorderedDifferentialTest {

    private static final String[] ENDS = {"-", "+", "[a", "(a", "[b", "(b", "[c", "(cc", "[d", "(e", "[f", "(x"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        SplittableRandom r = new SplittableRandom(s);
        List<byte[][]> commands = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            commands.add(Step.argv("DEL", "z", "dst"));
            List<Object> zadd = new ArrayList<>(List.of("ZADD", "z"));
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                zadd.add(Integer.toString(r.nextInt(5)));
                zadd.add(member(r));
            }
            commands.add(Step.argv(zadd.toArray()));
            for (int q = 0; q < 12; q++) {
                String min = ENDS[r.nextInt(ENDS.length)];
                String max = ENDS[r.nextInt(ENDS.length)];
                List<Object> limit = r.nextInt(3) == 0
                        ? List.of("LIMIT", Integer.toString(r.nextInt(4) - (r.nextInt(6) == 0 ? 1 : 0)), Integer.toString(r.nextInt(5) - 1))
                        : List.of();
                List<Object> c = new ArrayList<>();
                switch (r.nextInt(6)) {
                    case 0 -> { c.addAll(List.of("ZRANGEBYLEX", "z", min, max)); c.addAll(limit); }
                    case 1 -> { c.addAll(List.of("ZREVRANGEBYLEX", "z", max, min)); c.addAll(limit); }
                    case 2 -> {
                        c.addAll(List.of("ZRANGE", "z", r.nextBoolean() ? min : max, r.nextBoolean() ? max : min, "BYLEX"));
                        if (r.nextBoolean()) {
                            c.add("REV");
                        }
                        c.addAll(limit);
                    }
                    case 3 -> c.addAll(List.of("ZLEXCOUNT", "z", min, max));
                    case 4 -> { c.addAll(List.of("ZRANGESTORE", "dst", "z", min, max, "BYLEX")); c.addAll(limit); }
                    default -> c.addAll(List.of("ZREMRANGEBYLEX", "z", min, max));
                }
                commands.add(Step.argv(c.toArray()));
                if (c.get(0).equals("ZRANGESTORE") || c.get(0).equals("ZREMRANGEBYLEX")) {
                    commands.add(Step.argv("ZRANGE", c.get(0).equals("ZRANGESTORE") ? "dst" : "z", "0", "-1", "WITHSCORES"));
                }
            }
        }
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).seed(s).runCommands(commands);
        }
    }

    @Test
    void theCaseThatFoundIt(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(List.of(
                Step.of("DEL", "z2"),
                Step.of("ZADD", "z2", "1", "d", "2", "b", "3", "x", "4", "c"),
                Step.of("ZRANGEBYLEX", "z2", "(b", "(x"),
                Step.of("ZREVRANGEBYLEX", "z2", "(x", "(b"),
                Step.of("ZLEXCOUNT", "z2", "(b", "(x"),
                Step.of("ZRANGEBYLEX", "z2", "[c", "+", "LIMIT", "1", "2"),
                Step.of("ZREMRANGEBYLEX", "z2", "(b", "(x"),
                Step.of("ZRANGE", "z2", "0", "-1", "WITHSCORES")));
        }
    }

    private static String member(SplittableRandom r) {
        String alphabet = "abcdef";
        int len = 1 + r.nextInt(2);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
