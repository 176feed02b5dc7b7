package io.redjar.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One command of a differential run, with the {@link ReplyComparator} that judges its replies.
 *
 * <p>Most steps use {@link ReplyComparator#EXACT}. Mark time-dependent or order-undefined replies
 * when building the step, e.g.
 * {@code Step.of("TTL", key).compareWith(ReplyComparator.ttl(5))} or
 * {@code Step.of("KEYS", "*").unordered()}.
 *
 * @param argv       the command and its arguments
 * @param comparator how to compare the two replies
 */
public record Step(byte[][] argv, ReplyComparator comparator) {

    /** @param argv the command, non-empty; @param comparator how replies are compared */
    public Step {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(comparator, "comparator");
        if (argv.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /**
     * A step compared exactly. Parts may be {@code byte[]} (used as is), {@code String} (UTF-8),
     * numbers (their decimal {@code toString}), or a {@code List}/{@code Object[]} of such parts,
     * which is spliced in (handy for optional arguments).
     */
    public static Step of(Object... parts) {
        return new Step(argv(parts), ReplyComparator.EXACT);
    }

    /** A step compared exactly. */
    public static Step of(byte[]... argv) {
        return new Step(argv, ReplyComparator.EXACT);
    }

    /** @return this command judged by {@code c} instead. */
    public Step compareWith(ReplyComparator c) {
        return new Step(argv, c);
    }

    /** @return this command with {@link ReplyComparator#UNORDERED}. */
    public Step unordered() {
        return compareWith(ReplyComparator.UNORDERED);
    }

    /** @return this command with {@link ReplyComparator#TYPE_ONLY}. */
    public Step typeOnly() {
        return compareWith(ReplyComparator.TYPE_ONLY);
    }

    /** @return the command name, upper-cased. */
    public String name() {
        return new String(argv[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
    }

    /** Flattens {@code parts} into command arguments, as described at {@link #of(Object...)}. */
    public static byte[][] argv(Object... parts) {
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        flatten(parts, out);
        return out.toArray(new byte[0][]);
    }

    private static void flatten(Object[] parts, List<byte[]> out) {
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.add(b);
            } else if (p instanceof byte[][] bb) {
                out.addAll(Arrays.asList(bb));
            } else if (p instanceof String s) {
                out.add(s.getBytes(StandardCharsets.UTF_8));
            } else if (p instanceof Number || p instanceof Character) {
                out.add(p.toString().getBytes(StandardCharsets.UTF_8));
            } else if (p instanceof List<?> l) {
                flatten(l.toArray(), out);
            } else if (p instanceof Object[] arr) {
                flatten(arr, out);
            } else {
                throw new IllegalArgumentException("unsupported command part: " + p);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step s && Arrays.deepEquals(argv, s.argv) && comparator == s.comparator;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(argv);
    }

    @Override
    public String toString() {
        return ReplyFormat.command(argv);
    }
}
