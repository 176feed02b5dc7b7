package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.structure.LexRange;
import io.redjar.internal.structure.ScoreRange;
import io.redjar.internal.types.ZAddFlags;
import io.redjar.internal.types.ZSetOps;
import io.redjar.internal.types.ZSetOps.By;
import io.redjar.internal.types.ZSetOps.RangeSpec;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The sorted-set commands' adapter: parse every argument first (in Redis 7.0's order, so the same
 * error wins), then call {@link ZSetOps}, then shape the reply (RESP3: scores as doubles, WITHSCORES
 * as [member, score] pairs).
 */
public final class ZSetCommands {
    private static final String G = "sorted-set";
    private static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    private static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";

    private ZSetCommands() {
    }

    private static ZSetOps ops(ExecContext c) {
        return c.engine().zsets();
    }

    /** Adds the sorted-set commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("zadd", -4).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Add members to a sorted set, or update their scores")
            .handler(ZSetCommands::zadd);
        t.add("zincrby", 4).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Increment the score of a member")
            .handler((c, a) -> {
                double incr = Numbers.parseDouble(a[2]);
                ZSetOps.AddResult r = ops(c).zadd(c.db(), a[1], ZSetOps.INCR, new double[] {incr}, new byte[][] {a[3]}, a);
                return r.score == null ? Reply.NULL : new Reply.DoubleReply(r.score);
            });
        t.add("zscore", 3).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get the score of a member")
            .handler((c, a) -> score(ops(c).zscore(c.db(), a[1], a[2])));
        t.add("zmscore", -3).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get the scores of members")
            .handler((c, a) -> {
                Double[] s = ops(c).zmscore(c.db(), a[1], Arrays.copyOfRange(a, 2, a.length));
                List<Reply> out = new ArrayList<>(s.length);
                for (Double d : s) {
                    out.add(score(d));
                }
                return Reply.array(out);
            });
        t.add("zcard", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO))
            .doc(G, "Get the number of members")
            .handler((c, a) -> Reply.integer(ops(c).zcard(c.db(), a[1])));
        t.add("zrem", -3).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Remove members")
            .handler((c, a) -> Reply.integer(ops(c).zrem(c.db(), a[1], Arrays.copyOfRange(a, 2, a.length), a)));
        t.add("zrank", 3).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Determine the index of a member")
            .handler((c, a) -> rank(ops(c).zrank(c.db(), a[1], a[2], false)));
        t.add("zrevrank", 3).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Determine the index of a member, scores high to low")
            .handler((c, a) -> rank(ops(c).zrank(c.db(), a[1], a[2], true)));
        t.add("zcount", 4).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Count the members with scores within the given values")
            .handler((c, a) -> {
                ScoreRange r = scoreRange(a[2], a[3]);
                return Reply.integer(ops(c).zcount(c.db(), a[1], r));
            });
        t.add("zlexcount", 4).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Count the members in a lexicographical range")
            .handler((c, a) -> {
                LexRange r = lexRange(a[2], a[3]);
                return Reply.integer(ops(c).zlexcount(c.db(), a[1], r));
            });

        t.add("zrange", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members")
            .handler((c, a) -> range(c, a, 1, false, null, false));
        t.add("zrevrange", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members by index, high to low")
            .handler((c, a) -> range(c, a, 1, false, By.RANK, true));
        t.add("zrangebyscore", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members by score")
            .handler((c, a) -> range(c, a, 1, false, By.SCORE, false));
        t.add("zrevrangebyscore", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members by score, high to low")
            .handler((c, a) -> range(c, a, 1, false, By.SCORE, true));
        t.add("zrangebylex", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members by lexicographical range")
            .handler((c, a) -> range(c, a, 1, false, By.LEX, false));
        t.add("zrevrangebylex", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of members by lexicographical range, high to low")
            .handler((c, a) -> range(c, a, 1, false, By.LEX, true));
        t.add("zrangestore", -5).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Store a range of members in another key")
            .handler((c, a) -> range(c, a, 2, true, null, false));

        t.add("zremrangebyrank", 4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Remove members by index range")
            .handler((c, a) -> {
                RangeSpec s = new RangeSpec();
                s.start = Args.parseLong(a[2]);
                s.end = Args.parseLong(a[3]);
                return Reply.integer(ops(c).zremrange(c.db(), a[1], s, a));
            });
        t.add("zremrangebyscore", 4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Remove members by score range")
            .handler((c, a) -> {
                RangeSpec s = new RangeSpec();
                s.by = By.SCORE;
                s.score = scoreRange(a[2], a[3]);
                return Reply.integer(ops(c).zremrange(c.db(), a[1], s, a));
            });
        t.add("zremrangebylex", 4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Remove members by lexicographical range")
            .handler((c, a) -> {
                RangeSpec s = new RangeSpec();
                s.by = By.LEX;
                s.lex = lexRange(a[2], a[3]);
                return Reply.integer(ops(c).zremrange(c.db(), a[1], s, a));
            });
        t.add("zpopmin", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(G, "Remove and return members with the lowest scores")
            .handler((c, a) -> pop(c, a, false));
        t.add("zpopmax", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(G, "Remove and return members with the highest scores")
            .handler((c, a) -> pop(c, a, true));
        t.add("zscan", -3).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "Incrementally iterate members and scores")
            .handler(ZSetCommands::zscan);
        t.add("zrandmember", -2).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "Get random members")
            .handler(ZSetCommands::zrandmember);

        t.add("zunion", -3).flags(READONLY)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RO, ACCESS)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Add multiple sorted sets")
            .handler((c, a) -> setop(c, a, "zunion", ZSetOps.SetOp.UNION, false, false));
        t.add("zinter", -3).flags(READONLY)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RO, ACCESS)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Intersect multiple sorted sets")
            .handler((c, a) -> setop(c, a, "zinter", ZSetOps.SetOp.INTER, false, false));
        t.add("zdiff", -3).flags(READONLY)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RO, ACCESS)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Subtract multiple sorted sets")
            .handler((c, a) -> setop(c, a, "zdiff", ZSetOps.SetOp.DIFF, false, false));
        t.add("zunionstore", -4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).keynum(0, 1, 1).flags(RO, ACCESS))
            .getKeys(GetKeysProc.STORE_NUMKEYS)
            .doc(G, "Add multiple sorted sets and store the resulting sorted set in a new key")
            .handler((c, a) -> setop(c, a, "zunionstore", ZSetOps.SetOp.UNION, true, false));
        t.add("zinterstore", -4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).keynum(0, 1, 1).flags(RO, ACCESS))
            .getKeys(GetKeysProc.STORE_NUMKEYS)
            .doc(G, "Intersect multiple sorted sets and store the resulting sorted set in a new key")
            .handler((c, a) -> setop(c, a, "zinterstore", ZSetOps.SetOp.INTER, true, false));
        t.add("zdiffstore", -4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).keynum(0, 1, 1).flags(RO, ACCESS))
            .getKeys(GetKeysProc.STORE_NUMKEYS)
            .doc(G, "Subtract multiple sorted sets and store the resulting sorted set in a new key")
            .handler((c, a) -> setop(c, a, "zdiffstore", ZSetOps.SetOp.DIFF, true, false));
        t.add("zintercard", -3).flags(READONLY)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RO, ACCESS)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Intersect multiple sorted sets and return the cardinality of the result")
            .handler((c, a) -> setop(c, a, "zintercard", ZSetOps.SetOp.INTER, false, true));
        t.add("zmpop", -4).flags(WRITE)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RW, ACCESS, DELETE)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Remove and return members with scores in a sorted set")
            .handler(ZSetCommands::zmpop);
    }

    private static Reply score(Double d) {
        return d == null ? Reply.NULL : new Reply.DoubleReply(d);
    }

    private static Reply rank(Long r) {
        return r == null ? Reply.NULL : Reply.integer(r);
    }

    private static ScoreRange scoreRange(byte[] min, byte[] max) {
        ScoreRange r = ScoreRange.parse(min, max);
        if (r == null) {
            throw new RedJarException(NOT_FLOAT_RANGE);
        }
        return r;
    }

    private static LexRange lexRange(byte[] min, byte[] max) {
        LexRange r = LexRange.parse(min, max);
        if (r == null) {
            throw new RedJarException(NOT_LEX_RANGE);
        }
        return r;
    }

    // ---- ZADD

    private static Reply zadd(ExecContext c, byte[][] a) {
        int flags = 0;
        int i = 2;
        for (; i < a.length; i++) {
            byte[] o = a[i];
            if (Args.is(o, "nx")) {
                flags |= ZSetOps.NX;
            } else if (Args.is(o, "xx")) {
                flags |= ZSetOps.XX;
            } else if (Args.is(o, "ch")) {
                flags |= ZSetOps.CH;
            } else if (Args.is(o, "incr")) {
                flags |= ZSetOps.INCR;
            } else if (Args.is(o, "gt")) {
                flags |= ZSetOps.GT;
            } else if (Args.is(o, "lt")) {
                flags |= ZSetOps.LT;
            } else {
                break;
            }
        }
        int elements = a.length - i;
        if (elements % 2 != 0 || elements == 0) {
            throw new SyntaxException();
        }
        elements /= 2;
        ZAddFlags checked = ZAddFlags.of(flags, elements);
        double[] scores = new double[elements];
        byte[][] members = new byte[elements][];
        for (int j = 0; j < elements; j++) {
            scores[j] = Numbers.parseDouble(a[i + 2 * j]);
            members[j] = a[i + 2 * j + 1];
        }
        ZSetOps.AddResult r = ops(c).zadd(c.db(), a[1], checked.bits(), scores, members, a);
        if (checked.incr()) {
            return score(r.score);
        }
        return Reply.integer(r.count);
    }

    // ---- ranges

    /**
     * Redis 7.0's {@code zrangeGenericCommand}: {@code keyAt} is the source key's index; forced
     * type/direction for the legacy forms, null/false for ZRANGE and ZRANGESTORE.
     */
    private static Reply range(ExecContext c, byte[][] a, int keyAt, boolean store, By forcedBy, boolean reverse) {
        By by = forcedBy;
        boolean dirAuto = forcedBy == null && !reverse;
        boolean rev = reverse;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        boolean revAllowed = forcedBy == null;
        for (int j = keyAt + 3; j < a.length; j++) {
            int left = a.length - j - 1;
            if (!store && Args.is(a[j], "withscores")) {
                withScores = true;
            } else if (Args.is(a[j], "limit") && left >= 2) {
                offset = Args.parseLong(a[j + 1]);
                limit = Args.parseLong(a[j + 2]);
                limitGiven = true;
                j += 2;
            } else if (revAllowed && dirAuto && Args.is(a[j], "rev")) {
                rev = true;
                dirAuto = false;
            } else if (by == null && Args.is(a[j], "bylex")) {
                by = By.LEX;
            } else if (by == null && Args.is(a[j], "byscore")) {
                by = By.SCORE;
            } else {
                throw new SyntaxException();
            }
        }
        if (by == null) {
            by = By.RANK;
        }
        if (limitGiven && limit != -1 && by == By.RANK) {
            throw new RedJarException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw new RedJarException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] minArg = a[keyAt + 1];
        byte[] maxArg = a[keyAt + 2];
        if (rev && by != By.RANK) {
            byte[] tmp = minArg;
            minArg = maxArg;
            maxArg = tmp;
        }
        RangeSpec s = new RangeSpec();
        s.by = by;
        s.reverse = rev;
        s.offset = offset;
        s.limit = limit;
        switch (by) {
            case RANK:
                s.start = Args.parseLong(minArg);
                s.end = Args.parseLong(maxArg);
                break;
            case SCORE:
                s.score = scoreRange(minArg, maxArg);
                break;
            default:
                s.lex = lexRange(minArg, maxArg);
                break;
        }
        if (store) {
            return Reply.integer(ops(c).zrangestore(c.db(), a[1], a[2], s, a));
        }
        ZSetOps.Elements el = ops(c).zrange(c.db(), a[keyAt], s);
        return elements(c, el, withScores);
    }

    /** Members, or with scores: flat pairs in RESP2, [member, score] arrays in RESP3. */
    private static Reply elements(ExecContext c, ZSetOps.Elements el, boolean withScores) {
        List<Reply> out = new ArrayList<>((int) Math.min(io.redjar.internal.util.Sizes.MAX_VALUE_BYTES,
            withScores ? 2L * el.size() : el.size()));
        boolean nested = c.protocol() > 2;
        for (int i = 0; i < el.size(); i++) {
            Reply m = Reply.bulk(el.members.get(i));
            if (!withScores) {
                out.add(m);
            } else if (nested) {
                out.add(Reply.array(m, new Reply.DoubleReply(el.scores.get(i))));
            } else {
                out.add(m);
                out.add(new Reply.DoubleReply(el.scores.get(i)));
            }
        }
        return Reply.array(out);
    }

    // ---- pops, scan, random

    private static Reply pop(ExecContext c, byte[][] a, boolean max) {
        if (a.length > 3) {
            throw new SyntaxException();
        }
        long count = 1;
        boolean countGiven = a.length == 3;
        if (countGiven) {
            count = Numbers.parseLongOrDefault(a[2], -1);
            if (count < 0) {
                throw new RedJarException("ERR value is out of range, must be positive");
            }
        }
        ZSetOps.Elements el = ops(c).zpop(c.db(), a[1], count, max, a);
        if (!countGiven) {
            if (el.size() == 0) {
                return Reply.EMPTY_ARRAY;
            }
            return Reply.array(Reply.bulk(el.members.get(0)), new Reply.DoubleReply(el.scores.get(0)));
        }
        return elements(c, el, true);
    }

    private static Reply zscan(ExecContext c, byte[][] a) {
        long cursor = KeyCommands.parseCursor(a[2]);
        ScanArgs o = ScanArgs.parse(a, 3, false);
        if (o.error != null) {
            // Redis looks the key up (missing: empty scan; wrong type: WRONGTYPE) before options
            if (ops(c).zcard(c.db(), a[1]) == 0) {
                return ScanArgs.EMPTY;
            }
            throw o.error;
        }
        ZSetOps.ScanResult r = ops(c).zscan(c.db(), a[1], cursor, o.pattern, o.count);
        return ScanArgs.reply(r.cursor, r.items);
    }

    private static Reply zrandmember(ExecContext c, byte[][] a) {
        if (a.length == 2) {
            ZSetOps.Elements el = ops(c).zrandmember(c.db(), a[1], 1);
            return el == null || el.size() == 0 ? Reply.NULL : Reply.bulk(el.members.get(0));
        }
        long count = Args.parseLong(a[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedJarException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean withScores = false;
        if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "withscores"))) {
            throw new SyntaxException();
        }
        if (a.length == 4) {
            withScores = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new RedJarException("ERR value is out of range");
            }
        }
        ZSetOps.Elements el = ops(c).zrandmember(c.db(), a[1], count);
        if (el == null) {
            return Reply.EMPTY_ARRAY;
        }
        return elements(c, el, withScores);
    }

    // ---- ZUNION / ZINTER / ZDIFF, their STORE forms, ZINTERCARD

    /**
     * Redis 7.0's {@code zunionInterDiffGenericCommand} argument handling: numkeys errors at once;
     * option errors are deferred until the ops have looked the input keys up, as Redis reports
     * WRONGTYPE first.
     */
    private static Reply setop(ExecContext c, byte[][] a, String name, ZSetOps.SetOp op, boolean store, boolean card) {
        int numkeysIndex = store ? 2 : 1;
        long setnum = Args.parseLong(a[numkeysIndex]);
        if (setnum < 1) {
            throw new RedJarException("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (setnum > a.length - (numkeysIndex + 1)) {
            throw new SyntaxException();
        }
        int n = (int) setnum;
        ZSetOps.SetOpSpec spec = new ZSetOps.SetOpSpec();
        spec.op = op;
        spec.keys = Arrays.copyOfRange(a, numkeysIndex + 1, numkeysIndex + 1 + n);
        spec.weights = new double[n];
        Arrays.fill(spec.weights, 1.0);
        boolean withScores = false;
        try {
            int j = numkeysIndex + 1 + n;
            while (j < a.length) {
                int remaining = a.length - j;
                if (op != ZSetOps.SetOp.DIFF && !card && remaining >= n + 1 && Args.is(a[j], "weights")) {
                    j++;
                    for (int i = 0; i < n; i++, j++) {
                        try {
                            spec.weights[i] = Numbers.parseDouble(a[j]);
                        } catch (RedJarException e) {
                            throw new RedJarException("ERR weight value is not a float");
                        }
                    }
                } else if (op != ZSetOps.SetOp.DIFF && !card && remaining >= 2 && Args.is(a[j], "aggregate")) {
                    byte[] g = a[j + 1];
                    if (Args.is(g, "sum")) {
                        spec.aggregate = ZSetOps.AGGR_SUM;
                    } else if (Args.is(g, "min")) {
                        spec.aggregate = ZSetOps.AGGR_MIN;
                    } else if (Args.is(g, "max")) {
                        spec.aggregate = ZSetOps.AGGR_MAX;
                    } else {
                        throw new SyntaxException();
                    }
                    j += 2;
                } else if (!store && !card && Args.is(a[j], "withscores")) {
                    withScores = true;
                    j++;
                } else if (card && remaining >= 2 && Args.is(a[j], "limit")) {
                    spec.limit = Args.parseLong(a[j + 1], "ERR LIMIT can't be negative");
                    if (spec.limit < 0) {
                        throw new RedJarException("ERR LIMIT can't be negative");
                    }
                    j += 2;
                } else {
                    throw new SyntaxException();
                }
            }
        } catch (RedJarException e) {
            spec.deferred = e;
        }
        if (card) {
            return Reply.integer(ops(c).zintercard(c.db(), spec));
        }
        if (store) {
            return Reply.integer(ops(c).zsetopstore(c.db(), a[1], spec, a));
        }
        return elements(c, ops(c).zsetop(c.db(), spec), withScores);
    }

    // ---- ZMPOP

    /** ZMPOP's arguments after {@code numkeys}: the keys, MIN|MAX and COUNT. */
    record MPopArgs(byte[][] keys, boolean max, long count) {
    }

    /**
     * Parses {@code numkeys key [key ...] MIN|MAX [COUNT count]} starting at {@code a[from]}
     * (ZMPOP: 1, BZMPOP: 2), with Redis 7.0's errors.
     */
    static MPopArgs parseMpop(byte[][] a, int from) {
        long numkeys = Numbers.parseLongOrDefault(a[from], 0);
        if (numkeys < 1) {
            throw new RedJarException("ERR numkeys should be greater than 0");
        }
        if (numkeys > a.length - from - 2) {
            throw new SyntaxException();
        }
        int whereIdx = from + 1 + (int) numkeys;
        boolean max;
        if (Args.is(a[whereIdx], "min")) {
            max = false;
        } else if (Args.is(a[whereIdx], "max")) {
            max = true;
        } else {
            throw new SyntaxException();
        }
        long count = -1;
        for (int j = whereIdx + 1; j < a.length; j++) {
            boolean moreArgs = j < a.length - 1;
            if (count == -1 && Args.is(a[j], "count") && moreArgs) {
                j++;
                count = Numbers.parseLongOrDefault(a[j], 0);
                if (count < 1) {
                    throw new RedJarException("ERR count should be greater than 0");
                }
            } else {
                throw new SyntaxException();
            }
        }
        return new MPopArgs(Arrays.copyOfRange(a, from + 1, whereIdx), max, count == -1 ? 1 : count);
    }

    /** {@code [key, [[member, score], ...]]}, or the null array. */
    static Reply mpopReply(ZSetOps.MPopResult r) {
        if (r == null) {
            return Reply.NULL_ARRAY;
        }
        List<Reply> items = new ArrayList<>(r.elements.size());
        for (int i = 0; i < r.elements.size(); i++) {
            items.add(Reply.array(Reply.bulk(r.elements.members.get(i)), new Reply.DoubleReply(r.elements.scores.get(i))));
        }
        return Reply.array(Reply.bulk(r.key), Reply.array(items));
    }

    private static Reply zmpop(ExecContext c, byte[][] a) {
        MPopArgs m = parseMpop(a, 1);
        return mpopReply(ops(c).zmpop(c.db(), m.keys(), m.max(), m.count()));
    }
}
