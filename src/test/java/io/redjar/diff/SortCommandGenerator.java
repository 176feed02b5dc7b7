package io.redjar.diff;

import io.redjar.testing.CommandGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Random SORT / SORT_RO over two lists, two sets and two sorted sets whose elements name weight
 * strings {@code w_<element>} and hashes {@code h_<element>} (fields {@code f}, {@code g}), with
 * random ASC/DESC, ALPHA, LIMIT (edge values included), BY and GET patterns (hash fields, missing
 * keys, patterns without {@code *}, {@code #}), STORE into any key (types change), SORT_RO with
 * STORE (syntax error), string and hash sources (WRONGTYPE), and the commands that build and read
 * the data: pushes, SADD, ZADD, SET/HSET of weights (numeric and not), DEL, OBJECT ENCODING (a
 * sorted set becomes a skip list once sorted), TYPE, LRANGE of destinations.
 *
 * <p>Only deterministic sorts are generated: no {@code BY nosort} on a set without STORE (its
 * iteration order is not Redis's), and {@code ALPHA} with a {@code BY} pattern only on lists and
 * without LIMIT (ties between equal BY values are ordered by container order there, which Redis
 * shares only for lists sorted whole).
 */
final class SortCommandGenerator extends CommandGenerator {
    private static final List<String> ELEMENTS = List.of("1", "2", "3", "10", "-1", "2.5", "-0", "0", "007", "1e1",
        " 4", "abc", "b", "B", "", "x y", "0x10", "inf");
    private static final List<String> NUMBERS = List.of("1", "2", "3", "10", "-1", "2.5", "-0", "0", "007", "1e1",
        " 4", "0x10", "-inf", "3");
    private static final List<String> WEIGHTS = List.of("1", "2", "3", "-1", "0", "1.5", "10", "100", "-2.5", "1e2",
        "", "abc", "b", "inf", "2");
    private static final List<String> SOURCES = List.of("l0", "l1", "s0", "s1", "z0", "z1", "l0", "s0", "z0",
        "str", "nokey", "h_1");
    private static final List<String> DESTS = List.of("d0", "d1", "l1", "s1", "z1", "w_1", "h_2", "str", "l0");
    private static final List<String> BY = List.of("w_*", "h_*->f", "h_*->g", "nosort", "w_*_x", "*", "h_*->",
        "w_*", "h_*->f");
    private static final List<String> GET = List.of("#", "w_*", "h_*->f", "h_*->g", "nokey", "h_*->", "*");

    SortCommandGenerator(long seed) {
        super(seed);
        command(4, () -> cmd(pick("RPUSH", "LPUSH"), pick("l0", "l1"), elements(1, 4)));
        command(3, () -> cmd("SADD", pick("s0", "s1"), elements(1, 4)));
        command(3, () -> cmd("ZADD", pick("z0", "z1"), pick("1", "2", "-1", "0.5", "3"), pick(ELEMENTS),
            pick("1", "2", "5"), pick(ELEMENTS)));
        command(3, () -> cmd("SET", "w_" + pick(ELEMENTS), pick(WEIGHTS)));
        command(3, () -> cmd("HSET", "h_" + pick(ELEMENTS), pick("f", "g"), pick(WEIGHTS)));
        command(1, () -> cmd("SET", "str", "v"));
        command(1, () -> cmd("DEL", pick(SOURCES)));
        command(1, () -> cmd("DEL", "w_" + pick(ELEMENTS)));
        command(1, () -> cmd("LPUSH", pick("l0", "l1"), pick(NUMBERS)));
        command(2, () -> cmd("OBJECT", "ENCODING", pick("z0", "z1", "s0", "d0", "d1")));
        command(2, () -> cmd("LRANGE", pick(DESTS), "0", "-1"));
        command(1, () -> cmd("TYPE", pick(DESTS)));
        command(20, () -> sort(false));
        command(6, () -> sort(true));
    }

    private List<Object> elements(int min, int max) {
        int n = smallInt(min, max);
        List<Object> out = new ArrayList<>();
        boolean numeric = chance(0.6);
        for (int i = 0; i < n; i++) {
            out.add(pick(numeric ? NUMBERS : ELEMENTS));
        }
        return out;
    }

    private String limitArg() {
        return pick("0", "1", "2", "3", "-1", "5", "100", "-5", "x", "9223372036854775807", "-9223372036854775808");
    }

    private io.redjar.testing.Step sort(boolean ro) {
        String src = pick(SOURCES);
        boolean list = src.startsWith("l");
        boolean set = src.startsWith("s");
        List<List<Object>> opts = new ArrayList<>();
        if (chance(0.4)) {
            opts.add(List.of(kw(pick("ASC", "DESC"))));
        }
        boolean alpha = chance(0.4);
        boolean limit = chance(0.4);
        String by = chance(0.5) ? pick(BY) : null;
        boolean store = chance(ro ? 0.05 : 0.3);
        if (by != null && by.equals("nosort") && set && !store) {
            by = "w_*";
        }
        if (alpha && by != null && !by.equals("nosort") && (!list || limit)) {
            alpha = false;
        }
        if (alpha) {
            opts.add(List.of(kw("ALPHA")));
        }
        if (limit) {
            opts.add(List.of(kw("LIMIT"), limitArg(), limitArg()));
        }
        if (by != null) {
            opts.add(List.of(kw("BY"), by));
        }
        int gets = chance(0.4) ? smallInt(1, 3) : 0;
        for (int i = 0; i < gets; i++) {
            opts.add(List.of(kw("GET"), pick(GET)));
        }
        if (store) {
            opts.add(List.of(kw("STORE"), pick(DESTS)));
        }
        Collections.shuffle(opts, random());
        if (chance(0.03)) {
            // last, so it cannot swallow the next option as its argument (a syntax error)
            opts.add(List.of(pick("LIMIT", "BY", "GET", "FOO", "STORE")));
        }
        List<Object> parts = new ArrayList<>();
        parts.add(ro ? "SORT_RO" : "SORT");
        parts.add(src);
        for (List<Object> o : opts) {
            parts.addAll(o);
        }
        return cmd(parts.toArray());
    }
}
