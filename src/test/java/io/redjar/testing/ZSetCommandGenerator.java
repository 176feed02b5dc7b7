package io.redjar.testing;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Random sorted-set commands over a small key and member space: ZADD (random NX/XX/GT/LT/CH/INCR
 * combinations, conflicting ones included), ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZREM, ZRANK,
 * ZREVRANK, ZRANGE (rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), the legacy range forms, ZCOUNT,
 * ZLEXCOUNT, ZREMRANGEBY*, ZPOPMIN/ZPOPMAX, ZRANGESTORE, ZSCAN, ZRANDMEMBER (compared by shape),
 * ZUNION/ZINTER/ZDIFF and their STORE forms (WEIGHTS with infinities and zeros, AGGREGATE,
 * WITHSCORES, destinations drawn from the source keys, bad numkeys and options), ZINTERCARD, ZMPOP,
 * plus OBJECT ENCODING, TYPE, EXISTS, DEL, COPY, RENAME and string keys for WRONGTYPE.
 *
 * <p>Members are mostly drawn from a few hundred names, so keys cross
 * {@code zset-max-listpack-entries}; a few are longer than 64 bytes. Scores are small integers,
 * fractions, infinities, {@code -0} and invalid floats; many members share a score so lex ranges
 * and the (score, member) order are exercised.
 */
public class ZSetCommandGenerator extends CommandGenerator {
    private static final List<String> SCORES = List.of("0", "1", "-1", "2", "0.5", "1.5", "-2.25", "0.1", "3.0e2",
        "inf", "-inf", "+inf", "-0", "10", "100");
    private static final List<String> BAD_SCORES = List.of("nan", "abc", "", " 1", "1.5x", "(1");
    private static final List<String> SCORE_ENDS = List.of("-inf", "+inf", "inf", "0", "1", "(1", "2", "(2", "-1",
        "(-1", "0.5", "(0.5", "10", "(inf", "(-inf", "abc", "((1", "(", "nan", "100");
    private static final List<String> LEX_ENDS = List.of("-", "+", "[a", "(a", "[b", "(c", "[m1", "(m5", "[m10",
        "[", "(", "a", "--", "+a", "[z", "(m2");
    private static final List<String> SMALL = List.of("a", "b", "c", "d", "e", "1", "10", "-1", "");
    private static final String LONG = "x".repeat(65);

    private final int memberSpace;

    public ZSetCommandGenerator(long seed) {
        this(seed, 300);
    }

    /** @param memberSpace how many m-names members are drawn from */
    public ZSetCommandGenerator(long seed, int memberSpace) {
        super(seed, 5);
        this.memberSpace = memberSpace;
        command(20, this::zadd);
        command(3, () -> cmd("ZINCRBY", key(), chance(0.1) ? pick(BAD_SCORES) : pick(SCORES), member()));
        command(5, () -> cmd("ZSCORE", key(), member()));
        command(3, () -> cmd("ZMSCORE", key(), members(1, 4)));
        command(4, () -> cmd("ZCARD", key()));
        command(5, () -> cmd("ZREM", key(), members(1, 5)));
        command(3, () -> cmd("ZRANK", key(), member()));
        command(3, () -> cmd("ZREVRANK", key(), member()));
        command(8, this::zrange);
        command(3, () -> cmd("ZREVRANGE", key(), index(), index(), maybe(0.4, "WITHSCORES"), maybe(0.05, "LIMIT", "0", "1")));
        command(4, () -> cmd(pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), key(), pick(SCORE_ENDS), pick(SCORE_ENDS),
            maybe(0.4, "WITHSCORES"), limit(), maybe(0.03, "REV")));
        command(3, () -> cmd(pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), lexKey(), pick(LEX_ENDS), pick(LEX_ENDS), limit(),
            maybe(0.05, "WITHSCORES")));
        command(5, () -> cmd("ZADD", lexKey(), maybe(0.1, "NX"), maybe(0.1, "CH"), pairs0()));
        command(2, () -> cmd(pick("ZCARD", "ZPOPMIN", "ZPOPMAX"), lexKey()));
        command(2, () -> cmd(pick("ZREM", "ZSCORE"), lexKey(), member()));
        command(2, () -> cmd("ZRANGE", lexKey(), pick(LEX_ENDS), pick(LEX_ENDS), "BYLEX", maybe(0.3, "REV"), limit()));
        command(3, () -> cmd("ZCOUNT", key(), pick(SCORE_ENDS), pick(SCORE_ENDS)));
        command(3, () -> cmd("ZLEXCOUNT", lexKey(), pick(LEX_ENDS), pick(LEX_ENDS)));
        command(2, () -> cmd("ZREMRANGEBYRANK", key(), index(), index()));
        command(2, () -> cmd("ZREMRANGEBYSCORE", key(), pick(SCORE_ENDS), pick(SCORE_ENDS)));
        command(2, () -> cmd("ZREMRANGEBYLEX", lexKey(), pick(LEX_ENDS), pick(LEX_ENDS)));
        command(3, () -> cmd(pick("ZPOPMIN", "ZPOPMAX"), key(), chance(0.5) ? List.of() : List.of(pick("0", "1", "2", "5", "-1", "x", "300"))));
        command(3, this::zrangestore);
        command(2, () -> cmd("ZSCAN", key(), "0", maybe(0.3, "MATCH", pick("m1*", "*", "a", "x*")), "COUNT", "1000",
            maybe(0.05, "BOGUS"))
            .compareWith(ReplyComparator.UNORDERED_DEEP));
        command(2, () -> cmd("ZRANDMEMBER", key(), chance(0.2) ? List.of() : List.of(pick("0", "1", "3", "-3", "500", "-5", "x")),
            maybe(0.3, "WITHSCORES")).compareWith(ZSetCommandGenerator::sameShape));
        command(4, () -> setop(pick("ZUNION", "ZINTER", "ZDIFF"), false, false));
        command(4, () -> setop(pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), true, false));
        command(2, () -> setop("ZINTERCARD", false, true));
        command(3, this::zmpop);
        command(3, () -> cmd("OBJECT", "ENCODING", key()));
        command(1, () -> cmd("TYPE", key()));
        command(1, () -> cmd("EXISTS", key()));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("COPY", key(), key(), maybe(0.5, "REPLACE")));
        command(1, () -> cmd("RENAME", key(), key()));
        command(1, () -> cmd("SET", key(), "str"));
        command(1, () -> cmd("ZADD", key()));
        command(1, () -> cmd("ZRANGE", key(), "0"));
    }

    private static final List<String> WEIGHTS = List.of("1", "1", "2", "-1", "0", "0.5", "0.1", "inf", "-inf", "-0",
        "3", "x", "nan");

    /** A ZUNION-family command: usually well formed, now and then a bad numkeys or option. */
    private Step setop(String name, boolean store, boolean card) {
        List<Object> parts = new ArrayList<>();
        parts.add(name);
        if (store) {
            parts.add(key());
        }
        int n = smallInt(1, 4);
        double r = random().nextDouble();
        if (r < 0.03) {
            parts.add(pick("0", "-1", "x", "9223372036854775807"));
        } else if (r < 0.06) {
            parts.add(Integer.toString(n + 1));
        } else {
            parts.add(Integer.toString(n));
        }
        for (int i = 0; i < n; i++) {
            parts.add(chance(0.1) ? pick("nokey", "L0") : key());
        }
        boolean diff = name.startsWith("ZDIFF");
        if (!card && (!diff || chance(0.03)) && chance(0.4)) {
            parts.add("WEIGHTS");
            int w = chance(0.05) ? n - 1 : n;
            for (int i = 0; i < w; i++) {
                parts.add(chance(0.03) ? pick(WEIGHTS) : pick(WEIGHTS.subList(0, 11)));
            }
        }
        if (!card && (!diff || chance(0.03)) && chance(0.4)) {
            parts.add("AGGREGATE");
            parts.add(chance(0.03) ? "avg" : pick("SUM", "MIN", "MAX", "sum", "min"));
        }
        if (card && chance(0.4)) {
            parts.add("LIMIT");
            parts.add(pick("0", "1", "2", "5", "-1", "x"));
        }
        if (!store && !card && chance(0.5)) {
            parts.add("WITHSCORES");
        }
        if (chance(0.02)) {
            parts.add(pick("WITHSCORES", "BOGUS", "LIMIT"));
        }
        return cmd(parts.toArray());
    }

    private Step zmpop() {
        List<Object> parts = new ArrayList<>();
        parts.add("ZMPOP");
        int n = smallInt(1, 3);
        double r = random().nextDouble();
        parts.add(r < 0.03 ? pick("0", "-1", "x") : r < 0.05 ? Integer.toString(n + 1) : Integer.toString(n));
        for (int i = 0; i < n; i++) {
            parts.add(chance(0.3) ? "nokey" : key());
        }
        parts.add(chance(0.03) ? "MID" : pick("MIN", "MAX", "min"));
        if (chance(0.5)) {
            parts.add("COUNT");
            parts.add(pick("1", "2", "3", "10", "500", "0", "-1", "x"));
        }
        if (chance(0.02)) {
            parts.add(pick("COUNT", "BOGUS"));
        }
        return cmd(parts.toArray());
    }

    /** Keys whose members all have score 0 (lex order is defined only then). */
    private String lexKey() {
        return pick("L0", "L1");
    }

    private List<String> pairs0() {
        List<String> out = new ArrayList<>();
        for (String m : members(1, chance(0.2) ? 30 : 4)) {
            out.add("0");
            out.add(m);
        }
        return out;
    }

    private String member() {
        double r = random().nextDouble();
        if (r < 0.3) {
            return pick(SMALL);
        }
        if (r < 0.32) {
            return LONG;
        }
        return "m" + random().nextInt(memberSpace);
    }

    private List<String> members(int min, int max) {
        int n = smallInt(min, max);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(member());
        }
        return out;
    }

    private String score() {
        return chance(0.03) ? pick(BAD_SCORES) : chance(0.6) ? pick(SCORES) : Integer.toString(smallInt(-3, 3));
    }

    private String index() {
        return chance(0.05) ? pick("x", "1.5") : Integer.toString(smallInt(-8, 8));
    }

    private List<Object> limit() {
        if (!chance(0.3)) {
            return List.of();
        }
        return List.of("LIMIT", pick("0", "1", "2", "-1", "5"), pick("0", "1", "3", "-1", "-5", "100"));
    }

    private Step zadd() {
        List<Object> parts = new ArrayList<>();
        parts.add("ZADD");
        parts.add(key());
        for (String f : List.of("NX", "XX", "GT", "LT", "CH", "INCR")) {
            if (chance(f.equals("CH") ? 0.2 : 0.08)) {
                parts.add(f);
            }
        }
        int n = chance(0.2) ? smallInt(10, 40) : smallInt(1, 4);
        if (chance(0.02)) {
            parts.add(score());
        }
        for (int i = 0; i < n; i++) {
            parts.add(score());
            parts.add(member());
        }
        return cmd(parts.toArray());
    }

    private Step zrange() {
        List<Object> parts = new ArrayList<>();
        parts.add("ZRANGE");
        int by = random().nextInt(3);
        parts.add(by == 2 ? lexKey() : key());
        if (by == 0) {
            parts.add(index());
            parts.add(index());
        } else if (by == 1) {
            parts.add(pick(SCORE_ENDS));
            parts.add(pick(SCORE_ENDS));
            parts.add("BYSCORE");
        } else {
            parts.add(pick(LEX_ENDS));
            parts.add(pick(LEX_ENDS));
            parts.add("BYLEX");
        }
        if (chance(0.4)) {
            parts.add("REV");
        }
        if (chance(by == 0 ? 0.05 : 0.4)) {
            parts.addAll(limit());
        }
        if (chance(by == 2 ? 0.05 : 0.4)) {
            parts.add("WITHSCORES");
        }
        return cmd(parts.toArray());
    }

    private Step zrangestore() {
        Step s = zrange();
        byte[][] a = s.argv();
        List<Object> parts = new ArrayList<>();
        parts.add("ZRANGESTORE");
        parts.add(key());
        for (int i = 1; i < a.length; i++) {
            if (!new String(a[i]).equalsIgnoreCase("WITHSCORES") || chance(0.1)) {
                parts.add(a[i]);
            }
        }
        return cmd(parts.toArray());
    }

    /** Random replies: same type, same length; errors and nulls exactly. */
    static Optional<String> sameShape(Reply e, Reply a) {
        if (e instanceof Reply.ArrayReply ea && a instanceof Reply.ArrayReply aa) {
            if (ea.elements().size() != aa.elements().size()) {
                return Optional.of("length " + ea.elements().size() + " vs " + aa.elements().size());
            }
            for (int i = 0; i < ea.elements().size(); i++) {
                Optional<String> d = ReplyComparator.TYPE_ONLY.difference(ea.elements().get(i), aa.elements().get(i));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (e instanceof Reply.Bulk && a instanceof Reply.Bulk) {
            return Optional.empty();
        }
        return ReplyComparator.EXACT.difference(e, a);
    }
}
