package io.redjar.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Random stream commands (no consumer groups) over a few keys: XADD with explicit, {@code ms-*}
 * and bad IDs (mostly increasing, so entries accumulate across several nodes with small node
 * limits), MAXLEN/MINID trimming exact and approximate with LIMIT, XDEL, XTRIM, XSETID, XRANGE and
 * XREVRANGE with exclusive bounds and COUNT, XLEN, XREAD without BLOCK, XINFO STREAM (FULL), and
 * strings in the way. IDs are explicit so replies compare exactly; {@code *} IDs only on a key that
 * is compared by shape.
 */
public class StreamCommandGenerator extends CommandGenerator {
    private long ms = 1;

    public StreamCommandGenerator(long seed) {
        super(seed, 3);
        command(30, () -> cmd("XADD", key(), trimOpts(0.15), id(), pairs()));
        command(3, () -> cmd("XADD", key(), maybe(0.5, kw("NOMKSTREAM")), badId(), pairs()));
        command(2, () -> cmd("XADD", "auto", maybe(0.3, kw("NOMKSTREAM")), trimOpts(0.3), "*", pairs())
            .compareWith(HashCommandGenerator.SHAPE));
        command(1, () -> cmd("XADD", key(), pick(List.of("MAXLEN", "-1"), List.of("MAXLEN", "x"), List.of("MINID", "+"),
            List.of("LIMIT", "5"), List.of("MAXLEN", "5", "LIMIT", "5"), List.of("MAXLEN", "1", "MINID", "1"),
            List.of("MAXLEN", "~", "1", "LIMIT", "-1")), id(), pairs()));
        command(1, () -> cmd("XADD", key(), id(), "f"));
        command(8, () -> cmd("XRANGE", key(), lo(), hi(), maybe(0.5, kw("COUNT"), pick("0", "1", "2", "5", "-1", "100"))));
        command(6, () -> cmd("XREVRANGE", key(), hi(), lo(), maybe(0.5, kw("COUNT"), pick("0", "1", "3", "-2"))));
        command(1, () -> cmd("XRANGE", key(), pick("(-", "(+", "abc", "1-x", "(18446744073709551615-18446744073709551615"),
            pick("+", "(0-0", "(0", "-")));
        command(3, () -> cmd("XLEN", key()));
        command(6, () -> cmd("XDEL", key(), ids(1, 3)));
        command(4, () -> cmd("XTRIM", key(), trimOptsRequired()));
        command(1, () -> cmd("XTRIM", key(), pick(List.of(), List.of("LIMIT", "3"), List.of("FOO"), List.of("MAXLEN", "~", "1", "LIMIT", "0"))));
        command(2, () -> cmd("XSETID", key(), pick(existingish(), "0-0", "999999-0", "+", "abc"),
            maybe(0.3, kw("ENTRIESADDED"), pick("0", "1", "100", "-1")),
            maybe(0.3, kw("MAXDELETEDID"), pick("0-1", "5-0", "99999999-0"))));
        command(4, () -> cmd("XREAD", maybe(0.5, kw("COUNT"), pick("1", "2", "0", "-1")), kw("STREAMS"), streamsAndIds()));
        command(1, () -> cmd("XREAD", pick(List.of("STREAMS", "k0"), List.of("COUNT"), List.of("STREAMS"), List.of("FOO", "STREAMS", "k0", "0"),
            List.of("STREAMS", "k0", ">"), List.of("STREAMS", "k0", "k1", "0"))));
        command(4, () -> cmd("XINFO", "STREAM", key()));
        command(2, () -> cmd("XINFO", "STREAM", key(), "FULL", maybe(0.5, kw("COUNT"), pick("0", "1", "3", "-1"))));
        command(1, () -> cmd("XINFO", "STREAM", key(), pick(List.of("FOO"), List.of("FULL", "COUNT"), List.of("FULL", "X", "1"))));
        command(1, () -> cmd("XINFO", "HELP"));
        command(1, () -> cmd("TYPE", key()));
        command(1, () -> cmd("OBJECT", "ENCODING", key()));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("SET", key(), value()));
        command(1, () -> cmd("EXISTS", key()));
    }

    private String idOf(long m, long s) {
        return m + "-" + s;
    }

    private Object id() {
        if (chance(0.8)) {
            ms += smallInt(0, 2);
            return chance(0.2) ? ms + "-*" : idOf(ms, smallInt(0, 3));
        }
        return pick(idOf(ms, smallInt(0, 5)), Long.toString(ms + 1), ms + "-*", idOf(Math.max(0, ms - 3), 0));
    }

    private Object badId() {
        return pick("0-0", "0", "-", "+", "abc", "1-", "-1", "18446744073709551616", "1-18446744073709551615",
            "18446744073709551615-18446744073709551615", "0-*", " 1", "01");
    }

    private String existingish() {
        return idOf(Math.max(0, ms - smallInt(0, 10)), smallInt(0, 3));
    }

    private Object lo() {
        return pick("-", existingish(), "(" + existingish(), Long.toString(Math.max(0, ms - smallInt(0, 10))), "0");
    }

    private Object hi() {
        return pick("+", existingish(), "(" + existingish(), Long.toString(ms - smallInt(0, 5)), "18446744073709551615");
    }

    private List<Object> ids(int min, int max) {
        List<Object> out = new ArrayList<>();
        for (int i = 0, n = smallInt(min, max); i < n; i++) {
            out.add(chance(0.1) ? badId() : existingish());
        }
        return out;
    }

    private List<Object> pairs() {
        List<Object> out = new ArrayList<>();
        int n = chance(0.7) ? smallInt(1, 2) : smallInt(1, 4);
        for (int i = 0; i < n; i++) {
            out.add(chance(0.7) ? "f" + i : pick("a", "b", "1", "f" + smallInt(0, 5), "x".repeat(smallInt(0, 20))));
            out.add(value());
        }
        return out;
    }

    private List<Object> trimOpts(double p) {
        return chance(p) ? trimOptsRequired() : List.of();
    }

    private List<Object> trimOptsRequired() {
        List<Object> out = new ArrayList<>();
        boolean approx = chance(0.4);
        if (chance(0.6)) {
            out.add(kw("MAXLEN"));
            out.add(approx ? "~" : pick("=", "="));
            out.add(Integer.toString(smallInt(0, 30)));
        } else {
            out.add(kw("MINID"));
            if (approx || chance(0.5)) {
                out.add(approx ? "~" : "=");
            }
            out.add(existingish());
        }
        if (approx && chance(0.5)) {
            out.add(kw("LIMIT"));
            out.add(pick("0", "1", "3", "10", "100"));
        }
        return out;
    }

    private List<Object> streamsAndIds() {
        int n = smallInt(1, 3);
        List<Object> keys = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(key());
            ids.add(pick("0", "0-0", "$", existingish(), lo()));
        }
        keys.addAll(ids);
        return keys;
    }
}
