package io.redjar.internal.types;

import io.redjar.internal.structure.LexRange;
import io.redjar.internal.structure.ScoreRange;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;

/**
 * Writes the command a typed call stands for, as Redis would receive it: what the operations
 * propagate when a typed call (no wire form) changes data. Textual calls propagate the argv they
 * came with; typed calls get theirs from here, inside the operations, so no handle builds argv.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class TypedArgv {
    private TypedArgv() {
    }

    /** @return {@code NAME key items...} */
    public static byte[][] keyAndItems(String name, byte[] key, byte[][] items) {
        byte[][] a = new byte[items.length + 2][];
        a[0] = ascii(name);
        a[1] = key;
        System.arraycopy(items, 0, a, 2, items.length);
        return a;
    }

    /** @return {@code NAME words...} */
    public static byte[][] of(String name, byte[]... words) {
        byte[][] a = new byte[words.length + 1][];
        a[0] = ascii(name);
        System.arraycopy(words, 0, a, 1, words.length);
        return a;
    }

    /** @return a score bound as ZRANGEBYSCORE takes it: {@code 1.5}, {@code (1.5}, {@code -inf} */
    public static byte[] scoreBound(double v, boolean exclusive) {
        return ascii((exclusive ? "(" : "") + Numbers.formatDouble17g(v));
    }

    /** @return the two bounds of {@code r} */
    public static byte[][] scoreBounds(ScoreRange r) {
        return new byte[][] {scoreBound(r.min, r.minExclusive), scoreBound(r.max, r.maxExclusive)};
    }

    /** @return the two bounds of {@code r} as ZRANGEBYLEX takes them: {@code [a}, {@code (b}, {@code -}, {@code +} */
    public static byte[][] lexBounds(LexRange r) {
        return new byte[][] {lexBound(r.minKind, r.min), lexBound(r.maxKind, r.max)};
    }

    private static byte[] lexBound(LexRange.Kind kind, byte[] s) {
        switch (kind) {
            case MINUS_INFINITY:
                return ascii("-");
            case PLUS_INFINITY:
                return ascii("+");
            default:
                byte[] out = new byte[s.length + 1];
                out[0] = (byte) (kind == LexRange.Kind.INCLUSIVE ? '[' : '(');
                System.arraycopy(s, 0, out, 1, s.length);
                return out;
        }
    }

    /** @return {@code n} in decimal */
    public static byte[] number(long n) {
        return Numbers.formatLong(n);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
