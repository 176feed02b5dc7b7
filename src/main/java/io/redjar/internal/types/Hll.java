package io.redjar.internal.types;

/**
 * A HyperLogLog value in Redis 7.0's exact byte format ({@code hyperloglog.c}), worked on as a
 * growable byte buffer: the 16-byte header ({@code "HYLL"}, encoding byte, 3 unused bytes, the
 * 8-byte little-endian cached cardinality whose top bit marks it stale), then either 16384 dense
 * 6-bit registers (12288 bytes, LSB first) or the sparse opcodes ZERO {@code 00xxxxxx}, XZERO
 * {@code 01xxxxxx xxxxxxxx} and VAL {@code 1vvvvvxx}.
 *
 * <p><b>Design:</b> every operation reproduces Redis's algorithm step by step (the sparse
 * in-place split and the 5-opcode merge scan, promotion at {@code hll-sparse-max-bytes} or a
 * value over 32, MurmurHash64A seed {@code 0xadc83b19}, Ertl's estimator) so the bytes and counts
 * equal Redis's for the same inputs, corrupted ones included. A read past the value's end yields
 * 0, as Redis reads the sds terminator there; nothing ever indexes outside the buffer.
 *
 * <p><b>Thread-safety:</b> not thread-safe; an instance is confined to one command under its
 * key's shard lock.
 */
public final class Hll {
    /** Registers. */
    public static final int REGISTERS = 16384;
    /** Header bytes. */
    public static final int HDR = 16;
    /** A dense value's exact length. */
    public static final int DENSE_SIZE = HDR + REGISTERS * 6 / 8;
    /** Encoding byte values. */
    public static final int DENSE = 0, SPARSE = 1;
    private static final int P = 14, Q = 64 - P;
    private static final int VAL_MAX_VALUE = 32, VAL_MAX_LEN = 4, ZERO_MAX_LEN = 64, XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private byte[] b;
    private int len;

    /** Wraps {@code value} (owned from now on). */
    public Hll(byte[] value) {
        this.b = value;
        this.len = value.length;
    }

    /** @return a new empty HLL: sparse, one XZERO of 16384, cached cardinality 0 */
    public static Hll create() {
        byte[] v = new byte[HDR + 2];
        v[0] = 'H';
        v[1] = 'Y';
        v[2] = 'L';
        v[3] = 'L';
        v[4] = SPARSE;
        v[HDR] = (byte) (((REGISTERS - 1) >> 8) | 0x40);
        v[HDR + 1] = (byte) ((REGISTERS - 1) & 0xff);
        return new Hll(v);
    }

    /** Redis's {@code isHLLObjectOrReply} checks on a string value's bytes. */
    public static boolean isHll(byte[] v) {
        if (v.length < HDR || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') {
            return false;
        }
        int enc = v[4] & 0xff;
        return enc <= SPARSE && (enc != DENSE || v.length == DENSE_SIZE);
    }

    /** @return the value's current bytes (a fresh copy of exactly its length) */
    public byte[] toBytes() {
        return java.util.Arrays.copyOf(b, len);
    }

    /** @return {@link #DENSE} or {@link #SPARSE} (the header's encoding byte) */
    public int encoding() {
        return b[4] & 0xff;
    }

    private int at(int i) {
        return i < len ? b[i] & 0xff : 0;
    }

    // ---- cached cardinality ---------------------------------------------------------------

    /** @return whether the cached cardinality is current (its top bit clear) */
    public boolean cacheValid() {
        return (b[15] & 0x80) == 0;
    }

    /** Marks the cached cardinality stale (Redis's {@code HLL_INVALIDATE_CACHE}). */
    public void invalidateCache() {
        b[15] |= (byte) 0x80;
    }

    /** @return the cached cardinality (little-endian header bytes 8..15) */
    public long cachedCard() {
        long c = 0;
        for (int i = 7; i >= 0; i--) {
            c = (c << 8) | (b[8 + i] & 0xff);
        }
        return c;
    }

    /** Stores {@code c} as the cached cardinality (valid). */
    public void setCachedCard(long c) {
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (c >>> (8 * i));
        }
    }

    // ---- hashing --------------------------------------------------------------------------

    private static final java.lang.invoke.VarHandle LE_LONG =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Redis's endian-neutral MurmurHash64A (its 8-byte blocks read little-endian). */
    static long murmur64a(byte[] key, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int n = key.length;
        long h = (seed & 0xffffffffL) ^ (n * m);
        int end = n - (n & 7);
        for (int i = 0; i < end; i += 8) {
            long k = (long) LE_LONG.get(key, i);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rem = n & 7;
        if (rem > 0) {
            for (int j = rem - 1; j >= 0; j--) {
                h ^= (long) (key[end + j] & 0xff) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * Redis's {@code hllPatLen}: the element's register index and the run length of zeros after
     * the index bits, plus one.
     *
     * @return {@code index << 8 | count}
     */
    static int patLenPacked(byte[] ele) {
        long hash = murmur64a(ele, 0xadc83b19);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index << 8 | count;
    }

    // ---- dense ----------------------------------------------------------------------------

    static int denseGet(byte[] r, int off, int lenLimit, int reg) {
        int bit = reg * 6;
        int byt = off + (bit >> 3);
        int fb = bit & 7;
        int b0 = byt < lenLimit ? r[byt] & 0xff : 0;
        int b1 = byt + 1 < lenLimit ? r[byt + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSetRaw(byte[] r, int off, int reg, int v) {
        int bit = reg * 6;
        int byt = off + (bit >> 3);
        int fb = bit & 7;
        int fb8 = 8 - fb;
        r[byt] = (byte) ((r[byt] & ~(63 << fb)) | (v << fb));
        if (byt + 1 < off + REGISTERS * 6 / 8) {
            r[byt + 1] = (byte) ((r[byt + 1] & ~(63 >> fb8)) | (v >> fb8));
        }
    }

    /** @return the dense register {@code reg} (encoding must be dense) */
    public int register(int reg) {
        return denseGet(b, HDR, len, reg);
    }

    private int denseSet(int reg, int count) {
        if (count > denseGet(b, HDR, len, reg)) {
            denseSetRaw(b, HDR, reg, count);
            return 1;
        }
        return 0;
    }

    // ---- sparse -> dense --------------------------------------------------------------------

    /** Redis's {@code hllSparseToDense}. @return false if the sparse form is corrupted (unchanged then) */
    public boolean toDense() {
        if (encoding() == DENSE) {
            return true;
        }
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HDR);
        d[4] = DENSE;
        int idx = 0;
        int p = HDR;
        while (p < len) {
            int op = b[p] & 0xff;
            if ((op & 0xc0) == 0) {
                idx += (op & 0x3f) + 1;
                p++;
            } else if ((op & 0xc0) == 0x40) {
                idx += (((op & 0x3f) << 8) | at(p + 1)) + 1;
                p += 2;
            } else {
                int runlen = (op & 3) + 1;
                int regval = ((op >> 2) & 0x1f) + 1;
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    denseSetRaw(d, HDR, idx, regval);
                    idx++;
                }
                p++;
            }
            if (idx > REGISTERS) {
                break; // cannot come back to exactly REGISTERS: runs only grow idx
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        b = d;
        len = DENSE_SIZE;
        return true;
    }

    // ---- set a register ---------------------------------------------------------------------

    /**
     * Sets register {@code index} to {@code count} if that is larger (Redis's
     * {@code hllDenseSet}/{@code hllSparseSet}, promoting the sparse form when needed).
     *
     * @return 1 if changed, 0 if not, -1 if the value is corrupted
     */
    public int set(int index, int count, long sparseMaxBytes) {
        if (encoding() == DENSE) {
            return denseSet(index, count);
        }
        if (encoding() != SPARSE) {
            return -1;
        }
        return sparseSet(index, count, sparseMaxBytes);
    }

    /** PFADD of one element. @return 1 if changed, 0 if not, -1 if corrupted */
    public int add(byte[] ele, long sparseMaxBytes) {
        int packed = patLenPacked(ele);
        return set(packed >>> 8, packed & 0xff, sparseMaxBytes);
    }

    private void room(int extra) {
        if (len + extra > b.length) {
            b = java.util.Arrays.copyOf(b, Math.max(len + extra, b.length + (b.length >> 1)));
        }
    }

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXZero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    private static byte val(int value, int runlen) {
        return (byte) ((((value - 1) << 2) | (runlen - 1)) | 0x80);
    }

    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(index, count);
        }
        // Redis reserves 3 bytes; 5 more keep a truncated trailing XZERO's 5-byte split in bounds
        room(5);
        int sparse = HDR;
        int p = sparse;
        int end = len;
        long first = 0;
        int prev = -1;
        long span = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = (op & 0x3f) + 1;
            } else if (isVal(op)) {
                span = (op & 3) + 1;
            } else {
                span = (((op & 0x3f) << 8) | at(p + 1)) + 1;
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = b[p] & 0xff;
        int next = isXZero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = false, xzero = false, isval = false;
        long runlen;
        if (isZero(op)) {
            zero = true;
            runlen = (op & 0x3f) + 1;
        } else if (isXZero(op)) {
            xzero = true;
            runlen = (((op & 0x3f) << 8) | at(p + 1)) + 1;
        } else {
            isval = true;
            runlen = (op & 3) + 1;
        }
        boolean simple = false;
        if (isval) {
            int old = ((op >> 2) & 0x1f) + 1;
            if (old >= count) {
                return 0;
            }
            if (runlen == 1) {
                b[p] = val(count, 1);
                simple = true;
            }
        }
        if (!simple && zero && runlen == 1) {
            b[p] = val(count, 1);
            simple = true;
        }
        if (!simple) {
            byte[] seq = new byte[5];
            int n = 0;
            long last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = putZero(seq, n, (int) (index - first));
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = putZero(seq, n, (int) (last - index));
                }
            } else {
                int curval = ((op >> 2) & 0x1f) + 1;
                if (index != first) {
                    seq[n++] = val(curval, (int) (index - first));
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(curval, (int) (last - index));
                }
            }
            int oldlen = xzero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && (long) len + delta > sparseMaxBytes) {
                return promote(index, count);
            }
            // room(5) above: the buffer holds len + 5 bytes
            if (delta != 0 && next >= 0) {
                System.arraycopy(b, next, b, next + delta, end - next);
            }
            len += delta;
            System.arraycopy(seq, 0, b, p, n);
            end += delta;
        }
        // merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from prev
        p = prev >= 0 ? prev : sparse;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int o = b[p] & 0xff;
            if (isXZero(o)) {
                p += 2;
                continue;
            } else if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1] & 0xff)) {
                int o2 = b[p + 1] & 0xff;
                int v1 = ((o >> 2) & 0x1f) + 1;
                int v2 = ((o2 >> 2) & 0x1f) + 1;
                if (v1 == v2) {
                    int l = (o & 3) + 1 + (o2 & 3) + 1;
                    if (l <= VAL_MAX_LEN) {
                        b[p + 1] = val(v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private static int putZero(byte[] seq, int n, int l) {
        if (l > ZERO_MAX_LEN) {
            seq[n] = (byte) (((l - 1) >> 8) | 0x40);
            seq[n + 1] = (byte) ((l - 1) & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (l - 1);
        return n + 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSet(index, count);
        return 1;
    }

    // ---- merge and count ------------------------------------------------------------------

    static void maxInto(byte[] max, int i, int v) {
        if (v > (max[i] & 0xff)) {
            max[i] = (byte) v;
        }
    }

    /**
     * Redis's {@code hllMerge}: {@code max[i] = max(max[i], register i)}.
     *
     * @return false if the sparse form is corrupted
     */
    public boolean mergeInto(byte[] max) {
        if (encoding() == DENSE) {
            if (len >= HDR + REGISTERS * 6 / 8) {
                // four 6-bit registers per 3 bytes, no bounds checks (denseGet's layout)
                for (int i = 0, p = HDR; i < REGISTERS; i += 4, p += 3) {
                    int b0 = b[p] & 0xff;
                    int b1 = b[p + 1] & 0xff;
                    int b2 = b[p + 2] & 0xff;
                    maxInto(max, i, b0 & 63);
                    maxInto(max, i + 1, ((b0 >> 6) | (b1 << 2)) & 63);
                    maxInto(max, i + 2, ((b1 >> 4) | (b2 << 4)) & 63);
                    maxInto(max, i + 3, b2 >> 2);
                }
                return true;
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, HDR, len, i);
                if (v > (max[i] & 0xff)) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int p = HDR;
        int i = 0;
        while (p < len) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                i += (op & 0x3f) + 1;
                p++;
            } else if (isXZero(op)) {
                i += (((op & 0x3f) << 8) | at(p + 1)) + 1;
                p += 2;
            } else {
                int runlen = (op & 3) + 1;
                int regval = ((op >> 2) & 0x1f) + 1;
                if (runlen + i > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    if (regval > (max[i] & 0xff)) {
                        max[i] = (byte) regval;
                    }
                    i++;
                }
                p++;
            }
            if (i > REGISTERS) {
                break;
            }
        }
        return i == REGISTERS;
    }

    /** @return the histogram of register values, or null if the sparse form is corrupted */
    private int[] histogram() {
        int[] h = new int[64];
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                h[denseGet(b, HDR, len, i)]++;
            }
            return h;
        }
        long idx = 0;
        int p = HDR;
        while (p < len) {
            int op = b[p] & 0xff;
            int runlen;
            if (isZero(op)) {
                runlen = (op & 0x3f) + 1;
                h[0] += runlen;
                p++;
            } else if (isXZero(op)) {
                runlen = (((op & 0x3f) << 8) | at(p + 1)) + 1;
                h[0] += runlen;
                p += 2;
            } else {
                runlen = (op & 3) + 1;
                h[((op >> 2) & 0x1f) + 1] += runlen;
                p++;
            }
            idx += runlen;
            if (idx > REGISTERS) {
                return null;
            }
        }
        return idx == REGISTERS ? h : null;
    }

    /** @return the estimate, or -1 if the sparse form is corrupted (Redis's {@code hllCount}) */
    public long count() {
        int[] h = histogram();
        return h == null ? -1 : estimate(h);
    }

    /** @return the estimate for raw 8-bit registers (PFCOUNT of several keys) */
    public static long countRaw(byte[] max) {
        int[] h = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            h[max[i] & 63]++;
        }
        return estimate(h);
    }

    static long estimate(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    /**
     * PFSELFTEST (Redis's {@code pfselftestCommand}): register access over random values, then
     * dense and sparse estimates of up to 10 million distinct elements against each other and
     * against the true count.
     *
     * @return null when every check passes, else Redis's {@code TESTFAILED ...} error line
     */
    public static String selfTest(long sparseMaxBytes, java.util.Random rnd) {
        byte[] regs = new byte[REGISTERS * 6 / 8];
        byte[] bytes = new byte[REGISTERS];
        for (int j = 0; j < 1000; j++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = rnd.nextInt() & 63;
                bytes[i] = (byte) r;
                denseSetRaw(regs, 0, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(regs, 0, regs.length, i);
                if (v != bytes[i]) {
                    return "TESTFAILED Register " + i + " should be " + bytes[i] + " but is " + v;
                }
            }
        }
        byte[] d = new byte[DENSE_SIZE];
        d[0] = 'H';
        d[1] = 'Y';
        d[2] = 'L';
        d[3] = 'L';
        Hll dense = new Hll(d);
        Hll sparse = create();
        double relerr = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000L; j++) {
            long e = j ^ seed;
            for (int k = 0; k < 8; k++) {
                ele[k] = (byte) (e >>> (8 * k));
            }
            dense.add(ele, sparseMaxBytes);
            sparse.add(ele, sparseMaxBytes);
            if (j == checkpoint) {
                if (j < sparseMaxBytes / 2 && sparse.encoding() != SPARSE) {
                    return "TESTFAILED sparse encoding not used";
                }
                long card = dense.count();
                if (card != sparse.count()) {
                    return "TESTFAILED dense/sparse disagree";
                }
                long abserr = Math.abs(checkpoint - card);
                long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
                if (j == 10) {
                    maxerr = 1;
                }
                if (abserr > maxerr) {
                    return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }

    /** PFDEBUG DECODE's text of a sparse value. */
    public String decode() {
        StringBuilder sb = new StringBuilder();
        int p = HDR;
        while (p < len) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                sb.append("z:").append((op & 0x3f) + 1).append(' ');
                p++;
            } else if (isXZero(op)) {
                sb.append("Z:").append((((op & 0x3f) << 8) | at(p + 1)) + 1).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(((op >> 2) & 0x1f) + 1).append(',').append((op & 3) + 1).append(' ');
                p++;
            }
        }
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        return sb.substring(0, n);
    }
}
