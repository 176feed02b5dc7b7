package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;

/**
 * Argument parsing shared by the command adapters, with Redis's error replies.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Args {
    private Args() {
    }

    /** @return whether {@code arg} equals the ASCII word {@code lower} ignoring case */
    public static boolean is(byte[] arg, String lower) {
        if (arg.length != lower.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int b = arg[i] & 0xFF;
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Redis's {@code getLongLongFromObjectOrReply}. */
    public static long parseLong(byte[] arg) {
        return Numbers.parseLong(arg);
    }

    /** Like {@link #parseLong} but with a command-specific message on failure. */
    public static long parseLong(byte[] arg, String message) {
        if (!Numbers.isLong(arg)) {
            throw new RedJarException(message);
        }
        return Numbers.parseLong(arg);
    }

    /**
     * Redis's {@code getIntFromObjectOrReply} without a message: a long that fits in an int; a
     * long outside the int range gets Redis's own range error, not the not-an-integer one.
     */
    public static int parseInt(byte[] arg) {
        long v = Numbers.parseLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RedJarException("ERR value is out of range, value must between "
                + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** {@link #parseInt} with a custom message for both failures. */
    public static int parseInt(byte[] arg, String message) {
        if (!Numbers.isLong(arg)) {
            throw new RedJarException(message);
        }
        long v = Numbers.parseLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RedJarException(message);
        }
        return (int) v;
    }

    /** @return the argument decoded as UTF-8 */
    public static String str(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }
}
