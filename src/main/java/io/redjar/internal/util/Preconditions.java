package io.redjar.internal.util;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Argument checks for the typed API ({@code io.redjar.*} handles and options), done on entry,
 * before anything is read or written. Each failure names the parameter:
 *
 * <ul>
 *   <li>a null reference: {@link NullPointerException} {@code "key must not be null"}; a null
 *       element: {@code "keys[2] must not be null"}; a null map key or value:
 *       {@code "fields must not contain null keys or values"};</li>
 *   <li>a {@link Duration} or {@link Instant} whose milliseconds do not fit a {@code long}:
 *       {@link IllegalArgumentException} {@code "ttl is out of range: PT2562047788015216H"};</li>
 *   <li>a negative blocking timeout: {@link IllegalArgumentException}
 *       {@code "timeout must not be negative: PT-1S"}.</li>
 * </ul>
 *
 * <p>Values that Redis itself accepts or rejects (a negative count, a zero expiry, ...) are not
 * checked here: the commands reply Redis's errors for them.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** @return {@code value} @throws NullPointerException {@code "<name> must not be null"} */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /**
     * @return {@code values}
     * @throws NullPointerException if the array or one of its elements is null, naming it
     *                              ({@code "members[1] must not be null"})
     */
    public static <T> T[] noNullElements(T[] values, String name) {
        notNull(values, name);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(name + "[" + i + "] must not be null");
            }
        }
        return values;
    }

    /**
     * @return {@code map}
     * @throws NullPointerException if the map is null or holds a null key or value
     */
    public static <M extends Map<?, ?>> M noNullEntries(M map, String name) {
        notNull(map, name);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException(name + " must not contain null keys or values");
            }
        }
        return map;
    }

    /** @return the UTF-8 bytes of {@code s} @throws NullPointerException naming {@code name} */
    public static byte[] utf8(String s, String name) {
        return notNull(s, name).getBytes(StandardCharsets.UTF_8);
    }

    /** @return each string's UTF-8 bytes @throws NullPointerException naming the null element */
    public static byte[][] utf8(String[] values, String name) {
        noNullElements(values, name);
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /**
     * @return the duration in whole milliseconds (truncated, as {@link Duration#toMillis()}); may be
     *         zero or negative: the command decides what those mean
     * @throws NullPointerException     if {@code d} is null
     * @throws IllegalArgumentException if the milliseconds do not fit a {@code long}
     */
    public static long millis(Duration d, String name) {
        notNull(d, name);
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is out of range: " + d, e);
        }
    }

    /**
     * @return the instant in milliseconds since the epoch
     * @throws NullPointerException     if {@code at} is null
     * @throws IllegalArgumentException if the milliseconds do not fit a {@code long}
     */
    public static long epochMillis(Instant at, String name) {
        notNull(at, name);
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is out of range: " + at, e);
        }
    }

    /** The most elements a Java list (an array) can hold. */
    public static final int MAX_LIST_SIZE = Integer.MAX_VALUE - 8;

    /**
     * For counts that Redis answers with {@code -count} elements (HRANDFIELD, SRANDMEMBER,
     * ZRANDMEMBER with a negative count): the reply must fit a Java list.
     *
     * @return {@code count}
     * @throws IllegalArgumentException if {@code count < -MAX_LIST_SIZE}
     */
    public static long repliesFitAList(long count, String name) {
        if (count < -MAX_LIST_SIZE) {
            throw new IllegalArgumentException(name + " is out of range: " + count + " asks for more elements than a list holds ("
                + MAX_LIST_SIZE + ")");
        }
        return count;
    }

    /**
     * @return {@code d}
     * @throws NullPointerException     if {@code d} is null
     * @throws IllegalArgumentException {@code "<name> must not be negative: PT-1S"}
     */
    public static Duration notNegative(Duration d, String name) {
        notNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }
}
