package io.redjar.internal.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Longest common subsequence of two byte strings, exactly as Redis 7.0's {@code LCS} command
 * computes it.
 *
 * <p><b>Mirrors</b> {@code lcsCommand()} in Redis 7.0.15's {@code src/t_string.c}: the classic
 * {@code (alen+1) x (blen+1)} dynamic-programming table of {@code uint32} lengths, then a walk back
 * from {@code (alen, blen)} that takes a matching byte whenever {@code a[i-1] == b[j-1]}, otherwise
 * steps {@code i--} if {@code LCS(i-1,j) > LCS(i,j-1)} and {@code j--} on ties. Contiguous matching
 * runs are grouped into {@link Match ranges}, emitted in the walk's order (from the end of the
 * strings towards their start), with Redis's exact boundaries. A command adapter renders
 * <ul>
 *   <li>{@code LCS k1 k2}: {@link Result#lcs()};</li>
 *   <li>{@code LCS k1 k2 LEN}: {@link Result#length()} (or {@link #length} to skip the table);</li>
 *   <li>{@code LCS k1 k2 IDX [MINMATCHLEN n] [WITHMATCHLEN]}: {@code matches} as
 *       {@link Result#matches(long)} with {@code n} ({@code [[aStart, aEnd], [bStart, bEnd]]}, plus
 *       {@code length} when WITHMATCHLEN), then {@code len} {@link Result#length()}.</li>
 * </ul>
 * Command-level checks stay with the adapter: keys holding non-strings, LEN together with IDX, and
 * Redis's {@code "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"}
 * when {@link #tableBytes} exceeds {@code proto-max-bulk-len}.
 *
 * <p><b>Thread-safety:</b> stateless; {@link Result} is immutable. A call allocates the table
 * ({@code 4*(alen+1)*(blen+1)} bytes), which is released when it returns.
 */
public final class Lcs {
    private Lcs() {
    }

    /**
     * One contiguous run of the LCS: {@code a[aStart..aEnd]} equals {@code b[bStart..bEnd]}
     * (inclusive bounds, as Redis replies them).
     *
     * @param aStart first index in the first string
     * @param aEnd   last index in the first string
     * @param bStart first index in the second string
     * @param bEnd   last index in the second string
     * @param length the run's length, {@code aEnd - aStart + 1}
     */
    public record Match(int aStart, int aEnd, int bStart, int bEnd, int length) {
    }

    /** The LCS string, its length, and all its match ranges in Redis's order. Immutable. */
    public static final class Result {
        private final byte[] lcs;
        private final List<Match> matches;

        Result(byte[] lcs, List<Match> matches) {
            this.lcs = lcs;
            this.matches = Collections.unmodifiableList(matches);
        }

        /** @return a copy of the LCS bytes (the plain {@code LCS k1 k2} reply) */
        public byte[] lcs() {
            return lcs.clone();
        }

        /** @return the LCS length (the {@code LEN} reply and the {@code len} field of {@code IDX}) */
        public int length() {
            return lcs.length;
        }

        /** @return every match range, in the order Redis emits them (last range first) */
        public List<Match> matches() {
            return matches;
        }

        /**
         * The ranges Redis reports for {@code MINMATCHLEN minMatchLen}: those at least that long
         * (zero or a negative value, which Redis clamps to zero, keeps all).
         *
         * @param minMatchLen the MINMATCHLEN argument
         * @return the filtered ranges, in Redis's order
         */
        public List<Match> matches(long minMatchLen) {
            if (minMatchLen <= 0) {
                return matches;
            }
            List<Match> out = new ArrayList<>();
            for (Match m : matches) {
                if (m.length() >= minMatchLen) {
                    out.add(m);
                }
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(lcs, r.lcs) && matches.equals(r.matches);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(lcs) + matches.hashCode();
        }

        @Override
        public String toString() {
            return "Lcs.Result[len=" + lcs.length + ", matches=" + matches + "]";
        }
    }

    /**
     * The transient memory Redis 7.0 needs for the table, {@code (alen+1)*(blen+1)*4} bytes, which
     * it compares against {@code proto-max-bulk-len} before computing.
     *
     * @param aLen length of the first string
     * @param bLen length of the second string
     * @return the table size in bytes, {@link Long#MAX_VALUE} when it does not fit a long
     */
    public static long tableBytes(long aLen, long bLen) {
        if (aLen < 0 || bLen < 0 || aLen == Long.MAX_VALUE || bLen == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long cells = Math.multiplyHigh(aLen + 1, bLen + 1) != 0 ? -1 : (aLen + 1) * (bLen + 1);
        if (cells < 0 || cells > Long.MAX_VALUE / Integer.BYTES) {
            return Long.MAX_VALUE;
        }
        return cells * Integer.BYTES;
    }

    /**
     * Computes the LCS of two whole arrays.
     *
     * @param a the first string
     * @param b the second string
     * @return the result
     * @throws IllegalArgumentException if the table would not fit a Java array
     */
    public static Result compute(byte[] a, byte[] b) {
        return compute(a, 0, a.length, b, 0, b.length);
    }

    /**
     * Computes the LCS of two slices. Match indexes are relative to the slices.
     *
     * @param a    array holding the first string
     * @param aOff its first index
     * @param aLen its length
     * @param b    array holding the second string
     * @param bOff its first index
     * @param bLen its length
     * @return the result
     * @throws IllegalArgumentException  if the table would not fit a Java array
     * @throws IndexOutOfBoundsException if a slice is not inside its array
     */
    public static Result compute(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        Objects.checkFromIndexSize(aOff, aLen, a.length);
        Objects.checkFromIndexSize(bOff, bLen, b.length);
        long cells = ((long) aLen + 1) * ((long) bLen + 1); // two ints + 1: cannot overflow a long
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("LCS table too large: " + cells + " cells");
        }
        final int w = bLen + 1; // LCS(i,j) = t[j + i*w]
        int[] t = new int[Math.toIntExact(cells)];
        for (int i = 1; i <= aLen; i++) {
            byte ai = a[aOff + i - 1];
            int row = i * w;
            int prev = row - w;
            for (int j = 1; j <= bLen; j++) {
                if (ai == b[bOff + j - 1]) {
                    t[row + j] = t[prev + j - 1] + 1;
                } else {
                    int up = t[prev + j];
                    int left = t[row + j - 1];
                    t[row + j] = up > left ? up : left;
                }
            }
        }

        int idx = t[aLen * w + bLen];
        byte[] result = new byte[idx];
        List<Match> matches = new ArrayList<>();
        int arangeStart = aLen; // aLen means "no range in progress"
        int arangeEnd = 0;
        int brangeStart = 0;
        int brangeEnd = 0;
        int i = aLen;
        int j = bLen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[aOff + i - 1] == b[bOff + j - 1]) {
                result[idx - 1] = a[aOff + i - 1];
                if (arangeStart == aLen) {
                    arangeStart = i - 1;
                    arangeEnd = i - 1;
                    brangeStart = j - 1;
                    brangeEnd = j - 1;
                } else if (arangeStart == i && brangeStart == j) {
                    arangeStart--;
                    brangeStart--;
                } else {
                    emit = true;
                }
                if (arangeStart == 0 || brangeStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                int lcs1 = t[(i - 1) * w + j];
                int lcs2 = t[i * w + j - 1];
                if (lcs1 > lcs2) {
                    i--;
                } else {
                    j--;
                }
                if (arangeStart != aLen) {
                    emit = true;
                }
            }
            if (emit) {
                matches.add(new Match(arangeStart, arangeEnd, brangeStart, brangeEnd, arangeEnd - arangeStart + 1));
                arangeStart = aLen;
            }
        }
        return new Result(result, matches);
    }

    /**
     * The LCS length alone (the {@code LEN} reply), in {@code O(min(alen, blen))} memory.
     *
     * @param a the first string
     * @param b the second string
     * @return the length of their longest common subsequence
     */
    public static int length(byte[] a, byte[] b) {
        byte[] x = a.length >= b.length ? a : b; // rows
        byte[] y = x == a ? b : a; // columns: the shorter one
        int[] prev = new int[y.length + 1];
        int[] cur = new int[y.length + 1];
        for (byte xi : x) {
            for (int j = 1; j <= y.length; j++) {
                if (xi == y[j - 1]) {
                    cur[j] = prev[j - 1] + 1;
                } else {
                    cur[j] = Math.max(prev[j], cur[j - 1]);
                }
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[y.length];
    }
}
