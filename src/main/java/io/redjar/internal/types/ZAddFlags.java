package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;

/**
 * ZADD's options (NX, XX, GT, LT, CH, INCR) as one checked value: {@link #of} applies Redis
 * 7.0's {@code zaddGenericCommand} checks once, in Redis's order, for both the ZADD adapter and the
 * typed {@code SortedSets.zadd}. The value also writes the command it stands for
 * ({@link #argv}), which is what a write propagates.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class ZAddFlags {
    private static final byte[] ZADD = ascii("ZADD");
    private static final String[] NAMES = {"NX", "XX", "GT", "LT", "CH", "INCR"};
    private static final int[] BITS = {ZSetOps.NX, ZSetOps.XX, ZSetOps.GT, ZSetOps.LT, ZSetOps.CH, ZSetOps.INCR};

    private final int bits;

    private ZAddFlags(int bits) {
        this.bits = bits;
    }

    /**
     * @param bits     {@link ZSetOps#NX} | {@link ZSetOps#XX} | ... as given
     * @param elements how many score-member pairs come with them
     * @return the checked options
     * @throws RedJarException with Redis's text: {@code ERR XX and NX options at the same time are
     *                         not compatible}, {@code ERR GT, LT, and/or NX options at the same time
     *                         are not compatible}, {@code ERR INCR option supports a single
     *                         increment-element pair}
     */
    public static ZAddFlags of(int bits, int elements) {
        boolean nx = (bits & ZSetOps.NX) != 0;
        boolean xx = (bits & ZSetOps.XX) != 0;
        boolean gt = (bits & ZSetOps.GT) != 0;
        boolean lt = (bits & ZSetOps.LT) != 0;
        if (nx && xx) {
            throw new RedJarException("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new RedJarException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if ((bits & ZSetOps.INCR) != 0 && elements > 1) {
            throw new RedJarException("ERR INCR option supports a single increment-element pair");
        }
        return new ZAddFlags(bits);
    }

    /** @return the option bits ({@link ZSetOps#NX} ...) */
    public int bits() {
        return bits;
    }

    /** @return whether INCR is set (the reply is the new score) */
    public boolean incr() {
        return (bits & ZSetOps.INCR) != 0;
    }

    /** @return {@code ZADD key [options] score member ...}, scores as Redis prints them */
    public byte[][] argv(byte[] key, double[] scores, byte[][] members) {
        int n = Integer.bitCount(bits);
        byte[][] a = new byte[2 + n + 2 * members.length][];
        int i = 0;
        a[i++] = ZADD;
        a[i++] = key;
        for (int j = 0; j < BITS.length; j++) {
            if ((bits & BITS[j]) != 0) {
                a[i++] = ascii(NAMES[j]);
            }
        }
        for (int j = 0; j < members.length; j++) {
            a[i++] = ascii(Numbers.formatDouble17g(scores[j]));
            a[i++] = members[j];
        }
        return a;
    }

    /** @return the option words, e.g. {@code [NX, CH]} */
    @Override
    public String toString() {
        return describe(bits);
    }

    /** @return the option words of unchecked {@code bits}, e.g. {@code [NX, CH]} */
    public static String describe(int bits) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < BITS.length; j++) {
            if ((bits & BITS[j]) != 0) {
                sb.append(sb.length() == 1 ? "" : ", ").append(NAMES[j]);
            }
        }
        return sb.append(']').toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
