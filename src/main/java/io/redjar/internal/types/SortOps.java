package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.WrongTypeException;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.structure.Quicklist;
import io.redjar.internal.util.Numbers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis 7.0's {@code sort.c} without the argument parsing): sorts a list, set or
 * sorted set numerically (the default) or lexicographically ({@code ALPHA}), by the elements
 * themselves or by values named by a {@code BY} pattern, with {@code LIMIT}, {@code GET} patterns
 * and {@code STORE}.
 *
 * <p><b>Locking:</b> {@code BY} and {@code GET} patterns name arbitrary keys of the database,
 * which only the elements reveal, so every call takes every shard lock ({@link Keyspace#lockAll()})
 * for the whole command, like {@code KEYS}. The command is atomic with respect to every other.
 *
 * <p><b>Redis's rules, kept:</b>
 * <ul>
 *   <li>Numeric sort keys are read with C's {@code strtod} as {@code sortCommandGeneric} calls it:
 *       the text up to the first NUL byte, leading white space allowed, nothing after the number,
 *       hexadecimal and {@code inf} accepted, NaN and any {@code ERANGE} (overflow, and underflow
 *       including inexact subnormal results) rejected with {@code ERR One or more scores can't be
 *       converted into double}; an empty text is 0. Equal scores are ordered by the elements'
 *       bytes (binary), so numeric output is deterministic.</li>
 *   <li>{@code ALPHA} compares with {@code strcoll}; Redis runs with the environment's
 *       {@code LC_COLLATE}, and in the C and C.UTF-8 locales that is {@code strcmp}: unsigned
 *       bytes up to the first NUL. That is what is implemented (other locales are not emulated).
 *       With {@code STORE} Redis compares binary (memcmp, then length), and so does this. With a
 *       {@code BY} pattern, elements whose {@code BY} key is missing sort first.</li>
 *   <li>{@code BY} without {@code *} ("nosort") skips sorting for good, even if a later {@code BY}
 *       names a pattern: a list keeps its order and a sorted set its score order ({@code DESC}
 *       reverses both, and {@code LIMIT} applies to that order); a set keeps its iteration order
 *       (which is RedJar's, not Redis's dict order) unless {@code STORE} is given, in which case
 *       the set is sorted {@code ALPHA} as Redis does for determinism. Redis also does that inside
 *       scripts; RedJar has no scripts.</li>
 *   <li>A listpack-encoded sorted set is converted to a skip list for good, as Redis 7.0 does.</li>
 *   <li>Patterns: {@code #} is the element; the first {@code *} is replaced by the element; a
 *       {@code ->field} after the {@code *} reads a hash field; without {@code ->} the key must
 *       hold a string; anything else (no {@code *}, missing key or field, another type) is nil
 *       ({@code GET}) or sorts as 0 / first ({@code BY}); with {@code STORE} a nil is stored as
 *       an empty string. Pattern searches stop at a NUL byte, as C's {@code strchr} does.</li>
 *   <li>{@code STORE} replaces the destination (any type, its TTL dropped) with a list and
 *       returns its length; an empty result deletes the destination. The command is propagated
 *       as given when it changed the data set.</li>
 * </ul>
 *
 * <p><b>Not matched:</b> when {@code ALPHA} and {@code BY} leave ties (equal or missing
 * {@code BY} values) the tied elements keep their container order (lists: list order; sets and
 * sorted sets: RedJar's iteration order), which is what Redis's stable {@code qsort} gives for
 * lists without {@code LIMIT}; with a {@code LIMIT} Redis uses its partial quicksort, whose
 * order among ties differs. Redis also checks {@code errno} after {@code strtod} without clearing
 * it first, so after an {@code ERANGE} anywhere in the server, sorting values that are not
 * integer-encoded fails until some other command happens to clear {@code errno}; RedJar judges each
 * value on its own.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class SortOps {
    private final Keyspace ks;
    private final CollectionLimits limits;
    private final ZSetOps zsets;

    public SortOps(Keyspace ks, CollectionLimits limits, ZSetOps zsets) {
        this.ks = ks;
        this.limits = limits;
        this.zsets = zsets;
    }

    /** The parsed options of one SORT. */
    public static final class Spec {
        public boolean desc;
        public boolean alpha;
        public long limitStart;
        public long limitCount = -1;
        /** The last BY pattern, or null. */
        public byte[] by;
        /** Set once a BY pattern without {@code *} was given ("nosort"); never reset. */
        public boolean dontSort;
        /** The STORE destination, or null. */
        public byte[] store;
        /** Called from a script: an unsorted set is sorted, as for STORE (Redis's CLIENT_SCRIPT). */
        public boolean fromScript;
        public final List<byte[]> gets = new ArrayList<>();
    }

    /** One element being sorted: the element, and its numeric score or its ALPHA compare text. */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] cmp;

        Item(byte[] obj) {
            this.obj = obj;
        }
    }

    /**
     * SORT / SORT_RO without STORE.
     *
     * @return the reply elements; a null entry is a nil (a GET that found nothing)
     */
    public List<byte[]> sort(int db, byte[] key, Spec spec) {
        if (spec.store != null) {
            throw new IllegalArgumentException("use sortStore");
        }
        ks.lockAll();
        try {
            return run(db, key, spec, false);
        } finally {
            ks.unlockAll();
        }
    }

    /**
     * SORT ... STORE destination.
     *
     * @param argv the whole command, propagated as given when the data set changed
     * @return the length of the stored list
     */
    public long sortStore(int db, byte[] key, Spec spec, byte[][] argv) {
        byte[] dst = spec.store;
        ks.lockAll();
        try {
            List<byte[]> out = run(db, key, spec, true);
            ListOps.checkElements(out.toArray(new byte[0][]));
            Shard s = ks.shardOf(dst);
            long h = Keyspace.hash(dst);
            int slot = ks.lookup(s, db, dst, h, ks.now(), false);
            if (!out.isEmpty()) {
                long e = ks.allocateFor(s, db, dst, h, slot, ValueType.LIST, 0, ListStructures.VALUE_SIZE, Keyspace.NO_TTL);
                long ql = Quicklist.create(s.allocator(), limits.listMaxListpackSize, limits.listCompressDepth);
                NativeMemory.putLong(EntryDescriptor.valueAddress(e), ql);
                for (byte[] v : out) {
                    Quicklist.push(s.allocator(), ql, v, false);
                }
                ks.propagate(db, argv);
                ks.modified(db, dst, KeyEvent.SORTSTORE);
            } else if (slot >= 0) {
                ks.delete(s, db, slot);
                ks.propagate(db, argv);
                ks.modified(db, dst, KeyEvent.DEL);
            }
            return out.size();
        } finally {
            ks.unlockAll();
        }
    }

    /** The command under every lock. @return the output, nils as null (STORE: as empty strings) */
    private List<byte[]> run(int db, byte[] key, Spec spec, boolean store) {
        boolean desc = spec.desc;
        boolean alpha = spec.alpha;
        boolean dontSort = spec.dontSort;
        byte[] by = spec.by;
        long now = ks.now();

        Shard s = ks.shardOf(key);
        int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), now, true);
        int type = ValueType.LIST.code();
        long e = 0;
        if (slot >= 0) {
            e = s.table(db).entry(slot);
            type = EntryDescriptor.type(e);
            if (type != ValueType.LIST.code() && type != ValueType.SET.code() && type != ValueType.ZSET.code()) {
                throw new WrongTypeException();
            }
        }
        boolean isSet = type == ValueType.SET.code();
        boolean isZset = type == ValueType.ZSET.code();
        if (dontSort && isSet && (store || spec.fromScript)) {
            // sets have no order of their own: sort them so a stored result (or a script's, which
            // replicas and the AOF replay) is deterministic
            dontSort = false;
            alpha = true;
            by = null;
        }

        // every element in the container's order (sorted sets: score order, after the
        // conversion Redis does for SORT)
        List<byte[]> all;
        if (e == 0) {
            all = List.of();
        } else if (isZset) {
            all = zsets.membersForSort(s, db, key, slot);
        } else if (isSet) {
            all = SetOps.members(SetStructures.value(e));
        } else {
            long ql = NativeMemory.getLong(EntryDescriptor.valueAddress(e));
            all = Quicklist.range(ql, 0, Quicklist.length(ql), true);
        }

        long vectorLen = all.size();
        long start = spec.limitStart < 0 ? 0 : spec.limitStart;
        long end;
        if (spec.limitCount < 0) {
            end = vectorLen - 1;
        } else {
            end = start + spec.limitCount - 1;
            if (spec.limitCount > 0 && end < start) { // overflow: Redis's build behaves as if there were none
                end = Long.MAX_VALUE;
            }
        }
        if (start >= vectorLen) {
            start = vectorLen - 1;
            end = vectorLen - 2;
        }
        if (end >= vectorLen) {
            end = vectorLen - 1;
        }

        List<Item> vector;
        if (dontSort && !isSet) {
            // lists and sorted sets: their own order, reversed by DESC, LIMIT applied directly
            vector = new ArrayList<>();
            if (end >= start) {
                List<byte[]> ordered = all;
                if (desc) {
                    ordered = new ArrayList<>(all);
                    Collections.reverse(ordered);
                }
                for (long j = start; j <= end; j++) {
                    vector.add(new Item(ordered.get((int) j)));
                }
            }
            end -= start;
            start = 0;
        } else {
            vector = new ArrayList<>(all.size());
            for (byte[] m : all) {
                vector.add(new Item(m));
            }
        }

        if (!dontSort) {
            boolean conversionError = false;
            for (Item it : vector) {
                byte[] byVal;
                if (by != null) {
                    byVal = lookupByPattern(db, by, it.obj, now);
                    if (byVal == null) {
                        continue;
                    }
                } else {
                    byVal = it.obj;
                }
                if (alpha) {
                    if (by != null) {
                        it.cmp = byVal;
                    }
                } else {
                    double d = strtodScore(byVal);
                    if (Double.isNaN(d)) {
                        conversionError = true;
                    } else {
                        it.score = d;
                    }
                }
            }
            if (conversionError) {
                throw new RedJarException("ERR One or more scores can't be converted into double");
            }
            vector.sort(comparator(alpha, by != null, store, desc));
        }

        List<byte[]> out = new ArrayList<>();
        for (long j = start; j <= end; j++) {
            Item it = vector.get((int) j);
            if (spec.gets.isEmpty()) {
                out.add(it.obj);
                continue;
            }
            for (byte[] pattern : spec.gets) {
                byte[] v = lookupByPattern(db, pattern, it.obj, now);
                out.add(v == null && store ? new byte[0] : v);
            }
        }
        return out;
    }

    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> c;
        if (!alpha) {
            c = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.obj, b.obj);
        } else if (byPattern) {
            c = (a, b) -> {
                if (a.cmp == null || b.cmp == null) {
                    return a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                }
                return store ? Arrays.compareUnsigned(a.cmp, b.cmp) : strcmp(a.cmp, b.cmp);
            };
        } else {
            c = store ? (a, b) -> Arrays.compareUnsigned(a.obj, b.obj) : (a, b) -> strcmp(a.obj, b.obj);
        }
        return desc ? c.reversed() : c;
    }

    /** C's {@code strcmp} over the bytes up to the first NUL (strcoll in the C locales). */
    static int strcmp(byte[] a, byte[] b) {
        int la = cLength(a);
        int lb = cLength(b);
        return Arrays.compareUnsigned(a, 0, la, b, 0, lb);
    }

    private static int cLength(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    /** @return the index of {@code c} in the C string {@code b} from {@code from}, or -1 */
    private static int strchr(byte[] b, int cLen, int from, byte c) {
        for (int i = from; i < cLen; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Redis's {@code lookupKeyByPattern}. Caller holds every lock.
     *
     * @return the value the pattern names for {@code subst}, or null
     */
    byte[] lookupByPattern(int db, byte[] pattern, byte[] subst, long now) {
        int cLen = cLength(pattern);
        if (cLen == 1 && pattern[0] == '#') {
            return subst;
        }
        int star = strchr(pattern, cLen, 0, (byte) '*');
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < cLen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int fieldLen = 0;
        if (arrow >= 0 && arrow + 2 < cLen) {
            fieldLen = pattern.length - arrow - 2;
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        }
        int prefixLen = star;
        int postfixLen = pattern.length - (prefixLen + 1) - (fieldLen != 0 ? fieldLen + 2 : 0);
        byte[] k = new byte[prefixLen + subst.length + postfixLen];
        System.arraycopy(pattern, 0, k, 0, prefixLen);
        System.arraycopy(subst, 0, k, prefixLen, subst.length);
        System.arraycopy(pattern, star + 1, k, prefixLen + subst.length, postfixLen);

        Shard s = ks.shardOf(k);
        int slot = ks.lookupRead(s, db, k, Keyspace.hash(k), now, true);
        if (slot < 0) {
            return null;
        }
        long e = s.table(db).entry(slot);
        int type = EntryDescriptor.type(e);
        if (field != null) {
            if (type != ValueType.HASH.code()) {
                return null;
            }
            return HashOps.getValue(s.allocator(), e, field);
        }
        if (type != ValueType.STRING.code()) {
            return null;
        }
        return EntryDescriptor.value(e);
    }

    /**
     * A sort score as {@code sortCommandGeneric} reads it with {@code strtod}.
     *
     * @return the score, or NaN when Redis reports a conversion error
     */
    static double strtodScore(byte[] b) {
        int n = cLength(b);
        if (n == 0) {
            return 0.0; // nothing converted, and the end pointer is at the NUL
        }
        int i = 0;
        while (i < n && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        if (i == n) {
            return Double.NaN; // nothing converted: the end pointer is at the white space
        }
        double d = Numbers.parseDoubleOrNaN(b, i, n - i);
        if (Double.isNaN(d)) {
            return d;
        }
        if (d != 0 && Math.abs(d) < Double.MIN_NORMAL && !exactSubnormal(b, i, n - i, d)) {
            return Double.NaN; // glibc sets ERANGE for an inexact subnormal result
        }
        return d;
    }

    /** @return whether the text's exact value is the subnormal {@code d} */
    private static boolean exactSubnormal(byte[] b, int off, int len, double d) {
        String t = new String(b, off, len, StandardCharsets.US_ASCII);
        boolean neg = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        BigDecimal exact;
        try {
            if (t.length() > 1 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
                exact = hexValue(t.substring(2));
            } else {
                exact = new BigDecimal(t.endsWith(".") ? t + "0" : t);
            }
        } catch (NumberFormatException | ArithmeticException x) {
            return false;
        }
        if (neg) {
            exact = exact.negate();
        }
        return exact.compareTo(new BigDecimal(d)) == 0;
    }

    /** The exact value of a C hexadecimal float body (after {@code 0x}). */
    private static BigDecimal hexValue(String t) {
        int p = t.toLowerCase().indexOf('p');
        String mant = p < 0 ? t : t.substring(0, p);
        long exp = p < 0 ? 0 : Long.parseLong(t.substring(p + 1).startsWith("+") ? t.substring(p + 2) : t.substring(p + 1));
        int dot = mant.indexOf('.');
        String digits = dot < 0 ? mant : mant.substring(0, dot) + mant.substring(dot + 1);
        int fracDigits = dot < 0 ? 0 : mant.length() - dot - 1;
        if (digits.isEmpty()) {
            throw new NumberFormatException();
        }
        BigDecimal m = new BigDecimal(new BigInteger(digits, 16));
        long e2 = exp - 4L * fracDigits;
        if (e2 >= 0) {
            return m.multiply(new BigDecimal(BigInteger.TWO.pow((int) Math.min(e2, 100000))));
        }
        // 2^-k = 5^k / 10^k, exact
        int k = (int) Math.min(-e2, 100000);
        return m.multiply(new BigDecimal(BigInteger.valueOf(5).pow(k), k));
    }
}
