package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Intset;
import io.redjar.internal.structure.LexRange;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;
import io.redjar.internal.structure.ScoreRange;
import io.redjar.internal.structure.SkipList;
import io.redjar.internal.structure.SkipListDescriptor;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.Numbers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sorted-set operations (Redis 7.0's {@code t_zset.c} without the argument parsing): every
 * method takes parsed arguments, locks the shards of its keys, works on the entry's listpack or
 * skip list (see {@link ZSetStructures} for the value layout), propagates its effect and returns
 * plain Java values. {@code ZSetCommands} parses argv and shapes replies.
 *
 * <p>Encodings follow Redis 7.0: a new key is a listpack unless {@code zset-max-listpack-entries}
 * is 0 or its first member is longer than {@code zset-max-listpack-value}; it converts to the skip
 * list when an insert would pass either limit, and never converts back. Destinations of
 * {@code ZRANGESTORE} start as a listpack when the result count fits (see {@link #store}).
 * Integral scores are stored in a listpack as integers (so {@code -0} reads back as {@code 0}),
 * others as their {@code %.17g} text, which round-trips exactly.
 *
 * <p><b>Thread-safety:</b> thread-safe; per-shard helpers are only used under their shard's lock. The
 * composition root builds exactly one instance per store; every caller shares it.
 */
public final class ZSetOps {
    static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final Keyspace ks;
    private final CollectionLimits limits;
    private final SkipList[] skipLists;
    private final NativeDict[] dicts;
    private final SplittableRandom[] randoms;

    public ZSetOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
        int n = ks.shardCount();
        skipLists = new SkipList[n];
        dicts = new NativeDict[n];
        randoms = new SplittableRandom[n];
        SplittableRandom seeds = new SplittableRandom();
        for (int i = 0; i < n; i++) {
            SlabAllocator a = ks.shard(i).allocator();
            randoms[i] = seeds.split();
            skipLists[i] = new SkipList(a, randoms[i].split());
            dicts[i] = new NativeDict(a, SkipListDescriptor.MEMBER_KEYS, false);
        }
    }

    // =========================================================================== value access

    /**
     * A sorted set read under its shard lock by another operations class of this package (GEO
     * searches), without exposing the encodings.
     */
    interface Reader {
        /** @return whether the key holds a sorted set */
        boolean exists();

        /** @return the member's score, or NaN when absent */
        double score(byte[] member);

        /**
         * Visits the members with {@code min <= score < max} in (score, member) order until the
         * visitor returns false.
         */
        void walk(double min, double max, Visitor v);
    }

    /** Receives the members of a {@link Reader#walk}. */
    @FunctionalInterface
    interface Visitor {
        /** @return whether to go on */
        boolean visit(byte[] member, double score);
    }

    /**
     * Opens {@code key} for reading under its shard lock (held by the caller): lazy expiry, then
     * the type check.
     *
     * @throws io.redjar.WrongTypeException when the key holds another type
     */
    Reader reader(Shard s, int db, byte[] key) {
        return openRead(s, db, key, true);
    }

    /**
     * Replaces {@code key} (whose slot the caller looked up under the held lock, -1 when absent)
     * with a sorted set of {@code el}, as {@link #store} does.
     */
    void storeLocked(Shard s, int db, byte[] key, int slot, Elements el) {
        store(s, db, key, slot, el);
    }

    /** A sorted set found under a lock: its entry, slot and root. */
    private final class Z implements Reader {
        final Shard s;
        final int db;
        final byte[] key;
        int slot;
        long e;
        final SlabAllocator a;
        final SkipList zsl;
        final NativeDict dict;
        final SplittableRandom random;

        Z(Shard s, int db, byte[] key, int slot) {
            this.s = s;
            this.db = db;
            this.key = key;
            this.slot = slot;
            this.e = slot < 0 ? 0 : s.table(db).entry(slot);
            this.a = s.allocator();
            this.zsl = skipLists[s.index()];
            this.dict = dicts[s.index()];
            this.random = randoms[s.index()];
        }

        @Override
        public boolean exists() {
            return e != 0;
        }

        @Override
        public void walk(double min, double max, Visitor v) {
            if (!exists()) {
                return;
            }
            if (listpack()) {
                long lp = root();
                for (int p = Listpack.first(lp); p >= 0; ) {
                    int sp = Listpack.next(lp, p);
                    double sc = lpScore(lp, sp);
                    if (sc >= max) {
                        return;
                    }
                    if (sc >= min && !v.visit(Listpack.get(lp, p), sc)) {
                        return;
                    }
                    p = Listpack.next(lp, sp);
                }
                return;
            }
            long z = ZSetStructures.zsl(root());
            for (long x = SkipList.firstInRange(z, new ScoreRange(min, false, max, true)); x != 0; x = SkipList.next(x)) {
                double sc = SkipListDescriptor.score(x);
                if (sc >= max || !v.visit(SkipListDescriptor.member(x), sc)) {
                    return;
                }
            }
        }

        long root() {
            return NativeMemory.getLong(EntryDescriptor.valueAddress(e));
        }

        void setRoot(long r) {
            NativeMemory.putLong(EntryDescriptor.valueAddress(e), r);
        }

        boolean listpack() {
            return EntryDescriptor.encodingHint(e) == ZSetStructures.LISTPACK;
        }

        long length() {
            long r = root();
            return listpack() ? Listpack.length(r) / 2 : SkipList.length(ZSetStructures.zsl(r));
        }

        /** Creates the key with an empty structure in the given encoding. */
        void create(boolean asListpack) {
            long h = Keyspace.hash(key);
            e = ks.allocateFor(s, db, key, h, slot, ValueType.ZSET,
                asListpack ? ZSetStructures.LISTPACK : ZSetStructures.SKIPLIST, 8, Keyspace.NO_TTL);
            slot = s.table(db).find(key, 0, key.length, h);
            setRoot(asListpack ? Listpack.create(a) : ZSetStructures.newRoot(a, dict.create(), zsl.create()));
        }

        /** Deletes the key if it is empty; @return whether it did. */
        boolean deleteIfEmpty() {
            if (length() == 0) {
                ks.delete(s, db, slot);
                e = 0;
                slot = -1;
                return true;
            }
            return false;
        }

        /** Converts the listpack to the skip list. */
        void convert() {
            long lp = root();
            long d = dict.create(Listpack.length(lp) / 2);
            long z = zsl.create();
            for (int p = Listpack.first(lp); p >= 0; ) {
                byte[] m = Listpack.get(lp, p);
                p = Listpack.next(lp, p);
                double sc = lpScore(lp, p);
                p = Listpack.next(lp, p);
                dict.insert(d, zsl.insert(z, sc, m));
            }
            Listpack.free(a, lp);
            setRoot(ZSetStructures.newRoot(a, d, z));
            int flags = EntryDescriptor.flags(e) & ~(0x3 << EntryDescriptor.ENC_SHIFT);
            EntryDescriptor.setFlags(e, flags | (ZSetStructures.SKIPLIST << EntryDescriptor.ENC_SHIFT));
        }

        // ---- point access

        /** @return the listpack position of member's entry, or -1. */
        int lpFind(byte[] m) {
            long lp = root();
            for (int p = Listpack.first(lp); p >= 0; ) {
                if (Listpack.equals(lp, p, m, 0, m.length)) {
                    return p;
                }
                p = Listpack.next(lp, Listpack.next(lp, p));
            }
            return -1;
        }

        /** @return the skip-list node of member, or 0. */
        long node(byte[] m) {
            return dict.get(ZSetStructures.dict(root()), m, 0, m.length);
        }

        /** @return the score of member, or NaN when absent. */
        @Override
        public double score(byte[] m) {
            if (listpack()) {
                int p = lpFind(m);
                return p < 0 ? Double.NaN : lpScore(root(), Listpack.next(root(), p));
            }
            long n = node(m);
            return n == 0 ? Double.NaN : SkipListDescriptor.score(n);
        }

        /** Inserts a member known to be absent. */
        void insert(byte[] m, double score) {
            if (listpack()) {
                long lp = root();
                int p = Listpack.first(lp);
                while (p >= 0) {
                    int sp = Listpack.next(lp, p);
                    double sc = lpScore(lp, sp);
                    if (sc > score || (sc == score && compareLp(lp, p, m) > 0)) {
                        break;
                    }
                    p = Listpack.next(lp, sp);
                }
                int at = p < 0 ? Listpack.bytes(lp) - 1 : p;
                lp = Listpack.insertBefore(a, lp, at, m, 0, m.length);
                int after = at + Listpack.entrySize(lp, at);
                lp = lpInsertScore(a, lp, after, score);
                setRoot(lp);
            } else {
                long r = root();
                dict.insert(ZSetStructures.dict(r), zsl.insert(ZSetStructures.zsl(r), score, m));
            }
        }

        /** Appends a member known to sort after every present one (listpack only). */
        void append(byte[] m, double score) {
            long lp = root();
            int at = Listpack.bytes(lp) - 1;
            lp = Listpack.insertBefore(a, lp, at, m, 0, m.length);
            lp = lpInsertScore(a, lp, at + Listpack.entrySize(lp, at), score);
            setRoot(lp);
        }

        /** Removes a member; @return whether it was there. */
        boolean remove(byte[] m) {
            if (listpack()) {
                int p = lpFind(m);
                if (p < 0) {
                    return false;
                }
                setRoot(Listpack.deleteRangeAt(a, root(), p, 2));
                return true;
            }
            long r = root();
            long d = ZSetStructures.dict(r);
            int slot = dict.find(d, m, 0, m.length);
            if (slot < 0) {
                return false;
            }
            long node = NativeDict.removeAt(d, slot);
            zsl.deleteNode(ZSetStructures.zsl(r), node);
            dict.maybeShrink(d);
            return true;
        }

        /** Changes the score of a present member. */
        void update(byte[] m, double score) {
            if (listpack()) {
                remove(m);
                insert(m, score);
            } else {
                long r = root();
                zsl.updateScore(ZSetStructures.zsl(r), node(m), score);
            }
        }

        /** @return the 0-based rank of member, or -1. */
        long rank(byte[] m) {
            if (listpack()) {
                long lp = root();
                long rank = 0;
                for (int p = Listpack.first(lp); p >= 0; rank++) {
                    if (Listpack.equals(lp, p, m, 0, m.length)) {
                        return rank;
                    }
                    p = Listpack.next(lp, Listpack.next(lp, p));
                }
                return -1;
            }
            long n = node(m);
            return n == 0 ? -1 : SkipList.rankOf(ZSetStructures.zsl(root()), n) - 1;
        }

        // ---- ranges as rank intervals

        /** @return {first, last} 0-based ranks of the members inside the score range, or null. */
        long[] scoreBounds(ScoreRange range) {
            if (range.isEmpty()) {
                return null;
            }
            if (listpack()) {
                long lp = root();
                long rank = 0;
                long first = -1;
                long last = -1;
                for (int p = Listpack.first(lp); p >= 0; rank++) {
                    int sp = Listpack.next(lp, p);
                    double sc = lpScore(lp, sp);
                    if (range.contains(sc)) {
                        if (first < 0) {
                            first = rank;
                        }
                        last = rank;
                    } else if (!range.lteMax(sc)) {
                        break;
                    }
                    p = Listpack.next(lp, sp);
                }
                return first < 0 ? null : new long[] {first, last};
            }
            long z = ZSetStructures.zsl(root());
            long f = SkipList.firstInRange(z, range);
            if (f == 0) {
                return null;
            }
            long l = SkipList.lastInRange(z, range);
            return new long[] {SkipList.rankOf(z, f) - 1, SkipList.rankOf(z, l) - 1};
        }

        /*
         * Lex ranges follow Redis's walks exactly, also on sorted sets whose scores differ (where
         * Redis calls the result undefined but it is deterministic for a listpack): the first
         * element is zzlFirstInLexRange / zslFirstInLexRange, then elements are taken while they
         * are at or below the maximum (at or above the minimum when walking backwards), without
         * re-checking the other bound. On a skip list with unequal scores the node the descent
         * reaches depends on the random levels, in Redis as here.
         */

        private static boolean gteMin(LexRange range, byte[] m) {
            return range.gteMin(m, NativeMemory.BYTE_ARRAY_BASE, m.length);
        }

        private static boolean lteMax(LexRange range, byte[] m) {
            return range.lteMax(m, NativeMemory.BYTE_ARRAY_BASE, m.length);
        }

        /** zzlIsInLexRange: the last member is at or above min and the first at or below max. */
        private static boolean lpInLexRange(long lp, LexRange range) {
            int first = Listpack.first(lp);
            if (range.isEmpty() || first < 0) {
                return false;
            }
            return gteMin(range, Listpack.get(lp, Listpack.prev(lp, Listpack.last(lp))))
                    && lteMax(range, Listpack.get(lp, first));
        }

        /** @return the 0-based rank Redis's first-in-lex-range walk returns, or -1. */
        long lexFirst(LexRange range) {
            if (listpack()) {
                long lp = root();
                if (!lpInLexRange(lp, range)) {
                    return -1;
                }
                long rank = 0;
                for (int p = Listpack.first(lp); p >= 0; rank++) {
                    byte[] m = Listpack.get(lp, p);
                    if (gteMin(range, m)) {
                        return lteMax(range, m) ? rank : -1;
                    }
                    p = Listpack.next(lp, Listpack.next(lp, p));
                }
                return -1;
            }
            long z = ZSetStructures.zsl(root());
            long f = SkipList.firstInLexRange(z, range);
            return f == 0 ? -1 : SkipList.rankOf(z, f) - 1;
        }

        /** @return the 0-based rank Redis's last-in-lex-range walk returns, or -1. */
        long lexLast(LexRange range) {
            if (listpack()) {
                long lp = root();
                if (!lpInLexRange(lp, range)) {
                    return -1;
                }
                long rank = length() - 1;
                for (int p = Listpack.prev(lp, Listpack.last(lp)); p >= 0; rank--) {
                    byte[] m = Listpack.get(lp, p);
                    if (lteMax(range, m)) {
                        return gteMin(range, m) ? rank : -1;
                    }
                    int sp = Listpack.prev(lp, p);
                    p = sp < 0 ? -1 : Listpack.prev(lp, sp);
                }
                return -1;
            }
            long z = ZSetStructures.zsl(root());
            long l = SkipList.lastInLexRange(z, range);
            return l == 0 ? -1 : SkipList.rankOf(z, l) - 1;
        }

        /**
         * @return how many consecutive elements from rank {@code from} (inclusive) stay at or
         *         below the maximum walking up, or at or above the minimum walking down
         *         ({@code reverse}), at most {@code limit} (negative: no limit)
         */
        long lexRun(long from, boolean reverse, long limit, LexRange range) {
            long n = 0;
            if (listpack()) {
                long lp = root();
                int p = Listpack.seek(lp, 2 * from);
                while (p >= 0 && (limit < 0 || n < limit)) {
                    byte[] m = Listpack.get(lp, p);
                    if (reverse ? !gteMin(range, m) : !lteMax(range, m)) {
                        break;
                    }
                    n++;
                    if (reverse) {
                        int sp = Listpack.prev(lp, p);
                        p = sp < 0 ? -1 : Listpack.prev(lp, sp);
                    } else {
                        p = Listpack.next(lp, Listpack.next(lp, p));
                    }
                }
                return n;
            }
            long z = ZSetStructures.zsl(root());
            for (long x = SkipList.byRank(z, from + 1); x != 0 && (limit < 0 || n < limit); n++) {
                if (reverse ? !SkipList.lexGteMin(x, range) : !SkipList.lexLteMax(x, range)) {
                    break;
                }
                x = reverse ? SkipList.previous(x) : SkipList.next(x);
            }
            return n;
        }

        /** ZLEXCOUNT as Redis counts it (on a skip list: rank of last minus rank of first). */
        long lexCount(LexRange range) {
            long first = lexFirst(range);
            if (first < 0) {
                return 0;
            }
            if (listpack()) {
                return lexRun(first, false, -1, range);
            }
            long len = length();
            long count = len - first;
            long last = lexLast(range);
            if (last >= 0) {
                count -= len - 1 - last;
            }
            return count;
        }

        /** @return {first, last} ranks ZREMRANGEBYLEX deletes (zzl/zslDeleteRangeByLex), or null. */
        long[] lexDeleteBounds(LexRange range) {
            long from;
            if (listpack()) {
                from = lexFirst(range);
            } else {
                long z = ZSetStructures.zsl(root());
                long x = SkipList.lexDescent(z, range);
                from = x == 0 ? -1 : SkipList.rankOf(z, x) - 1;
            }
            if (from < 0) {
                return null;
            }
            long n = lexRun(from, false, -1, range);
            return n == 0 ? null : new long[] {from, from + n - 1};
        }

        /** Appends ranks from..to (0-based, inclusive), walking down from {@code to} when reverse. */
        void collect(long from, long to, boolean reverse, List<byte[]> members, List<Double> scores) {
            if (from > to) {
                return;
            }
            if (listpack()) {
                long lp = root();
                if (!reverse) {
                    int p = Listpack.seek(lp, 2 * from);
                    for (long r = from; r <= to; r++) {
                        members.add(Listpack.get(lp, p));
                        p = Listpack.next(lp, p);
                        scores.add(lpScore(lp, p));
                        p = Listpack.next(lp, p);
                    }
                } else {
                    int p = Listpack.seek(lp, 2 * to);
                    for (long r = to; r >= from; r--) {
                        members.add(Listpack.get(lp, p));
                        scores.add(lpScore(lp, Listpack.next(lp, p)));
                        if (r > from) {
                            p = Listpack.prev(lp, Listpack.prev(lp, p));
                        }
                    }
                }
                return;
            }
            long z = ZSetStructures.zsl(root());
            long x = SkipList.byRank(z, (reverse ? to : from) + 1);
            for (long i = from; i <= to; i++) {
                members.add(SkipListDescriptor.member(x));
                scores.add(SkipListDescriptor.score(x));
                x = reverse ? SkipList.previous(x) : SkipList.next(x);
            }
        }

        /** Deletes ranks from..to (0-based, inclusive, valid). */
        void deleteRanks(long from, long to) {
            if (listpack()) {
                setRoot(Listpack.deleteRange(a, root(), 2 * from, 2 * (to - from + 1)));
                return;
            }
            long r = root();
            long d = ZSetStructures.dict(r);
            zsl.deleteRangeByRank(ZSetStructures.zsl(r), from + 1, to + 1, node -> {
                int slot = dict.find(d, null, SkipListDescriptor.memberAddress(node),
                    SkipListDescriptor.memberLength(node),
                    NativeMemory.hash(null, SkipListDescriptor.memberAddress(node), SkipListDescriptor.memberLength(node)));
                NativeDict.removeAt(d, slot);
            });
            dict.maybeShrink(d);
        }
    }

    /**
     * SORT's view of a sorted set: Redis 7.0's {@code sortCommandGeneric} first converts a
     * listpack-encoded sorted set to a skip list, destructively and for good ({@code zsetConvert}),
     * so this does the same before listing the members. Caller holds the key's shard lock.
     *
     * @param slot the live slot of a sorted set
     * @return the members in (score, member) order
     */
    List<byte[]> membersForSort(Shard s, int db, byte[] key, int slot) {
        Z z = new Z(s, db, key, slot);
        if (z.listpack()) {
            z.convert();
        }
        List<byte[]> out = new ArrayList<>((int) z.length());
        z.collect(0, z.length() - 1, false, out, new ArrayList<>());
        return out;
    }

    private static int compareLp(long lp, int p, byte[] m) {
        byte[] cur = Listpack.get(lp, p);
        return Arrays.compareUnsigned(cur, m);
    }

    /** @return the score stored at listpack position {@code p}. */
    static double lpScore(long lp, int p) {
        if (Listpack.isInteger(lp, p)) {
            return Listpack.getLong(lp, p);
        }
        String s = new String(Listpack.get(lp, p), StandardCharsets.US_ASCII);
        switch (s) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    /** Inserts a score before position {@code at} as Redis 7.0 stores it. */
    static long lpInsertScore(SlabAllocator a, long lp, int at, double score) {
        if (score >= -0x1p62 && score <= 0x1p62 && score == Math.rint(score)) {
            return Listpack.insertLongBefore(a, lp, at, (long) score);
        }
        byte[] t = Numbers.formatDoubleD2String(score).getBytes(StandardCharsets.US_ASCII);
        return Listpack.insertBefore(a, lp, at, t, 0, t.length);
    }

    /** {@link #open} for a read (Redis's lookupKeyRead): counts a keyspace hit or miss. */
    private Z openRead(Shard s, int db, byte[] key, boolean touch) {
        int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), touch);
        Z z = new Z(s, db, key, slot);
        if (slot >= 0) {
            Keyspace.checkType(z.e, ValueType.ZSET);
        }
        return z;
    }

    private Z open(Shard s, int db, byte[] key, boolean touch) {
        int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), touch);
        Z z = new Z(s, db, key, slot);
        if (slot >= 0) {
            Keyspace.checkType(z.e, ValueType.ZSET);
        }
        return z;
    }

    // =========================================================================== ZADD

    /** ZADD flags. */
    public static final int NX = 1, XX = 2, GT = 4, LT = 8, CH = 16, INCR = 32;

    /** What ZADD did. */
    public static final class AddResult {
        /** Added, or added + changed with CH. */
        public long count;
        /** With INCR: the new score, or null when nothing was done. */
        public Double score;
    }

    /**
     * ZADD with typed arguments: the options checked by {@link ZAddFlags#of}; the command
     * propagated is written from them.
     */
    public AddResult zadd(int db, byte[] key, ZAddFlags flags, double[] scores, byte[][] members) {
        return zadd(db, key, flags.bits(), scores, members, flags.argv(key, scores, members));
    }

    /** ZINCRBY with typed arguments. */
    public AddResult zincrby(int db, byte[] key, double increment, byte[] member) {
        return zadd(db, key, INCR, new double[] {increment}, new byte[][] {member}, new byte[][] {
            "ZINCRBY".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key,
            Numbers.formatDouble17g(increment).getBytes(java.nio.charset.StandardCharsets.US_ASCII), member});
    }

    /**
     * ZADD / ZINCRBY with already-parsed scores.
     *
     * @throws RedJarException {@code ERR resulting score is not a number (NaN)}
     */
    public AddResult zadd(int db, byte[] key, int flags, double[] scores, byte[][] members, byte[][] argv) {
        AddResult r = new AddResult();
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = open(s, db, key, true);
            if (!z.exists()) {
                if ((flags & XX) != 0) {
                    return r;
                }
                z.create(limits.zsetMaxListpackEntries != 0 && members[0].length <= limits.zsetMaxListpackValue);
            }
            long added = 0;
            long updated = 0;
            boolean processed = false;
            boolean dirty = false;
            try {
                for (int i = 0; i < members.length; i++) {
                    byte[] m = members[i];
                    double score = scores[i];
                    double cur = z.score(m);
                    if (!Double.isNaN(cur)) {
                        if ((flags & NX) != 0) {
                            continue;
                        }
                        if ((flags & INCR) != 0) {
                            score += cur;
                            if (Double.isNaN(score)) {
                                throw new RedJarException("ERR resulting score is not a number (NaN)");
                            }
                        }
                        if (((flags & LT) != 0 && score >= cur) || ((flags & GT) != 0 && score <= cur)) {
                            continue;
                        }
                        processed = true;
                        r.score = score;
                        if (score != cur) {
                            z.update(m, score);
                            updated++;
                            dirty = true;
                        }
                    } else if ((flags & XX) == 0) {
                        if (z.listpack() && (z.length() + 1 > limits.zsetMaxListpackEntries
                            || m.length > limits.zsetMaxListpackValue || !Listpack.safeToAdd(z.root(), m.length))) {
                            z.convert();
                        }
                        z.insert(m, score);
                        added++;
                        processed = true;
                        dirty = true;
                        r.score = score;
                    }
                }
            } finally {
                if (z.exists() && z.deleteIfEmpty()) {
                    dirty = true;
                }
                if (dirty) {
                    ks.propagate(db, argv);
                }
                if (added + updated > 0) {
                    ks.modified(db, key, (flags & INCR) != 0 ? KeyEvent.ZINCR : KeyEvent.ZADD);
                }
            }
            if (!processed) {
                r.score = null;
            }
            r.count = (flags & CH) != 0 ? added + updated : added;
            return r;
        } finally {
            s.unlock();
        }
    }

    // =========================================================================== reads

    /** ZSCORE: the score, or null. */
    public Double zscore(int db, byte[] key, byte[] member) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return null;
            }
            double d = z.score(member);
            return Double.isNaN(d) ? null : d;
        } finally {
            s.unlock();
        }
    }

    /** ZMSCORE: a score or null per member. */
    public Double[] zmscore(int db, byte[] key, byte[][] members) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            Double[] out = new Double[members.length];
            if (z.exists()) {
                for (int i = 0; i < members.length; i++) {
                    double d = z.score(members[i]);
                    out[i] = Double.isNaN(d) ? null : d;
                }
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** ZCARD. */
    public long zcard(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            return z.exists() ? z.length() : 0;
        } finally {
            s.unlock();
        }
    }

    /** ZRANK / ZREVRANK: the rank, or null. */
    public Long zrank(int db, byte[] key, byte[] member, boolean reverse) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return null;
            }
            long r = z.rank(member);
            if (r < 0) {
                return null;
            }
            return reverse ? z.length() - 1 - r : r;
        } finally {
            s.unlock();
        }
    }

    /** ZCOUNT. */
    public long zcount(int db, byte[] key, ScoreRange range) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return 0;
            }
            long[] b = z.scoreBounds(range);
            return b == null ? 0 : b[1] - b[0] + 1;
        } finally {
            s.unlock();
        }
    }

    /** ZLEXCOUNT. */
    public long zlexcount(int db, byte[] key, LexRange range) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return 0;
            }
            return z.lexCount(range);
        } finally {
            s.unlock();
        }
    }

    // =========================================================================== ranges

    /** How a range is given. */
    public enum By { RANK, SCORE, LEX }

    /** A parsed ZRANGE-family request. */
    public static final class RangeSpec {
        public By by = By.RANK;
        public boolean reverse;
        public long start;
        public long end;
        public ScoreRange score;
        public LexRange lex;
        public long offset;
        public long limit = -1;
    }

    /** Elements in reply order. */
    public static final class Elements {
        public final List<byte[]> members = new ArrayList<>();
        public final List<Double> scores = new ArrayList<>();

        public int size() {
            return members.size();
        }
    }

    /** @return {from, to} ranks the spec selects (to walked down first when reverse), or null. */
    private static long[] select(Z z, RangeSpec spec) {
        long len = z.length();
        if (spec.by == By.RANK) {
            long start = spec.start;
            long end = spec.end;
            if (start < 0) {
                start = len + start;
            }
            if (end < 0) {
                end = len + end;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= len) {
                return null;
            }
            if (end >= len) {
                end = len - 1;
            }
            return spec.reverse ? new long[] {len - 1 - end, len - 1 - start} : new long[] {start, end};
        }
        if (spec.by == By.LEX) {
            return selectLex(z, spec);
        }
        long[] b = z.scoreBounds(spec.score);
        if (b == null || spec.offset < 0 || spec.limit == 0) {
            return null;
        }
        long count = b[1] - b[0] + 1;
        if (spec.offset >= count) {
            return null;
        }
        long take = count - spec.offset;
        if (spec.limit > 0 && spec.limit < take) {
            take = spec.limit;
        }
        if (spec.reverse) {
            long hi = b[1] - spec.offset;
            return new long[] {hi - take + 1, hi};
        }
        long lo = b[0] + spec.offset;
        return new long[] {lo, lo + take - 1};
    }

    /** BYLEX: Redis's walk from the first (last, reversed) element in range, offset, limit. */
    private static long[] selectLex(Z z, RangeSpec spec) {
        if (spec.offset < 0 || spec.limit == 0) {
            return null;
        }
        long len = z.length();
        if (!spec.reverse) {
            long first = z.lexFirst(spec.lex);
            if (first < 0 || first + spec.offset >= len) {
                return null;
            }
            long from = first + spec.offset;
            long n = z.lexRun(from, false, spec.limit, spec.lex);
            return n == 0 ? null : new long[] {from, from + n - 1};
        }
        long last = z.lexLast(spec.lex);
        if (last < 0 || last - spec.offset < 0) {
            return null;
        }
        long from = last - spec.offset;
        long n = z.lexRun(from, true, spec.limit, spec.lex);
        return n == 0 ? null : new long[] {from - n + 1, from};
    }

    /** ZRANGE and its older forms. */
    public Elements zrange(int db, byte[] key, RangeSpec spec) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Elements out = new Elements();
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return out;
            }
            long[] r = select(z, spec);
            if (r != null) {
                z.collect(r[0], r[1], spec.reverse, out.members, out.scores);
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** ZRANGESTORE: @return the destination's size. */
    public long zrangestore(int db, byte[] dst, byte[] src, RangeSpec spec, byte[][] argv) {
        byte[][] keys = {dst, src};
        int[] sh = ks.shardsOf(keys, 0, 2, 1);
        ks.lock(sh);
        try {
            Z z = openRead(ks.shardOf(src), db, src, true);
            Elements el = new Elements();
            if (z.exists()) {
                long[] r = select(z, spec);
                if (r != null) {
                    z.collect(r[0], r[1], spec.reverse, el.members, el.scores);
                }
            }
            Shard ds = ks.shardOf(dst);
            int slot = ks.lookup(ds, db, dst, Keyspace.hash(dst), ks.now(), true);
            if (el.size() == 0) {
                if (slot >= 0) {
                    ks.delete(ds, db, slot);
                    ks.propagate(db, argv);
                    ks.modified(db, dst, KeyEvent.DEL);
                }
                return 0;
            }
            store(ds, db, dst, slot, el);
            ks.propagate(db, argv);
            ks.modified(db, dst, KeyEvent.ZRANGESTORE);
            return el.size();
        } finally {
            ks.unlock(sh);
        }
    }

    /**
     * Writes a new sorted set (any old value replaced) as Redis 7.0's ZRANGESTORE does: created as
     * a listpack when the result count fits ({@code zsetTypeCreate(count, 0)}), then filled in
     * emission order, converting when a member is too long; so a {@code -0} added before the
     * conversion becomes {@code 0}, as in Redis.
     */
    private void store(Shard s, int db, byte[] key, int slot, Elements el) {
        int n = el.size();
        Z z = new Z(s, db, key, slot);
        z.create(n <= limits.zsetMaxListpackEntries);
        for (int i = 0; i < n; i++) {
            byte[] m = el.members.get(i);
            if (z.listpack() && (z.length() + 1 > limits.zsetMaxListpackEntries || m.length > limits.zsetMaxListpackValue
                || !Listpack.safeToAdd(z.root(), m.length))) {
                z.convert();
            }
            z.insert(m, el.scores.get(i));
        }
    }

    // =========================================================================== removal

    /** Reports a removal from {@code key}, then its deletion when it emptied it (Redis's order). */
    private void removed(int db, byte[] key, KeyEvent event, boolean deleted) {
        ks.modified(db, key, event);
        if (deleted) {
            ks.modified(db, key, KeyEvent.DEL);
        }
    }

    /** ZREM with typed arguments (propagates {@code ZREM key members...}). */
    public long zrem(int db, byte[] key, byte[][] members) {
        return zrem(db, key, members, TypedArgv.keyAndItems("ZREM", key, members));
    }

    /** ZREM: @return members removed. */
    public long zrem(int db, byte[] key, byte[][] members, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = open(s, db, key, true);
            if (!z.exists()) {
                return 0;
            }
            long n = 0;
            for (byte[] m : members) {
                if (z.remove(m)) {
                    n++;
                    if (z.length() == 0) {
                        break;
                    }
                }
            }
            if (n > 0) {
                boolean deleted = z.deleteIfEmpty();
                ks.propagate(db, argv);
                removed(db, key, KeyEvent.ZREM, deleted);
            }
            return n;
        } finally {
            s.unlock();
        }
    }

    /**
     * ZREMRANGEBYRANK / BYSCORE / BYLEX with typed arguments, chosen by {@code spec.by}; the
     * command propagated is written from the range.
     */
    public long zremrange(int db, byte[] key, RangeSpec spec) {
        byte[][] argv;
        switch (spec.by) {
            case SCORE: {
                byte[][] b = TypedArgv.scoreBounds(spec.score);
                argv = TypedArgv.of("ZREMRANGEBYSCORE", key, b[0], b[1]);
                break;
            }
            case LEX: {
                byte[][] b = TypedArgv.lexBounds(spec.lex);
                argv = TypedArgv.of("ZREMRANGEBYLEX", key, b[0], b[1]);
                break;
            }
            default:
                argv = TypedArgv.of("ZREMRANGEBYRANK", key, TypedArgv.number(spec.start), TypedArgv.number(spec.end));
        }
        return zremrange(db, key, spec, argv);
    }

    /** ZREMRANGEBYRANK / BYSCORE / BYLEX (spec's offset/limit/reverse unused). */
    public long zremrange(int db, byte[] key, RangeSpec spec, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = open(s, db, key, true);
            if (!z.exists()) {
                return 0;
            }
            long[] r = spec.by == By.LEX ? z.lexDeleteBounds(spec.lex) : select(z, spec);
            if (r == null) {
                return 0;
            }
            z.deleteRanks(r[0], r[1]);
            boolean deleted = z.deleteIfEmpty();
            ks.propagate(db, argv);
            removed(db, key, spec.by == By.RANK ? KeyEvent.ZREMRANGEBYRANK
                : spec.by == By.SCORE ? KeyEvent.ZREMRANGEBYSCORE : KeyEvent.ZREMRANGEBYLEX, deleted);
            return r[1] - r[0] + 1;
        } finally {
            s.unlock();
        }
    }

    /** ZPOPMIN / ZPOPMAX with typed arguments (propagates {@code ZPOPMIN key count}). */
    public Elements zpop(int db, byte[] key, long count, boolean max) {
        return zpop(db, key, count, max, TypedArgv.of(max ? "ZPOPMAX" : "ZPOPMIN", key, TypedArgv.number(count)));
    }

    /** ZPOPMIN / ZPOPMAX: up to {@code count} elements in pop order. */
    public Elements zpop(int db, byte[] key, long count, boolean max, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Elements out = new Elements();
            Z z = open(s, db, key, true);
            if (!z.exists() || count <= 0) {
                return out;
            }
            long len = z.length();
            long n = Math.min(count, len);
            long from = max ? len - n : 0;
            long to = max ? len - 1 : n - 1;
            z.collect(from, to, max, out.members, out.scores);
            z.deleteRanks(from, to);
            boolean deleted = z.deleteIfEmpty();
            ks.propagate(db, argv);
            removed(db, key, max ? KeyEvent.ZPOPMAX : KeyEvent.ZPOPMIN, deleted);
            return out;
        } finally {
            s.unlock();
        }
    }

    // =========================================================================== scan / random

    /** One ZSCAN step: next cursor and flat member, score-text pairs. */
    public static final class ScanResult {
        public long cursor;
        public final List<byte[]> items = new ArrayList<>();
    }

    /** ZSCAN. */
    public ScanResult zscan(int db, byte[] key, long cursor, byte[] pattern, long count) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            ScanResult out = new ScanResult();
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return out;
            }
            if (z.listpack()) {
                long lp = z.root();
                for (int p = Listpack.first(lp); p >= 0; ) {
                    byte[] m = Listpack.get(lp, p);
                    p = Listpack.next(lp, p);
                    byte[] sc = Listpack.get(lp, p);
                    p = Listpack.next(lp, p);
                    if (pattern == null || Glob.match(pattern, m, false)) {
                        out.items.add(m);
                        out.items.add(sc);
                    }
                }
                return out;
            }
            long d = ZSetStructures.dict(z.root());
            long max = count * 10;
            List<Long> nodes = new ArrayList<>();
            do {
                cursor = z.dict.scanBucket(d, cursor, nodes::add);
            } while (cursor != 0 && max-- > 0 && nodes.size() < count);
            for (long node : nodes) {
                byte[] m = SkipListDescriptor.member(node);
                if (pattern == null || Glob.match(pattern, m, false)) {
                    out.items.add(m);
                    out.items.add(Numbers.formatDoubleD2String(SkipListDescriptor.score(node)).getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.cursor = cursor;
            return out;
        } finally {
            s.unlock();
        }
    }

    /**
     * ZRANDMEMBER with a count: distinct members when {@code count >= 0}, {@code -count} members
     * with repetition otherwise; null when the key is missing.
     */
    public Elements zrandmember(int db, byte[] key, long count) {
        io.redjar.internal.util.Sizes.checkLongMaxRange(count);
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            Z z = openRead(s, db, key, true);
            if (!z.exists()) {
                return null;
            }
            io.redjar.internal.util.Sizes.checkRandomCount(count);
            Elements out = new Elements();
            long len = z.length();
            if (count < 0) {
                for (long i = 0; i < -count; i++) {
                    long r = z.random.nextLong(len);
                    z.collect(r, r, false, out.members, out.scores);
                }
                return out;
            }
            if (count >= len) {
                // the whole set, highest score first: Redis 7.0.15 answers this case that way
                z.collect(0, len - 1, true, out.members, out.scores);
                return out;
            }
            // distinct ranks, in random order
            long[] ranks = new long[io.redjar.internal.util.Sizes.toInt(count, io.redjar.internal.util.Sizes.OUT_OF_RANGE)];
            java.util.HashSet<Long> seen = new java.util.HashSet<>();
            int k = 0;
            while (k < count) {
                long r = z.random.nextLong(len);
                if (seen.add(r)) {
                    ranks[k++] = r;
                }
            }
            for (long r : ranks) {
                z.collect(r, r, false, out.members, out.scores);
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    // =========================================================================== ZUNION / ZINTER / ZDIFF

    /** The operation of Redis 7.0's {@code zunionInterDiffGenericCommand}. */
    public enum SetOp { UNION, INTER, DIFF }

    /** AGGREGATE modes. */
    public static final int AGGR_SUM = 0, AGGR_MIN = 1, AGGR_MAX = 2;

    /** Parsed arguments of ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD. */
    public static final class SetOpSpec {
        public SetOp op = SetOp.UNION;
        /** The input keys (numkeys of them). */
        public byte[][] keys;
        /** One weight per key (all 1 unless WEIGHTS). */
        public double[] weights;
        public int aggregate = AGGR_SUM;
        /** ZINTERCARD's LIMIT; 0 means none. */
        public long limit;
        /**
         * An option error Redis reports only after looking the input keys up (so WRONGTYPE wins
         * over it); null when the options parsed.
         */
        public RedJarException deferred;
    }

    /** One input: a sorted set, a plain set (every score 1) or a missing key. */
    private final class Source {
        final Z z;
        final long setEntry;
        final Shard s;
        final double weight;
        final long length;

        Source(Shard s, int db, byte[] key, double weight) {
            this.s = s;
            this.weight = weight;
            int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            long e = slot < 0 ? 0 : s.table(db).entry(slot);
            if (e != 0 && EntryDescriptor.type(e) == ValueType.SET.code()) {
                z = null;
                setEntry = e;
                length = setLength(e);
            } else {
                if (e != 0) {
                    Keyspace.checkType(e, ValueType.ZSET);
                }
                z = new Z(s, db, key, slot);
                setEntry = 0;
                length = z.exists() ? z.length() : 0;
            }
        }

        /** Appends every (member, score) pair, scores unweighted. */
        void elements(List<byte[]> members, List<Double> scores) {
            if (length == 0) {
                return;
            }
            if (z != null) {
                z.collect(0, length - 1, false, members, scores);
            } else {
                int from = members.size();
                setMembers(setEntry, members);
                for (int i = from; i < members.size(); i++) {
                    scores.add(1.0);
                }
            }
        }

        /** @return the unweighted score of {@code m}, or NaN when absent (scores are never NaN). */
        double find(byte[] m) {
            if (length == 0) {
                return Double.NaN;
            }
            if (z != null) {
                return z.score(m);
            }
            return setContains(s, setEntry, m) ? 1.0 : Double.NaN;
        }
    }

    // ---- reading a plain set (layout of SetStructures: 8-byte value word, bit 0 set = NativeDict
    // with SET_RECORDS, clear = intset). Kept to these three methods so that they follow the set
    // type's value layout in one place.

    private static long setValue(long e) {
        return NativeMemory.getLong(EntryDescriptor.valueAddress(e));
    }

    static long setLength(long e) {
        long v = setValue(e);
        return (v & 1L) != 0 ? NativeDict.size(v & ~1L) : Intset.length(v);
    }

    static void setMembers(long e, List<byte[]> out) {
        long v = setValue(e);
        if ((v & 1L) != 0) {
            NativeDict.forEach(v & ~1L, rec -> {
                int len = NativeDictDescriptor.SET_RECORDS.keyLength(rec);
                byte[] m = new byte[len];
                NativeMemory.copyToArray(NativeDictDescriptor.SET_RECORDS.keyAddress(rec), m, 0, len);
                out.add(m);
            });
        } else {
            int n = Intset.length(v);
            for (int i = 0; i < n; i++) {
                out.add(Long.toString(Intset.get(v, i)).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    static boolean setContains(Shard s, long e, byte[] m) {
        long v = setValue(e);
        if ((v & 1L) != 0) {
            return new NativeDict(s.allocator(), NativeDictDescriptor.SET_RECORDS, true).get(v & ~1L, m, 0, m.length) != 0;
        }
        return Numbers.isLong(m) && Intset.contains(v, Numbers.parseLong(m));
    }

    /** A computed result, in (score, member) order, with its longest member's length. */
    private static final class Result {
        final Elements el = new Elements();
        int maxLen;
        long cardinality;
    }

    /** Redis's {@code zunionInterAggregate}. */
    private static double aggregate(double target, double val, int aggregate) {
        switch (aggregate) {
            case AGGR_SUM:
                double r = target + val;
                return Double.isNaN(r) ? 0.0 : r;
            case AGGR_MIN:
                return val < target ? val : target;
            default:
                return val > target ? val : target;
        }
    }

    /** Opens the sources (type checks first, as Redis), then computes the operation. Caller holds the locks. */
    private Result compute(int db, SetOpSpec spec, boolean cardinalityOnly) {
        int n = spec.keys.length;
        Source[] src = new Source[n];
        for (int i = 0; i < n; i++) {
            byte[] k = spec.keys[i];
            src[i] = new Source(ks.shardOf(k), db, k, spec.weights == null ? 1.0 : spec.weights[i]);
        }
        if (spec.deferred != null) {
            throw spec.deferred;
        }
        if (spec.op != SetOp.DIFF) {
            // qsort by cardinality; glibc's qsort is a stable merge sort here
            Arrays.sort(src, (x, y) -> Long.compare(x.length, y.length));
        }
        Result res = new Result();
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        if (spec.op == SetOp.INTER) {
            if (src[0].length > 0) {
                List<byte[]> in = new ArrayList<>();
                List<Double> inScores = new ArrayList<>();
                src[0].elements(in, inScores);
                for (int i = 0; i < in.size(); i++) {
                    byte[] m = in.get(i);
                    double score = src[0].weight * inScores.get(i);
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    int j = 1;
                    for (; j < n; j++) {
                        double v = src[j].find(m);
                        if (Double.isNaN(v)) {
                            break;
                        }
                        score = aggregate(score, v * src[j].weight, spec.aggregate);
                    }
                    if (j == n) {
                        if (cardinalityOnly) {
                            res.cardinality++;
                            if (spec.limit > 0 && res.cardinality >= spec.limit) {
                                break;
                            }
                        } else {
                            members.add(m);
                            scores.add(score);
                        }
                    }
                }
            }
        } else if (spec.op == SetOp.UNION) {
            LinkedHashMap<ByteBuffer, double[]> acc = new LinkedHashMap<>();
            for (Source x : src) {
                if (x.length == 0) {
                    continue;
                }
                List<byte[]> in = new ArrayList<>();
                List<Double> inScores = new ArrayList<>();
                x.elements(in, inScores);
                for (int i = 0; i < in.size(); i++) {
                    double score = x.weight * inScores.get(i);
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    double[] cur = acc.get(ByteBuffer.wrap(in.get(i)));
                    if (cur == null) {
                        acc.put(ByteBuffer.wrap(in.get(i)), new double[] {score});
                    } else {
                        cur[0] = aggregate(cur[0], score, spec.aggregate);
                    }
                }
            }
            for (Map.Entry<ByteBuffer, double[]> en : acc.entrySet()) {
                members.add(en.getKey().array());
                scores.add(en.getValue()[0]);
            }
        } else if (src[0].length > 0) {
            List<byte[]> in = new ArrayList<>();
            List<Double> inScores = new ArrayList<>();
            src[0].elements(in, inScores);
            for (int i = 0; i < in.size(); i++) {
                byte[] m = in.get(i);
                boolean found = false;
                for (int j = 1; j < n && !found; j++) {
                    found = !Double.isNaN(src[j].find(m));
                }
                if (!found) {
                    members.add(m);
                    scores.add(inScores.get(i));
                }
            }
        }
        // the result is a skip list: (score, member) order, -0 equal to 0
        Integer[] order = new Integer[members.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            double a = scores.get(x);
            double b = scores.get(y);
            if (a < b) {
                return -1;
            }
            if (a > b) {
                return 1;
            }
            return Arrays.compareUnsigned(members.get(x), members.get(y));
        });
        for (int i : order) {
            byte[] m = members.get(i);
            res.el.members.add(m);
            res.el.scores.add(scores.get(i));
            res.maxLen = Math.max(res.maxLen, m.length);
        }
        return res;
    }

    /** ZUNION / ZINTER / ZDIFF: the result in (score, member) order. */
    public Elements zsetop(int db, SetOpSpec spec) {
        int[] sh = ks.shardsOf(spec.keys, 0, spec.keys.length, 1);
        ks.lock(sh);
        try {
            return compute(db, spec, false).el;
        } finally {
            ks.unlock(sh);
        }
    }

    /** ZINTERCARD: the intersection's size, at most {@code spec.limit} when that is positive. */
    public long zintercard(int db, SetOpSpec spec) {
        int[] sh = ks.shardsOf(spec.keys, 0, spec.keys.length, 1);
        ks.lock(sh);
        try {
            return compute(db, spec, true).cardinality;
        } finally {
            ks.unlock(sh);
        }
    }

    /**
     * ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: writes the result to {@code dst} (any old value and
     * TTL replaced) or deletes {@code dst} when it is empty; @return the result's size. As Redis,
     * the result is built as a skip list and converted to a listpack when it has at most
     * {@code zset-max-listpack-entries} members none longer than {@code zset-max-listpack-value}
     * ({@code zsetConvertToListpackIfNeeded}); so {@code -0} stays {@code -0} only in a skip list.
     */
    public long zsetopstore(int db, byte[] dst, SetOpSpec spec, byte[][] argv) {
        byte[][] keys = Arrays.copyOf(spec.keys, spec.keys.length + 1);
        keys[spec.keys.length] = dst;
        int[] sh = ks.shardsOf(keys, 0, keys.length, 1);
        ks.lock(sh);
        try {
            Result r = compute(db, spec, false);
            Shard ds = ks.shardOf(dst);
            int slot = ks.lookup(ds, db, dst, Keyspace.hash(dst), ks.now(), true);
            int n = r.el.size();
            if (n == 0) {
                if (slot >= 0) {
                    ks.delete(ds, db, slot);
                    ks.propagate(db, argv);
                    ks.modified(db, dst, KeyEvent.DEL);
                }
                return 0;
            }
            Z z = new Z(ds, db, dst, slot);
            long total = 0;
            for (byte[] m : r.el.members) {
                total += m.length;
            }
            // zsetConvertToListpackIfNeeded: lpSafeToAdd(NULL, totelelen) keeps the listpack under 1 GiB
            boolean lp = n <= limits.zsetMaxListpackEntries && r.maxLen <= limits.zsetMaxListpackValue
                && Listpack.safeToAdd(0, total);
            z.create(lp);
            for (int i = 0; i < n; i++) {
                if (lp) {
                    z.append(r.el.members.get(i), r.el.scores.get(i));
                } else {
                    z.insert(r.el.members.get(i), r.el.scores.get(i));
                }
            }
            ks.propagate(db, argv);
            ks.modified(db, dst, spec.op == SetOp.UNION ? KeyEvent.ZUNIONSTORE
                : spec.op == SetOp.INTER ? KeyEvent.ZINTERSTORE : KeyEvent.ZDIFFSTORE);
            return n;
        } finally {
            ks.unlock(sh);
        }
    }

    // =========================================================================== ZMPOP

    /** What ZMPOP popped: the key and its elements in pop order. */
    public static final class MPopResult {
        public byte[] key;
        public Elements elements;
    }

    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);

    /**
     * ZMPOP: pops up to {@code count} from the first non-empty key (a key of another type before it
     * fails with WRONGTYPE); propagated as {@code ZPOPMIN|ZPOPMAX key count}, as Redis does.
     *
     * @return null when every key is missing
     */
    public MPopResult zmpop(int db, byte[][] keys, boolean max, long count) {
        int[] sh = ks.shardsOf(keys, 0, keys.length, 1);
        ks.lock(sh);
        try {
            for (byte[] key : keys) {
                Z z = open(ks.shardOf(key), db, key, true);
                if (!z.exists()) {
                    continue;
                }
                MPopResult r = new MPopResult();
                r.key = key;
                byte[][] prop = {max ? ZPOPMAX : ZPOPMIN, key, Numbers.formatLong(count)};
                r.elements = zpop(db, key, count, max, prop);
                return r;
            }
            return null;
        } finally {
            ks.unlock(sh);
        }
    }
}
