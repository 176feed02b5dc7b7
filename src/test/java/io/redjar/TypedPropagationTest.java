package io.redjar;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Typed calls propagate the command they stand for, written by the operations (no handle builds
 * argv): each typed call is run on one store and its textual form on another, from the same
 * data, and the propagated commands must be the same.
 */
class TypedPropagationTest {

    private static List<List<String>> run(Consumer<Store> setup, Consumer<Store> call) {
        List<List<String>> log = Collections.synchronizedList(new ArrayList<>());
        boolean[] recording = {false};
        try (Store store = Store.builder().propagationSink((db, argv) -> {
            if (recording[0]) {
                List<String> a = new ArrayList<>();
                for (byte[] b : argv) {
                    a.add(new String(b, StandardCharsets.UTF_8));
                }
                log.add(a);
            }
        }).open()) {
            setup.accept(store);
            recording[0] = true;
            call.accept(store);
        }
        return log;
    }

    private static void same(String what, Consumer<Store> typed, String... textual) {
        Consumer<Store> setup = s -> {
            s.execute("ZADD", "z", "1", "a", "2", "b", "3", "c", "4.5", "d");
            s.execute("SADD", "s1", "a", "b", "c");
            s.execute("SADD", "s2", "b", "c", "d");
        };
        List<List<String>> t = run(setup, typed);
        List<List<String>> x = run(setup, s -> s.execute(textual));
        assertFalse(x.isEmpty(), what + ": the textual form wrote nothing");
        assertEquals(x, t, what);
    }

    @Test
    void typedWritesPropagateTheirCommand() {
        Map<String, Double> two = new LinkedHashMap<>();
        two.put("e", 0.1);
        two.put("a", 7.0);
        same("zadd", s -> s.sortedSets().zadd("z", two, SortedSets.AddOptions.none().xx().ch().gt()),
            "ZADD", "z", "XX", "GT", "CH", "0.10000000000000001", "e", "7", "a");
        same("zincrby", s -> s.sortedSets().zincrby("z", 2.5, "a"), "ZINCRBY", "z", "2.5", "a");
        same("zrem", s -> s.sortedSets().zrem("z", "a", "x"), "ZREM", "z", "a", "x");
        same("zremrangeByRank", s -> s.sortedSets().zremrangeByRank("z", 0, -3), "ZREMRANGEBYRANK", "z", "0", "-3");
        same("zremrangeByScore", s -> s.sortedSets().zremrangeByScore("z", SortedSets.ScoreRange.parse("(1", "+inf")),
            "ZREMRANGEBYSCORE", "z", "(1", "inf");
        same("zremrangeByLex", s -> s.sortedSets().zremrangeByLex("z", SortedSets.LexRange.parse("[b", "(d")),
            "ZREMRANGEBYLEX", "z", "[b", "(d");
        same("zremrangeByLex -", s -> s.sortedSets().zremrangeByLex("z", SortedSets.LexRange.parse("-", "[b")),
            "ZREMRANGEBYLEX", "z", "-", "[b");
        same("zpopmax", s -> s.sortedSets().zpopmax("z", 2), "ZPOPMAX", "z", "2");
        same("sinterstore", s -> s.sets().sinterstore("d", "s1", "s2"), "SINTERSTORE", "d", "s1", "s2");
        same("sunionstore", s -> s.sets().sunionstore("d", "s1", "s2"), "SUNIONSTORE", "d", "s1", "s2");
        same("sdiffstore", s -> s.sets().sdiffstore("d", "s1", "s2"), "SDIFFSTORE", "d", "s1", "s2");
        same("del", s -> s.keys().del("s1", "nope", "z"), "DEL", "s1", "nope", "z");
        same("mset", s -> s.strings().mset(Map.of("k", "v")), "MSET", "k", "v");
        same("sadd", s -> s.sets().sadd("s1", "x", "a"), "SADD", "s1", "x", "a");
    }
}
