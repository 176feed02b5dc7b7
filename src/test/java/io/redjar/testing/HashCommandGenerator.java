package io.redjar.testing;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Random hash commands over a few keys and a small field space, so that fields collide, hashes
 * empty out (and are deleted), strings get in the way (WRONGTYPE), and long fields or values and
 * growing hashes push listpacks over {@code hash-max-listpack-*} (run it with small limits too).
 * Replies whose order Redis leaves to the hashtable are compared unordered; random ones
 * (HRANDFIELD) by shape only.
 */
public class HashCommandGenerator extends CommandGenerator {
    /** Long strings: past a small {@code hash-max-listpack-value} (8) or the default (64). */
    private static final List<String> LONG = List.of("x".repeat(9), "y".repeat(64), "z".repeat(65), "1234567890123");

    /** Compares only the reply's shape: types and aggregate sizes, at every depth. */
    public static final ReplyComparator SHAPE = HashCommandGenerator::shape;

    private final int fieldCount;

    public HashCommandGenerator(long seed) {
        this(seed, 12);
    }

    public HashCommandGenerator(long seed, int fieldCount) {
        super(seed, 4);
        this.fieldCount = fieldCount;
        command(10, () -> cmd("HSET", key(), pairs(1, 3)));
        command(1, () -> cmd("HSET", key(), field(), value(), field()));
        command(2, () -> cmd("HMSET", key(), pairs(1, 3)));
        command(3, () -> cmd("HSETNX", key(), field(), hvalue()));
        command(6, () -> cmd("HGET", key(), field()));
        command(2, () -> cmd("HMGET", key(), fields(1, 4)));
        command(6, () -> cmd("HDEL", key(), fields(1, 3)));
        command(3, () -> cmd("HLEN", key()));
        command(2, () -> cmd("HEXISTS", key(), field()));
        command(2, () -> cmd("HSTRLEN", key(), field()));
        command(2, () -> cmd("HGETALL", key()).unordered());
        command(1, () -> cmd("HKEYS", key()).unordered());
        command(1, () -> cmd("HVALS", key()).unordered());
        command(4, () -> cmd("HINCRBY", key(), field(), integerArg()));
        command(4, () -> cmd("HINCRBYFLOAT", key(), field(), floatArg()));
        command(2, () -> cmd("HSCAN", key(), "0", maybe(0.5, kw("MATCH"), pick("f*", "f[1-3]", "*", "1*", "?")),
            kw("COUNT"), "1000").compareWith(ReplyComparator.UNORDERED_DEEP));
        command(1, () -> cmd("HSCAN", key(), "0", pick(List.of("COUNT", "0"), List.of("COUNT", "abc"), List.of("FOO", "5"),
            List.of("TYPE", "string"), List.of("MATCH"), List.of("COUNT", "1000", "COUNT")))
            .compareWith(ReplyComparator.UNORDERED_DEEP));
        command(1, () -> cmd("HSCAN", key(), pick("x", " 1", "1x", ""), "COUNT", "1000").compareWith(ReplyComparator.UNORDERED_DEEP));
        command(2, () -> cmd("HRANDFIELD", key()).compareWith(SHAPE));
        command(3, () -> cmd("HRANDFIELD", key(), pick("0", "1", "2", "3", "5", "20", "-1", "-3", "-20", "abc"),
            maybe(0.5, kw("WITHVALUES")), maybe(0.05, "x")).compareWith(SHAPE));
        command(3, () -> cmd("OBJECT", "ENCODING", key()));
        command(1, () -> cmd("TYPE", key()));
        command(1, () -> cmd("EXISTS", key()));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("SET", key(), value()));
        command(1, () -> cmd("COPY", key(), key(), maybe(0.5, kw("REPLACE"))));
        command(1, () -> cmd("RENAME", key(), key()));
        command(1, () -> cmd("EXPIRE", key(), pick("1000", "2000", "-1")));
        command(1, () -> cmd("PERSIST", key()));
        command(1, () -> cmd("TTL", key()).compareWith(ReplyComparator.ttl(2)));
        command(1, () -> cmd("MOVE", key(), "1"));
        command(1, () -> cmd("COPY", key(), key(), kw("DB"), pick("0", "1"), maybe(0.5, kw("REPLACE"))));
        command(1, () -> cmd("SELECT", pick("0", "0", "1")));
    }

    private String field() {
        if (chance(0.03)) {
            return pick(LONG);
        }
        return chance(0.2) ? pick("1", "2", "-5", "007", "") : "f" + random().nextInt(fieldCount);
    }

    private Object hvalue() {
        if (chance(0.05)) {
            return pick(LONG);
        }
        return chance(0.3) ? integerArg() : value();
    }

    private List<Object> pairs(int min, int max) {
        int n = smallInt(min, max);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(field());
            out.add(hvalue());
        }
        return out;
    }

    private List<Object> fields(int min, int max) {
        int n = smallInt(min, max);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(field());
        }
        return out;
    }

    private static Optional<String> shape(Reply e, Reply a) {
        if (e.isError() || a.isError()) {
            return ReplyComparator.EXACT.difference(e, a);
        }
        if (e instanceof Reply.Null && a instanceof Reply.Null) {
            return Optional.empty();
        }
        if (e.getClass() != a.getClass()) {
            return Optional.of("type differs: " + e + " vs " + a);
        }
        if (e instanceof Reply.ArrayReply ea) {
            List<Reply> x = ea.elements();
            List<Reply> y = ((Reply.ArrayReply) a).elements();
            if (x.size() != y.size()) {
                return Optional.of("length differs: " + x.size() + " vs " + y.size());
            }
            for (int i = 0; i < x.size(); i++) {
                Optional<String> d = shape(x.get(i), y.get(i));
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }
}
