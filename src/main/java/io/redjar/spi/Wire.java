package io.redjar.spi;

import io.redjar.internal.util.MemoryUnits;
import io.redjar.internal.util.Numbers;

/**
 * Redis conventions a front end needs besides the commands: version strings, how a double is
 * written on the wire, and how memory sizes are written in settings.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class Wire {
    /** RedJar's version (INFO {@code redjar_version}, HELLO {@code version}, the server's start line). */
    public static final String VERSION = "0.1.0";

    private Wire() {
    }

    /**
     * @return {@code d} as Redis writes a double reply's digits (C's {@code %.17g}, the way the
     *         RESP encoder renders {@code Reply.DoubleReply})
     */
    public static String formatDouble(double d) {
        return Numbers.formatDouble17g(d);
    }

    /** @return a memory size ({@code 1gb}, {@code 512mb}, {@code 100k}, plain bytes) in bytes, or -1 if invalid */
    public static long parseMemory(String v) {
        return MemoryUnits.parse(v);
    }

    /**
     * Redis's {@code sdssplitargs} (inline commands, redis-cli quoting).
     *
     * @return the arguments, or null on unbalanced quotes
     */
    public static java.util.List<byte[]> splitArgs(byte[] line) {
        return io.redjar.internal.util.SplitArgs.split(line);
    }
}
