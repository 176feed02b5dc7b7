package io.redjar.testing;

import io.redjar.Reply;
import org.opentest4j.AssertionFailedError;

import java.util.Optional;

/**
 * Assertions comparing the real server's reply ("expected") with RedJar's ("actual") under a
 * {@link ReplyComparator}; see there for the rules (notably: {@link Reply#NULL} equals
 * {@link Reply#NULL_ARRAY}, and sets compare as multisets).
 *
 * <p>Failure messages show the context (or the step number and command), both replies rendered by
 * {@link ReplyFormat} (byte strings quoted and escaped) and where they first differ. The thrown
 * {@link AssertionFailedError} carries both renderings as expected/actual values, so IDEs can show
 * a diff.
 */
public final class ReplyAssert {

    private ReplyAssert() {
    }

    /** Asserts an exact match ({@link ReplyComparator#EXACT}). */
    public static void assertSameReply(String context, Reply expected, Reply actual) {
        assertSameReply(context, expected, actual, ReplyComparator.EXACT);
    }

    /** Asserts a match with order-insensitive top-level aggregates ({@link ReplyComparator#UNORDERED}). */
    public static void assertSameReplyUnordered(String context, Reply expected, Reply actual) {
        assertSameReply(context, expected, actual, ReplyComparator.UNORDERED);
    }

    /** Asserts a match under {@code comparator}; {@code context} heads the failure message. */
    public static void assertSameReply(String context, Reply expected, Reply actual, ReplyComparator comparator) {
        Optional<String> d = comparator.difference(expected, actual);
        if (d.isPresent()) {
            throw failure(context, expected, actual, d.get());
        }
    }

    /**
     * Asserts a match for step {@code step} (0-based) of a command sequence; the message names the
     * step and the command.
     */
    public static void assertSameReply(int step, byte[][] argv, Reply expected, Reply actual, ReplyComparator comparator) {
        assertSameReply(stepContext(step, argv), expected, actual, comparator);
    }

    /** @return {@code "step N: COMMAND"} */
    public static String stepContext(int step, byte[][] argv) {
        return "step " + step + ": " + ReplyFormat.command(argv);
    }

    /** Builds the failure thrown by the assertions above (also used by {@link DifferentialRunner}). */
    static AssertionFailedError failure(String context, Reply expected, Reply actual, String difference) {
        String e = ReplyFormat.reply(expected);
        String a = ReplyFormat.reply(actual);
        return new AssertionFailedError(message(context, "redis", e, "redjar", a, difference), e, a);
    }

    /** The message layout shared with {@link DifferentialRunner}. */
    static String message(String context, String expectedLabel, String expected, String actualLabel, String actual,
                          String difference) {
        String e = "  expected (" + expectedLabel + ")";
        String a = "  actual   (" + actualLabel + ")";
        String d = "  difference";
        int w = Math.max(Math.max(e.length(), a.length()), d.length());
        return context + "\n"
                + pad(e, w) + ": " + expected + "\n"
                + pad(a, w) + ": " + actual + "\n"
                + pad(d, w) + ": " + difference;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
