package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;

/**
 * A lexicographic interval of members, Redis's {@code zlexrangespec}: each end is {@code -} (below
 * every string), {@code +} (above every string), or a string that is included ({@code '['}) or
 * excluded ({@code '('}).
 *
 * <p>Design: an immutable value; each end is a {@link Kind} plus, for the string kinds, the bytes
 * without their prefix. Comparisons follow {@code sdscmplex}: {@code -} and {@code +} are the
 * smallest and greatest values, and two identical infinite ends compare equal, so {@code [- -]}
 * is not {@link #isEmpty() empty} but matches nothing, as in Redis.
 *
 * <p><b>Thread-safety:</b> immutable; thread-safe (the arrays are not copied: callers must not
 * change them).
 */
public final class LexRange {
    /** What an end is. */
    public enum Kind {
        /** {@code '['}: the string itself is included. */
        INCLUSIVE,
        /** {@code '('}: the string itself is excluded. */
        EXCLUSIVE,
        /** {@code '-'}: below every string. */
        MINUS_INFINITY,
        /** {@code '+'}: above every string. */
        PLUS_INFINITY
    }

    /** {@code [- +]}: every member. */
    public static final LexRange ALL = new LexRange(Kind.MINUS_INFINITY, null, Kind.PLUS_INFINITY, null);

    private static final byte[] NONE = new byte[0];

    /** The lower end's kind. */
    public final Kind minKind;
    /** The lower end's string (empty for an infinite end). */
    public final byte[] min;
    /** The upper end's kind. */
    public final Kind maxKind;
    /** The upper end's string (empty for an infinite end). */
    public final byte[] max;

    /**
     * @param min the string for a finite end; ignored (may be null) for an infinite one
     * @param max likewise
     */
    public LexRange(Kind minKind, byte[] min, Kind maxKind, byte[] max) {
        this.minKind = minKind;
        this.min = isInfinite(minKind) || min == null ? NONE : min;
        this.maxKind = maxKind;
        this.max = isInfinite(maxKind) || max == null ? NONE : max;
    }

    private static boolean isInfinite(Kind k) {
        return k == Kind.MINUS_INFINITY || k == Kind.PLUS_INFINITY;
    }

    /**
     * Parses ZRANGEBYLEX-style ends ({@code zslParseLexRangeItem}): {@code "-"}, {@code "+"}, or
     * {@code '['}/{@code '('} followed by the string.
     *
     * @return the range, or {@code null} when an end is malformed (Redis replies
     *     {@code ERR min or max not valid string range item})
     */
    public static LexRange parse(byte[] min, byte[] max) {
        Kind lo = kindOf(min);
        Kind hi = kindOf(max);
        if (lo == null || hi == null) {
            return null;
        }
        return new LexRange(lo, strip(lo, min), hi, strip(hi, max));
    }

    private static Kind kindOf(byte[] item) {
        if (item.length == 0) {
            return null;
        }
        switch (item[0]) {
            case '+':
                return item.length == 1 ? Kind.PLUS_INFINITY : null;
            case '-':
                return item.length == 1 ? Kind.MINUS_INFINITY : null;
            case '[':
                return Kind.INCLUSIVE;
            case '(':
                return Kind.EXCLUSIVE;
            default:
                return null;
        }
    }

    private static byte[] strip(Kind k, byte[] item) {
        return isInfinite(k) ? NONE : java.util.Arrays.copyOfRange(item, 1, item.length);
    }

    /** {@code sdscmplex} of the two ends. */
    private int compareEnds() {
        if (minKind == maxKind && isInfinite(minKind)) {
            return 0;
        }
        if (minKind == Kind.MINUS_INFINITY || maxKind == Kind.PLUS_INFINITY) {
            return -1;
        }
        if (minKind == Kind.PLUS_INFINITY || maxKind == Kind.MINUS_INFINITY) {
            return 1;
        }
        return ByteStrings.compare(min, NativeMemory.BYTE_ARRAY_BASE, min.length, max, NativeMemory.BYTE_ARRAY_BASE, max.length);
    }

    /** @return whether the ends are crossed, or equal and not both inclusive ({@code zslIsInLexRange}). */
    public boolean isEmpty() {
        int c = compareEnds();
        return c > 0 || (c == 0 && (minKind == Kind.EXCLUSIVE || maxKind == Kind.EXCLUSIVE));
    }

    /** @return whether the string at {@code base}+{@code off} is not below the lower end. */
    public boolean gteMin(Object base, long off, int len) {
        switch (minKind) {
            case MINUS_INFINITY:
                return true;
            case PLUS_INFINITY:
                return false;
            case INCLUSIVE:
                return ByteStrings.compare(base, off, len, min, NativeMemory.BYTE_ARRAY_BASE, min.length) >= 0;
            default:
                return ByteStrings.compare(base, off, len, min, NativeMemory.BYTE_ARRAY_BASE, min.length) > 0;
        }
    }

    /** @return whether the string at {@code base}+{@code off} is not above the upper end. */
    public boolean lteMax(Object base, long off, int len) {
        switch (maxKind) {
            case PLUS_INFINITY:
                return true;
            case MINUS_INFINITY:
                return false;
            case INCLUSIVE:
                return ByteStrings.compare(base, off, len, max, NativeMemory.BYTE_ARRAY_BASE, max.length) <= 0;
            default:
                return ByteStrings.compare(base, off, len, max, NativeMemory.BYTE_ARRAY_BASE, max.length) < 0;
        }
    }

    /** @return whether native {@code address[0..len)} is inside the range. */
    public boolean contains(long address, int len) {
        return gteMin(null, address, len) && lteMax(null, address, len);
    }

    /** @return whether {@code b} is inside the range. */
    public boolean contains(byte[] b) {
        return gteMin(b, NativeMemory.BYTE_ARRAY_BASE, b.length) && lteMax(b, NativeMemory.BYTE_ARRAY_BASE, b.length);
    }

    @Override
    public String toString() {
        return end(minKind, min) + ", " + end(maxKind, max);
    }

    private static String end(Kind k, byte[] s) {
        switch (k) {
            case MINUS_INFINITY:
                return "-";
            case PLUS_INFINITY:
                return "+";
            case INCLUSIVE:
                return "[" + new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
            default:
                return "(" + new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
