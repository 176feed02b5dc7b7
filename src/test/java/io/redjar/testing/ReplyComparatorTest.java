package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.Optional;

import static io.redjar.testing.ReplyAssert.assertSameReply;
import static io.redjar.testing.ReplyAssert.assertSameReplyUnordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReplyComparator}, {@link ReplyAssert} and {@link ReplyFormat}, without a server. */
class ReplyComparatorTest {

    private static Reply b(String s) {
        return Reply.bulk(s);
    }

    private static Reply.SetReply set(Reply... r) {
        return new Reply.SetReply(List.of(r));
    }

    private static Reply.Map map(Reply... flat) {
        return new Reply.Map(List.of(flat));
    }

    private static boolean same(ReplyComparator c, Reply e, Reply a) {
        return c.difference(e, a).isEmpty();
    }

    @Test
    void exactMatchesStructurally() {
        assertTrue(same(ReplyComparator.EXACT, Reply.array(b("a"), Reply.integer(3)), Reply.array(b("a"), Reply.integer(3))));
        assertTrue(!same(ReplyComparator.EXACT, Reply.array(b("a"), b("b")), Reply.array(b("b"), b("a"))));
        assertTrue(!same(ReplyComparator.EXACT, b("1"), Reply.integer(1)));
        assertTrue(!same(ReplyComparator.EXACT, b("OK"), Reply.OK), "bulk vs simple string");
        assertTrue(!same(ReplyComparator.EXACT, Reply.error("ERR a"), Reply.error("ERR b")));
        assertTrue(!same(ReplyComparator.EXACT, map(b("k"), b("v"), b("k2"), b("v2")), map(b("k2"), b("v2"), b("k"), b("v"))));
    }

    @Test
    void nullFlavoursAreEqual() {
        assertTrue(same(ReplyComparator.EXACT, Reply.NULL, Reply.NULL_ARRAY));
        assertTrue(same(ReplyComparator.EXACT, Reply.NULL_ARRAY, Reply.NULL));
        assertTrue(same(ReplyComparator.EXACT, Reply.array(Reply.NULL), Reply.array(Reply.NULL_ARRAY)));
        assertTrue(!same(ReplyComparator.EXACT, Reply.NULL, Reply.EMPTY_ARRAY));
        assertTrue(!same(ReplyComparator.EXACT, Reply.NULL, b("")));
    }

    @Test
    void doublesCompareLikeTheirWireForm() {
        assertTrue(same(ReplyComparator.EXACT, new Reply.DoubleReply(Double.NaN), new Reply.DoubleReply(Double.NaN)));
        assertTrue(!same(ReplyComparator.EXACT, new Reply.DoubleReply(0.0), new Reply.DoubleReply(-0.0)));
        assertTrue(!same(ReplyComparator.EXACT, new Reply.DoubleReply(0.1), new Reply.DoubleReply(0.1 + 1e-17 * 2)));
    }

    @Test
    void setsAreMultisetsAtAnyDepth() {
        assertTrue(same(ReplyComparator.EXACT, set(b("a"), b("b"), b("a")), set(b("a"), b("a"), b("b"))));
        assertTrue(!same(ReplyComparator.EXACT, set(b("a"), b("b"), b("a")), set(b("a"), b("b"), b("b"))));
        assertTrue(same(ReplyComparator.EXACT, Reply.array(set(b("x"), b("y"))), Reply.array(set(b("y"), b("x")))));
        assertTrue(same(ReplyComparator.EXACT, set(set(b("1"), b("2"))), set(set(b("2"), b("1")))));
    }

    @Test
    void unorderedIgnoresTopLevelOrderOnly() {
        Reply e = Reply.array(b("a"), Reply.array(b("1"), b("2")), b("c"));
        assertTrue(same(ReplyComparator.UNORDERED, e, Reply.array(b("c"), b("a"), Reply.array(b("1"), b("2")))));
        assertTrue(!same(ReplyComparator.UNORDERED, e, Reply.array(b("c"), b("a"), Reply.array(b("2"), b("1")))));
        assertTrue(same(ReplyComparator.UNORDERED_DEEP, e, Reply.array(b("c"), b("a"), Reply.array(b("2"), b("1")))));
        assertTrue(!same(ReplyComparator.UNORDERED, Reply.array(b("a"), b("a")), Reply.array(b("a"))), "multiset, not set");
        assertTrue(same(ReplyComparator.UNORDERED, map(b("k"), b("v"), b("k2"), b("v2")), map(b("k2"), b("v2"), b("k"), b("v"))));
        assertTrue(!same(ReplyComparator.UNORDERED, map(b("k"), b("v"), b("k2"), b("v2")), map(b("k"), b("v2"), b("k2"), b("v"))),
                "pairs stay pairs");
    }

    @Test
    void typeOnly() {
        assertTrue(same(ReplyComparator.TYPE_ONLY, Reply.integer(5), Reply.integer(7)));
        assertTrue(same(ReplyComparator.TYPE_ONLY, Reply.NULL, Reply.NULL_ARRAY));
        assertTrue(!same(ReplyComparator.TYPE_ONLY, Reply.integer(5), b("5")));
    }

    @Test
    void ttlTolerance() {
        ReplyComparator ttl = ReplyComparator.ttl(2);
        assertTrue(same(ttl, Reply.integer(1000), Reply.integer(998)));
        assertTrue(same(ttl, Reply.integer(1000), Reply.integer(1002)));
        assertTrue(!same(ttl, Reply.integer(1000), Reply.integer(997)));
        assertTrue(same(ttl, Reply.integer(-1), Reply.integer(-1)));
        assertTrue(!same(ttl, Reply.integer(-1), Reply.integer(-2)), "no expiry vs no key must be exact");
        assertTrue(!same(ttl, Reply.integer(1), Reply.integer(-1)), "an expiry vs none must be exact");
        assertTrue(!same(ttl, Reply.integer(5), Reply.error("ERR x")));
        assertTrue(same(ttl, Reply.error("ERR x"), Reply.error("ERR x")));
    }

    @Test
    void orCombinator() {
        ReplyComparator either = ReplyComparator.EXACT.or(ReplyComparator.TYPE_ONLY);
        assertTrue(same(either, Reply.integer(1), Reply.integer(2)));
        assertEquals(ReplyComparator.EXACT.difference(Reply.integer(1), b("1")), either.difference(Reply.integer(1), b("1")));
    }

    @Test
    void differenceNamesThePath() {
        Optional<String> d = ReplyComparator.EXACT.difference(
                Reply.array(b("a"), Reply.array(Reply.integer(1), Reply.integer(2))),
                Reply.array(b("a"), Reply.array(Reply.integer(1), Reply.integer(3))));
        assertEquals(Optional.of("at $[1][1]: expected :2 but was :3"), d);
        d = ReplyComparator.EXACT.difference(Reply.array(b("a")), Reply.array(b("a"), b("b")));
        assertEquals(Optional.of("at $: expected 1 elements but was 2"), d);
    }

    @Test
    void formatEscapesBytesAndMarksTypes() {
        assertEquals("\"a\\x00\\xff\\r\\n\\\"\\\\\"", ReplyFormat.reply(new Reply.Bulk(new byte[] {'a', 0, (byte) 0xff, '\r', '\n', '"', '\\'})));
        assertEquals("*[+OK, -ERR x, :1, ,1.5, ,inf, #t, (nil), (nil-array), =txt:\"hi\"]",
                ReplyFormat.reply(Reply.array(Reply.OK, Reply.error("ERR x"), Reply.ONE, new Reply.DoubleReply(1.5),
                        new Reply.DoubleReply(Double.POSITIVE_INFINITY), new Reply.Bool(true), Reply.NULL, Reply.NULL_ARRAY,
                        new Reply.Verbatim("txt", "hi"))));
        assertEquals("%{\"k\": ~{:1}}", ReplyFormat.reply(map(b("k"), set(Reply.ONE))));
        assertEquals(">[\"message\"]", ReplyFormat.reply(new Reply.Push(List.of(b("message")))));
        assertEquals("SET k1 \"hello world\" \"\" \"\\x00\" 1.5", ReplyFormat.command(
                Step.argv("SET", "k1", "hello world", "", new byte[] {0}, "1.5")));
    }

    @Test
    void assertionMessageShowsContextRepliesAndDifference() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () ->
                assertSameReply(7, Step.argv("GET", new byte[] {'k', 0}), b("v\u0001"), Reply.NULL, ReplyComparator.EXACT));
        String m = e.getMessage();
        assertTrue(m.startsWith("step 7: GET \"k\\x00\"\n"), m);
        assertTrue(m.contains("expected (redis) : \"v\\x01\""), m);
        assertTrue(m.contains("actual   (redjar): (nil)"), m);
        assertTrue(m.contains("difference"), m);
        assertEquals("\"v\\x01\"", e.getExpected().getValue());
        assertEquals("(nil)", e.getActual().getValue());

        assertSameReply("nulls", Reply.NULL_ARRAY, Reply.NULL);
        assertSameReplyUnordered("keys", Reply.array(b("a"), b("b")), Reply.array(b("b"), b("a")));
        assertThrows(AssertionFailedError.class, () -> assertSameReply("order", Reply.array(b("a"), b("b")),
                Reply.array(b("b"), b("a"))));
    }
}
