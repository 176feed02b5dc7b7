package io.redjar.diff;

import io.redjar.testing.CommandGenerator;

import java.util.ArrayList;
import java.util.List;

/**
 * Random non-blocking list commands over a few keys: pushes (with now and then a value of a few
 * KiB, so byte-limited nodes fill up), pops with and without counts, LRANGE/LINDEX/LSET/LINSERT/
 * LREM/LTRIM/LPOS with small and edge indexes, LMOVE/RPOPLPUSH (same key included), LMPOP, plus
 * string keys (WRONGTYPE), wrong arities and bad options, and the generic commands on list keys:
 * TYPE, EXISTS, DEL, COPY, RENAME, OBJECT ENCODING. Elements come from a small space so pivots,
 * LREM and LPOS match often.
 */
final class ListCommandGenerator extends CommandGenerator {
    private static final List<String> ELEMENTS = List.of("a", "b", "c", "a", "1", "2", "-1", "10", "", "hello world",
        "9223372036854775807", "1.5", "007");

    ListCommandGenerator(long seed) {
        super(seed, 5);
        command(12, () -> cmd(pick("LPUSH", "RPUSH"), key(), elements(1, 7)));
        command(2, () -> cmd(pick("LPUSHX", "RPUSHX"), key(), elements(1, 3)));
        command(4, () -> cmd(pick("LPOP", "RPOP"), key()));
        command(3, () -> cmd(pick("LPOP", "RPOP"), key(), pick("0", "1", "2", "3", "10", "-1", "abc", "-0", "1.5")));
        command(1, () -> cmd(pick("LPOP", "RPOP"), key(), "1", "2"));
        command(2, () -> cmd("LLEN", key()));
        command(5, () -> cmd("LRANGE", key(), index(), index()));
        command(3, () -> cmd("LRANGE", key(), "0", "-1"));
        command(3, () -> cmd("LINDEX", key(), index()));
        command(3, () -> cmd("LSET", key(), index(), element()));
        command(4, () -> cmd("LINSERT", key(), pick("BEFORE", "AFTER", "before", "after", "middle"), element(), element()));
        command(3, () -> cmd("LREM", key(), pick("0", "1", "2", "-1", "-2", "-9223372036854775808", "x"), element()));
        command(2, () -> cmd("LTRIM", key(), index(), index()));
        command(4, this::lpos);
        command(3, () -> cmd("LMOVE", key(), key(), side(), side()));
        command(2, () -> cmd("RPOPLPUSH", key(), key()));
        command(3, this::lmpop);
        command(1, () -> chance(0.3) ? cmd("SET", key(), element()) : cmd("RPUSH", key(), elements(1, 3)));
        command(1, () -> cmd("TYPE", key()));
        command(1, () -> cmd("EXISTS", keys(1, 3)));
        command(2, () -> cmd("DEL", keys(1, 2)));
        command(1, () -> cmd("COPY", key(), key(), maybe(0.5, kw("REPLACE"))));
        command(1, () -> cmd("RENAME", key(), key()));
        command(2, () -> cmd("OBJECT", "ENCODING", key()));
    }

    private String element() {
        if (chance(0.05)) {
            return "big-" + "x".repeat(smallInt(300, 2000));
        }
        return pick(ELEMENTS);
    }

    private List<Object> elements(int min, int max) {
        int n = smallInt(min, max);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(element());
        }
        return out;
    }

    private String index() {
        if (chance(0.1)) {
            return integerArg();
        }
        return Integer.toString(smallInt(-12, 12));
    }

    private String side() {
        return chance(0.05) ? pick("UP", "") : pick("LEFT", "RIGHT", "left", "Right");
    }

    private io.redjar.testing.Step lpos() {
        List<Object> opts = new ArrayList<>();
        if (chance(0.4)) {
            opts.add(kw("RANK"));
            opts.add(pick("1", "2", "-1", "-2", "3", "0", "x", "-9223372036854775808", "9223372036854775807"));
        }
        if (chance(0.4)) {
            opts.add(kw("COUNT"));
            opts.add(pick("0", "1", "2", "5", "-1", "x"));
        }
        if (chance(0.3)) {
            opts.add(kw("MAXLEN"));
            opts.add(pick("0", "1", "3", "10", "-1", "x"));
        }
        if (chance(0.03)) {
            opts.add(pick("RANK", "FOO"));
        }
        return cmd("LPOS", key(), element(), opts);
    }

    private io.redjar.testing.Step lmpop() {
        int n = smallInt(1, 3);
        String numkeys = chance(0.08) ? pick("0", "-1", "x", "9") : Integer.toString(n);
        List<Object> parts = new ArrayList<>();
        parts.add(numkeys);
        for (int i = 0; i < n; i++) {
            parts.add(key());
        }
        parts.add(side());
        if (chance(0.5)) {
            parts.add(kw("COUNT"));
            parts.add(pick("1", "2", "3", "10", "0", "-1", "x"));
        }
        if (chance(0.03)) {
            parts.add(pick("COUNT", "FOO"));
        }
        return cmd("LMPOP", parts);
    }
}
