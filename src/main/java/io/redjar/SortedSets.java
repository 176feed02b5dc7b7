package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.types.ZAddFlags;
import io.redjar.internal.types.ZSetOps;
import io.redjar.internal.util.Numbers;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sorted-set commands on one database, called directly (no parsing): {@code ZADD},
 * {@code ZRANGE} (by rank, score or lex), {@code ZPOPMIN}, {@code ZSCAN} and the rest of Redis's
 * sorted-set family, including the blocking pops {@code BZPOPMIN}/{@code BZPOPMAX} as blocking
 * methods and as futures. Members are {@code String}s (UTF-8); the most common calls also have a
 * {@code byte[]} form.
 *
 * <pre>{@code
 * SortedSets z = store.sortedSets();
 * z.zadd("board", Map.of("ann", 12.0, "bob", 7.5));
 * List<SortedSets.ScoredMember> top = z.zrevrangeWithScores("board", 0, 0);  // [ann=12.0]
 * List<String> mid = z.zrangeByScore("board", SortedSets.ScoreRange.closed(5, 10)); // [bob]
 * }</pre>
 *
 * <p>Errors are Redis's, as exceptions: {@link WrongTypeException} when a key holds another type,
 * {@link RedJarException} otherwise, with Redis's text. Scores must not be NaN
 * ({@code ERR value is not a valid float}).
 *
 * <p>Blocking pops behave as in {@link Lists}: they wait with no lock held in the same queues as
 * the {@code BZPOPMIN} command; a zero timeout waits forever; interrupting the waiting thread
 * throws {@link InterruptedException} and takes nothing; cancelling an async future takes nothing.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 * Only {@link #zscan}'s {@code pattern} may be null.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command, except {@link #zscan},
 * whose iterator runs many ZSCAN steps (Redis's SCAN guarantee).
 */
public final class SortedSets {

    /**
     * A member and its score.
     *
     * @param member the member
     * @param score  its score
     */
    public record ScoredMember(String member, double score) {
    }

    /**
     * A member popped by {@link #bzpopmin}/{@link #bzpopmax}, with its key.
     *
     * @param key    the sorted set's key
     * @param member the member
     * @param score  its score
     */
    public record Popped(String key, String member, double score) {
    }

    /**
     * ZADD's options: a condition ({@code NX}, {@code XX}, {@code GT}, {@code LT}) and {@code CH}.
     * Immutable; each method returns a new instance. Conflicts are rejected when the command runs,
     * with Redis's errors ({@code NX} with {@code XX}; {@code GT}, {@code LT} and {@code NX} together).
     */
    public static final class AddOptions {
        private static final AddOptions NONE = new AddOptions(0);
        private final int flags;

        private AddOptions(int flags) {
            this.flags = flags;
        }

        /** @return plain ZADD */
        public static AddOptions none() {
            return NONE;
        }

        /** @return these options with {@code NX}: only add new members, never update */
        public AddOptions nx() {
            return new AddOptions(flags | ZSetOps.NX);
        }

        /** @return these options with {@code XX}: only update existing members, never add */
        public AddOptions xx() {
            return new AddOptions(flags | ZSetOps.XX);
        }

        /** @return these options with {@code GT}: only update when the new score is greater */
        public AddOptions gt() {
            return new AddOptions(flags | ZSetOps.GT);
        }

        /** @return these options with {@code LT}: only update when the new score is less */
        public AddOptions lt() {
            return new AddOptions(flags | ZSetOps.LT);
        }

        /** @return these options with {@code CH}: count changed members as well as added ones */
        public AddOptions ch() {
            return new AddOptions(flags | ZSetOps.CH);
        }

        @Override
        public String toString() {
            // the words as ZADD takes them; unchecked here (the call checks, as Redis does)
            return "AddOptions" + ZAddFlags.describe(flags);
        }
    }

    /** Whether an end of a {@link ScoreRange} is part of the range. */
    public enum Bound {
        /** The end value itself is in the range ({@code 1.5}). */
        INCLUSIVE,
        /** The end value itself is not ({@code (1.5}). */
        EXCLUSIVE
    }

    /**
     * A score range for ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE: each end inclusive or exclusive,
     * and possibly infinite. Ends are given low to high (also for the reverse forms).
     *
     * @param min      the lower end ({@link Double#NEGATIVE_INFINITY} for none)
     * @param minBound whether {@code min} itself is in the range ({@link Bound#EXCLUSIVE}: Redis's
     *                 {@code "(min"})
     * @param max      the upper end ({@link Double#POSITIVE_INFINITY} for none)
     * @param maxBound whether {@code max} itself is in the range
     */
    public record ScoreRange(double min, Bound minBound, double max, Bound maxBound) {
        /**
         * @throws IllegalArgumentException if an end is NaN ({@code "min must not be NaN"})
         * @throws NullPointerException     if a bound is null
         */
        public ScoreRange {
            Preconditions.notNull(minBound, "minBound");
            Preconditions.notNull(maxBound, "maxBound");
            if (Double.isNaN(min)) {
                throw new IllegalArgumentException("min must not be NaN");
            }
            if (Double.isNaN(max)) {
                throw new IllegalArgumentException("max must not be NaN");
            }
        }

        /** @return {@code [min, max]} */
        public static ScoreRange closed(double min, double max) {
            return new ScoreRange(min, Bound.INCLUSIVE, max, Bound.INCLUSIVE);
        }

        /** @return {@code (min, max)} */
        public static ScoreRange open(double min, double max) {
            return new ScoreRange(min, Bound.EXCLUSIVE, max, Bound.EXCLUSIVE);
        }

        /** @return every score ({@code -inf +inf}) */
        public static ScoreRange all() {
            return new ScoreRange(Double.NEGATIVE_INFINITY, Bound.INCLUSIVE, Double.POSITIVE_INFINITY, Bound.INCLUSIVE);
        }

        /** @return scores {@code >= min} */
        public static ScoreRange atLeast(double min) {
            return new ScoreRange(min, Bound.INCLUSIVE, Double.POSITIVE_INFINITY, Bound.INCLUSIVE);
        }

        /** @return scores {@code > min} */
        public static ScoreRange greaterThan(double min) {
            return new ScoreRange(min, Bound.EXCLUSIVE, Double.POSITIVE_INFINITY, Bound.INCLUSIVE);
        }

        /** @return scores {@code <= max} */
        public static ScoreRange atMost(double max) {
            return new ScoreRange(Double.NEGATIVE_INFINITY, Bound.INCLUSIVE, max, Bound.INCLUSIVE);
        }

        /** @return scores {@code < max} */
        public static ScoreRange lessThan(double max) {
            return new ScoreRange(Double.NEGATIVE_INFINITY, Bound.INCLUSIVE, max, Bound.EXCLUSIVE);
        }

        /**
         * Parses Redis's syntax ({@code "1.5"}, {@code "(1.5"}, {@code "-inf"}, {@code "+inf"}).
         *
         * @throws RedJarException {@code ERR min or max is not a float}
         */
        public static ScoreRange parse(String min, String max) {
            Preconditions.notNull(min, "min");
            Preconditions.notNull(max, "max");
            io.redjar.internal.structure.ScoreRange r = io.redjar.internal.structure.ScoreRange.parse(b(min), b(max));
            if (r == null) {
                throw new RedJarException("ERR min or max is not a float");
            }
            return new ScoreRange(r.min, r.minExclusive ? Bound.EXCLUSIVE : Bound.INCLUSIVE, r.max,
                r.maxExclusive ? Bound.EXCLUSIVE : Bound.INCLUSIVE);
        }

        io.redjar.internal.structure.ScoreRange internal() {
            return new io.redjar.internal.structure.ScoreRange(min, minBound == Bound.EXCLUSIVE, max, maxBound == Bound.EXCLUSIVE);
        }

    }

    /**
     * A lexicographic range for ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX (byte order of the UTF-8
     * members; meaningful when all members have the same score). Build it with the factories.
     */
    public static final class LexRange {
        private final io.redjar.internal.structure.LexRange range;
        private final byte[] minArg;
        private final byte[] maxArg;

        private LexRange(byte[] minArg, byte[] maxArg) {
            this.range = io.redjar.internal.structure.LexRange.parse(minArg, maxArg);
            if (range == null) {
                throw new RedJarException("ERR min or max not valid string range item");
            }
            this.minArg = minArg;
            this.maxArg = maxArg;
        }

        /**
         * Parses Redis's syntax: {@code "[a"} inclusive, {@code "(a"} exclusive, {@code "-"} and
         * {@code "+"} the infinite ends.
         *
         * @throws RedJarException {@code ERR min or max not valid string range item}
         */
        public static LexRange parse(String min, String max) {
            Preconditions.notNull(min, "min");
            Preconditions.notNull(max, "max");
            return new LexRange(b(min), b(max));
        }

        /** @return every member ({@code - +}) */
        public static LexRange all() {
            return parse("-", "+");
        }

        /** @return members from {@code min} to {@code max}, both included */
        public static LexRange closed(String min, String max) {
            Preconditions.notNull(min, "min");
            Preconditions.notNull(max, "max");
            return parse("[" + min, "[" + max);
        }

        /** @return members from {@code min} to {@code max}, both excluded */
        public static LexRange open(String min, String max) {
            Preconditions.notNull(min, "min");
            Preconditions.notNull(max, "max");
            return parse("(" + min, "(" + max);
        }

        /** @return members {@code >= min} */
        public static LexRange atLeast(String min) {
            Preconditions.notNull(min, "min");
            return parse("[" + min, "+");
        }

        /** @return members {@code < max} (for example every member with a prefix: {@code atLeast("p")} .. {@code lessThan("q")}) */
        public static LexRange lessThan(String max) {
            Preconditions.notNull(max, "max");
            return parse("-", "(" + max);
        }

        /** @return members {@code >= min} and {@code < max} */
        public static LexRange halfOpen(String min, String max) {
            Preconditions.notNull(min, "min");
            Preconditions.notNull(max, "max");
            return parse("[" + min, "(" + max);
        }

        @Override
        public String toString() {
            return "LexRange[" + new String(minArg, StandardCharsets.UTF_8) + " " + new String(maxArg, StandardCharsets.UTF_8) + "]";
        }
    }

    private final CallPath path;
    private final int db;

    SortedSets(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[][] bs(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = b(values[i]);
        }
        return out;
    }

    private static void checkScore(double d) {
        if (Double.isNaN(d)) {
            throw new RedJarException(Numbers.NOT_A_FLOAT);
        }
    }

    private static List<String> strings(List<byte[]> values) {
        List<String> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(s(v));
        }
        return out;
    }

    private static List<ScoredMember> scored(ZSetOps.Elements el) {
        List<ScoredMember> out = new ArrayList<>(el.size());
        for (int i = 0; i < el.size(); i++) {
            out.add(new ScoredMember(s(el.members.get(i)), el.scores.get(i)));
        }
        return out;
    }

    // ---- ZADD / ZINCRBY ----------------------------------------------------------------------

    /** ZADD of one member; returns whether it was added (with CH: added or changed). */
    public boolean zadd(byte[] key, double score, byte[] member, AddOptions options) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        Preconditions.notNull(options, "options");
        return add(key, options, new double[] {score}, new byte[][] {member}) == 1;
    }

    /** ZADD of one member without options; returns whether it was added (false: updated). */
    public boolean zadd(String key, double score, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return zadd(b(key), score, b(member), AddOptions.none());
    }

    /** ZADD of one member with options. */
    public boolean zadd(String key, double score, String member, AddOptions options) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        Preconditions.notNull(options, "options");
        return zadd(b(key), score, b(member), options);
    }

    /** ZADD of many members (member to score) without options; returns how many were added. */
    public long zadd(String key, Map<String, Double> scores) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullEntries(scores, "scores");
        return zadd(key, scores, AddOptions.none());
    }

    /**
     * ZADD of many members with options.
     *
     * @return how many were added (with CH: added or changed)
     * @throws RedJarException {@code ERR wrong number of arguments for 'zadd' command} if empty
     */
    public long zadd(String key, Map<String, Double> scores, AddOptions options) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullEntries(scores, "scores");
        Preconditions.notNull(options, "options");
        if (scores.isEmpty()) {
            throw new RedJarException("ERR wrong number of arguments for 'zadd' command");
        }
        double[] sc = new double[scores.size()];
        byte[][] members = new byte[scores.size()][];
        int i = 0;
        for (Map.Entry<String, Double> e : new LinkedHashMap<>(scores).entrySet()) {
            sc[i] = Objects.requireNonNull(e.getValue(), "score");
            members[i++] = b(e.getKey());
        }
        return add(b(key), options, sc, members);
    }

    private long add(byte[] key, AddOptions options, double[] scores, byte[][] members) {
        ZAddFlags flags = ZAddFlags.of(options.flags, members.length);
        for (double d : scores) {
            checkScore(d);
        }
        long n = path.call("zadd", db, o -> o.zsets().zadd(db, key, flags, scores, members)).count;
        return n;
    }

    /**
     * ZINCRBY: adds {@code increment} to the member's score (from 0 if absent); returns the new score.
     *
     * @throws RedJarException {@code ERR resulting score is not a number (NaN)}
     */
    public double zincrby(String key, double increment, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        checkScore(increment);
        byte[] k = b(key);
        byte[] m = b(member);
        ZSetOps.AddResult r = path.call("zincrby", db, o -> o.zsets().zincrby(db, k, increment, m));
        return r.score;
    }

    // ---- reads -------------------------------------------------------------------------------

    /** ZSCORE: the member's score, or null. */
    public Double zscore(byte[] key, byte[] member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return path.call("zscore", db, o -> o.zsets().zscore(db, key, member));
    }

    /** ZSCORE. */
    public Double zscore(String key, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return path.call("zscore", db, o -> o.zsets().zscore(db, b(key), b(member)));
    }

    /** ZMSCORE: the scores in member order, null for missing members. */
    public List<Double> zmscore(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        if (members.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for 'zmscore' command");
        }
        return java.util.Arrays.asList(path.call("zmscore", db, o -> o.zsets().zmscore(db, b(key), bs(members))));
    }

    /** ZCARD: the number of members, 0 if the key does not exist. */
    public long zcard(String key) {
        Preconditions.notNull(key, "key");
        return path.call("zcard", db, o -> o.zsets().zcard(db, b(key)));
    }

    /** ZRANK: the member's rank by ascending score (0-based), or null. */
    public Long zrank(String key, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return path.call("zrank", db, o -> o.zsets().zrank(db, b(key), b(member), false));
    }

    /** ZREVRANK: the member's rank by descending score, or null. */
    public Long zrevrank(String key, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return path.call("zrevrank", db, o -> o.zsets().zrank(db, b(key), b(member), true));
    }

    /** ZCOUNT: how many scores are in {@code range}. */
    public long zcount(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return path.call("zcount", db, o -> o.zsets().zcount(db, b(key), range.internal()));
    }

    /** ZLEXCOUNT: how many members are in {@code range}. */
    public long zlexcount(String key, LexRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return path.call("zlexcount", db, o -> o.zsets().zlexcount(db, b(key), range.range));
    }

    // ---- ranges ------------------------------------------------------------------------------

    /** The command a range call stands for (ZRANGEBYSCORE, ZREVRANGE, ...), for the call path. */
    private static String rangeCommand(ZSetOps.By by, boolean reverse) {
        switch (by) {
            case SCORE:
                return reverse ? "zrevrangebyscore" : "zrangebyscore";
            case LEX:
                return reverse ? "zrevrangebylex" : "zrangebylex";
            default:
                return reverse ? "zrevrange" : "zrange";
        }
    }

    private ZSetOps.Elements range(String key, ZSetOps.By by, boolean reverse, long start, long end,
                                   ScoreRange score, LexRange lex, long offset, long count) {
        ZSetOps.RangeSpec spec = new ZSetOps.RangeSpec();
        spec.by = by;
        spec.reverse = reverse;
        spec.start = start;
        spec.end = end;
        spec.score = score == null ? null : score.internal();
        spec.lex = lex == null ? null : lex.range;
        spec.offset = offset;
        spec.limit = count;
        return path.call(rangeCommand(by, reverse), db, o -> o.zsets().zrange(db, b(key), spec));
    }

    /** ZRANGE by rank ({@code 0, -1} is everything), lowest score first. */
    public List<byte[]> zrange(byte[] key, long start, long stop) {
        Preconditions.notNull(key, "key");
        ZSetOps.RangeSpec spec = new ZSetOps.RangeSpec();
        spec.start = start;
        spec.end = stop;
        return path.call("zrange", db, o -> o.zsets().zrange(db, key, spec)).members;
    }

    /** ZRANGE by rank. */
    public List<String> zrange(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return strings(range(key, ZSetOps.By.RANK, false, start, stop, null, null, 0, -1).members);
    }

    /** ZRANGE by rank, highest score first (ZREVRANGE). */
    public List<String> zrevrange(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return strings(range(key, ZSetOps.By.RANK, true, start, stop, null, null, 0, -1).members);
    }

    /** ZRANGE by rank WITHSCORES. */
    public List<ScoredMember> zrangeWithScores(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return scored(range(key, ZSetOps.By.RANK, false, start, stop, null, null, 0, -1));
    }

    /** ZREVRANGE WITHSCORES. */
    public List<ScoredMember> zrevrangeWithScores(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        return scored(range(key, ZSetOps.By.RANK, true, start, stop, null, null, 0, -1));
    }

    /** ZRANGEBYSCORE: members in {@code range}, lowest score first. */
    public List<String> zrangeByScore(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.SCORE, false, 0, 0, range, null, 0, -1).members);
    }

    /** ZRANGEBYSCORE ... LIMIT offset count ({@code count < 0}: all after {@code offset}). */
    public List<String> zrangeByScore(String key, ScoreRange range, long offset, long count) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.SCORE, false, 0, 0, range, null, offset, count).members);
    }

    /** ZRANGEBYSCORE WITHSCORES. */
    public List<ScoredMember> zrangeByScoreWithScores(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return scored(range(key, ZSetOps.By.SCORE, false, 0, 0, range, null, 0, -1));
    }

    /** ZREVRANGEBYSCORE: members in {@code range} (given low to high), highest score first. */
    public List<String> zrevrangeByScore(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.SCORE, true, 0, 0, range, null, 0, -1).members);
    }

    /** ZREVRANGEBYSCORE WITHSCORES. */
    public List<ScoredMember> zrevrangeByScoreWithScores(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return scored(range(key, ZSetOps.By.SCORE, true, 0, 0, range, null, 0, -1));
    }

    /** ZRANGEBYLEX: members in {@code range}, in byte order. */
    public List<String> zrangeByLex(String key, LexRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.LEX, false, 0, 0, null, range, 0, -1).members);
    }

    /** ZRANGEBYLEX ... LIMIT offset count ({@code count < 0}: all after {@code offset}). */
    public List<String> zrangeByLex(String key, LexRange range, long offset, long count) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.LEX, false, 0, 0, null, range, offset, count).members);
    }

    /** ZREVRANGEBYLEX: members in {@code range} (given low to high), in reverse byte order. */
    public List<String> zrevrangeByLex(String key, LexRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        return strings(range(key, ZSetOps.By.LEX, true, 0, 0, null, range, 0, -1).members);
    }

    // ---- removal -----------------------------------------------------------------------------

    /** ZREM: returns how many of the members were removed. */
    public long zrem(byte[] key, byte[]... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        if (members.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for 'zrem' command");
        }
        return path.call("zrem", db, o -> o.zsets().zrem(db, key, members.clone()));
    }

    /** ZREM. */
    public long zrem(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        return zrem(b(key), bs(members));
    }

    private long remrange(String key, ZSetOps.RangeSpec spec, String command) {
        byte[] k = b(key);
        return path.call(command, db, o -> o.zsets().zremrange(db, k, spec));
    }

    /** ZREMRANGEBYRANK: removes the members with ranks in {@code [start, stop]}; returns how many. */
    public long zremrangeByRank(String key, long start, long stop) {
        Preconditions.notNull(key, "key");
        ZSetOps.RangeSpec spec = new ZSetOps.RangeSpec();
        spec.start = start;
        spec.end = stop;
        return remrange(key, spec, "zremrangebyrank");
    }

    /** ZREMRANGEBYSCORE: removes the members with scores in {@code range}; returns how many. */
    public long zremrangeByScore(String key, ScoreRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        ZSetOps.RangeSpec spec = new ZSetOps.RangeSpec();
        spec.by = ZSetOps.By.SCORE;
        spec.score = range.internal();
        return remrange(key, spec, "zremrangebyscore");
    }

    /** ZREMRANGEBYLEX: removes the members in {@code range}; returns how many. */
    public long zremrangeByLex(String key, LexRange range) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(range, "range");
        ZSetOps.RangeSpec spec = new ZSetOps.RangeSpec();
        spec.by = ZSetOps.By.LEX;
        spec.lex = range.range;
        return remrange(key, spec, "zremrangebylex");
    }

    // ---- pops --------------------------------------------------------------------------------

    private List<ScoredMember> pop(String key, long count, boolean max) {
        if (count < 0) {
            throw new RedJarException("ERR value is out of range, must be positive");
        }
        byte[] k = b(key);
        return scored(path.call(max ? "zpopmax" : "zpopmin", db, o -> o.zsets().zpop(db, k, count, max)));
    }

    /** ZPOPMIN: removes and returns the member with the lowest score, or null if none. */
    public ScoredMember zpopmin(String key) {
        Preconditions.notNull(key, "key");
        List<ScoredMember> l = pop(key, 1, false);
        return l.isEmpty() ? null : l.get(0);
    }

    /** ZPOPMIN key count: up to {@code count} members, lowest score first. */
    public List<ScoredMember> zpopmin(String key, long count) {
        Preconditions.notNull(key, "key");
        return pop(key, count, false);
    }

    /** ZPOPMAX: removes and returns the member with the highest score, or null if none. */
    public ScoredMember zpopmax(String key) {
        Preconditions.notNull(key, "key");
        List<ScoredMember> l = pop(key, 1, true);
        return l.isEmpty() ? null : l.get(0);
    }

    /** ZPOPMAX key count: up to {@code count} members, highest score first. */
    public List<ScoredMember> zpopmax(String key, long count) {
        Preconditions.notNull(key, "key");
        return pop(key, count, true);
    }

    // ---- random / scan -----------------------------------------------------------------------

    /** ZRANDMEMBER: a random member, or null if the key does not exist. */
    public String zrandmember(String key) {
        Preconditions.notNull(key, "key");
        ZSetOps.Elements el = path.call("zrandmember", db, o -> o.zsets().zrandmember(db, b(key), 1));
        return el == null || el.size() == 0 ? null : s(el.members.get(0));
    }

    /**
     * ZRANDMEMBER key count: {@code count >= 0} distinct members (at most all of them);
     * {@code count < 0}: {@code -count} members, possibly repeated. Empty if the key does not exist.
     *
     * @throws RedJarException          for {@code Long.MIN_VALUE}, as Redis
     * @throws IllegalArgumentException for a negative {@code count} below {@code -(Integer.MAX_VALUE - 8)}:
     *                                  more elements than a list holds
     */
    public List<String> zrandmember(String key, long count) {
        Preconditions.notNull(key, "key");
        return strings(randomElements(key, count, false).members);
    }

    /**
     * ZRANDMEMBER key count WITHSCORES.
     *
     * @throws RedJarException          {@code ERR value is out of range} when {@code |count|} exceeds
     *                                  {@code Long.MAX_VALUE / 2}, as Redis
     * @throws IllegalArgumentException for a negative {@code count} below {@code -(Integer.MAX_VALUE - 8)}:
     *                                  more elements than a list holds
     */
    public List<ScoredMember> zrandmemberWithScores(String key, long count) {
        Preconditions.notNull(key, "key");
        return scored(randomElements(key, count, true));
    }

    private ZSetOps.Elements randomElements(String key, long count, boolean withScores) {
        Counts.random(count, withScores);
        ZSetOps.Elements el = path.call("zrandmember", db, o -> o.zsets().zrandmember(db, b(key), count));
        return el == null ? new ZSetOps.Elements() : el;
    }

    /**
     * Iterates the members and scores with ZSCAN steps (Redis's SCAN guarantee: every member
     * present for the whole iteration is returned at least once; members may repeat).
     *
     * @param pattern a glob on members, or null for all
     * @param count   the ZSCAN COUNT hint per step (at least 1)
     */
    public Iterator<ScoredMember> zscan(String key, String pattern, int count) {
        Preconditions.notNull(key, "key");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        byte[] k = b(key);
        byte[] p = pattern == null || pattern.equals("*") ? null : b(pattern);
        return new Iterator<>() {
            long cursor = 0;
            boolean started;
            Iterator<byte[]> page = List.<byte[]>of().iterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext()) {
                    if (started && cursor == 0) {
                        return false;
                    }
                    started = true;
                    ZSetOps.ScanResult r = path.call("zscan", db, o -> o.zsets().zscan(db, k, cursor, p, count));
                    cursor = r.cursor;
                    page = r.items.iterator();
                }
                return true;
            }

            @Override
            public ScoredMember next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] m = page.next();
                return new ScoredMember(s(m), Numbers.parseDouble(page.next()));
            }
        };
    }

    // ---- blocking pops -----------------------------------------------------------------------

    private BlockingPops.Outcome<Popped> bzpop(Duration timeout, boolean max, String... keys) {
        long ms = BlockingCalls.timeoutMillis(timeout);
        if (keys.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for '" + (max ? "bzpopmax" : "bzpopmin") + "' command");
        }
        return path.call(max ? "bzpopmax" : "bzpopmin", db, o -> BlockingPops.zsetPop(o.engine(), db, bs(keys), max, ms,
            p -> new Popped(s(p.key()), s(p.member()), p.score()), null));
    }

    /**
     * BZPOPMIN: pops the lowest-scored member of the first non-empty sorted set among
     * {@code keys}, waiting up to {@code timeout} (zero: forever) for one to be added.
     *
     * @return the key, member and score, or null on timeout
     * @throws InterruptedException as {@link Lists#blpop(Duration, String...)}: nothing is taken
     * @throws WrongTypeException   if an existing key before the first sorted set holds another type
     */
    public Popped bzpopmin(Duration timeout, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bzpop(timeout, false, keys), p -> p);
    }

    /** BZPOPMAX: as {@link #bzpopmin} for the highest score. */
    public Popped bzpopmax(Duration timeout, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        return BlockingCalls.await(path.blockingRegistry(), bzpop(timeout, true, keys), p -> p);
    }

    /**
     * BZPOPMIN without blocking the caller: the future completes when a member is popped, or with
     * null on timeout. Cancelling it unblocks the pop, which takes nothing.
     */
    public CompletableFuture<Popped> bzpopminAsync(Duration timeout, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        return BlockingCalls.async(path.blockingRegistry(), bzpop(timeout, false, keys), p -> p);
    }

    /** BZPOPMAX without blocking the caller (see {@link #bzpopminAsync}). */
    public CompletableFuture<Popped> bzpopmaxAsync(Duration timeout, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.noNullElements(keys, "keys");
        return BlockingCalls.async(path.blockingRegistry(), bzpop(timeout, true, keys), p -> p);
    }

    // ---- multi-key pops ----------------------------------------------------------------------

    /** Which end of a sorted set a multi-key pop takes from (ZMPOP's {@code MIN} / {@code MAX}). */
    public enum End {
        /** The lowest scores. */
        MIN,
        /** The highest scores. */
        MAX
    }

    /**
     * Members popped by {@link #zmpop}/{@link #bzmpop}, with their key.
     *
     * @param key     the sorted set's key
     * @param members the members, in pop order, with their scores
     */
    public record MultiPopped(String key, List<ScoredMember> members) {
    }

    private MultiPopped multi(ZSetOps.MPopResult r) {
        return r == null ? null : new MultiPopped(s(r.key), scored(r.elements));
    }

    /**
     * ZMPOP: pops up to {@code count} members (lowest scores first from {@link End#MIN}, highest from {@link End#MAX})
     * from the first existing sorted set among {@code keys}.
     *
     * @return the key and members, or null if no key exists
     * @throws WrongTypeException if the first existing key holds another type
     */
    public MultiPopped zmpop(End end, long count, String... keys) {
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        checkMpop(count, keys);
        return multi(path.call("zmpop", db, o -> o.zsets().zmpop(db, bs(keys), end == End.MAX, count)));
    }

    private static void checkMpop(long count, String[] keys) {
        if (keys.length == 0) {
            throw new RedJarException("ERR numkeys should be greater than 0");
        }
        if (count < 1) {
            throw new RedJarException("ERR count should be greater than 0");
        }
    }

    /**
     * BZMPOP: as {@link #zmpop}, waiting up to {@code timeout} (zero: forever) for a sorted set to
     * be created.
     *
     * @return the key and members, or null on timeout
     * @throws InterruptedException as {@link Lists#blpop(Duration, String...)}: nothing is taken
     */
    public MultiPopped bzmpop(Duration timeout, End end, long count, String... keys) throws InterruptedException {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        BlockingCalls.checkInterrupt();
        checkMpop(count, keys);
        return BlockingCalls.await(path.blockingRegistry(), path.call("bzmpop", db, o -> BlockingPops.zsetMPop(o.engine(), db, bs(keys), end == End.MAX, count,
            BlockingCalls.timeoutMillis(timeout), this::multi, null)), m -> m);
    }

    /** BZMPOP without blocking the caller (see {@link #bzpopminAsync}). */
    public CompletableFuture<MultiPopped> bzmpopAsync(Duration timeout, End end, long count, String... keys) {
        Preconditions.notNull(timeout, "timeout");
        Preconditions.notNull(end, "end");
        Preconditions.noNullElements(keys, "keys");
        checkMpop(count, keys);
        return BlockingCalls.async(path.blockingRegistry(), path.call("bzmpop", db, o -> BlockingPops.zsetMPop(o.engine(), db, bs(keys), end == End.MAX, count,
            BlockingCalls.timeoutMillis(timeout), this::multi, null)), m -> m);
    }
}
