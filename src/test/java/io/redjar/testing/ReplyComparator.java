package io.redjar.testing;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether RedJar's reply matches the real server's, and if not, says where they differ.
 *
 * <p>Rules shared by every built-in comparator:
 * <ul>
 *   <li><b>Nulls:</b> {@link Reply#NULL} and {@link Reply#NULL_ARRAY} are equal. RESP3 has a single
 *       null ({@code _}), so a RESP3 client cannot tell which flavour the server meant; RedJar's
 *       in-process replies keep the flavour for RESP2 encoding only.</li>
 *   <li><b>Sets:</b> a {@link Reply.SetReply} is compared as a multiset at every depth, because
 *       Redis leaves set order undefined.</li>
 *   <li><b>Doubles:</b> compared exactly as by {@link Double#compare} ({@code nan} equals
 *       {@code nan}; {@code 0.0} and {@code -0.0} differ, as their wire forms do).</li>
 * </ul>
 *
 * <p>Built-ins: {@link #EXACT}; {@link #UNORDERED} (top-level array, map and push elements as
 * multisets, for commands like {@code KEYS} or {@code HGETALL} whose order Redis leaves undefined);
 * {@link #UNORDERED_DEEP} (every aggregate at any depth); {@link #TYPE_ONLY}; {@link #ttl(long)}
 * for time-dependent integers. Write a lambda for anything else.
 */
@FunctionalInterface
public interface ReplyComparator {

    /**
     * @param expected the real server's reply
     * @param actual   RedJar's reply
     * @return empty if they match, else a short description of the first difference
     */
    Optional<String> difference(Reply expected, Reply actual);

    /** Structural equality (with the shared rules above). */
    ReplyComparator EXACT = (e, a) -> Replies.diff(Replies.normalize(e, 0), Replies.normalize(a, 0), "$");

    /** As {@link #EXACT}, but top-level array/push elements and map entries compare as multisets. */
    ReplyComparator UNORDERED = (e, a) -> Replies.diff(Replies.normalize(e, 1), Replies.normalize(a, 1), "$");

    /** As {@link #EXACT}, but aggregates at every depth compare as multisets. */
    ReplyComparator UNORDERED_DEEP = (e, a) -> Replies.diff(Replies.normalize(e, Integer.MAX_VALUE),
            Replies.normalize(a, Integer.MAX_VALUE), "$");

    /** Only the reply type must match (the two null flavours count as one type). */
    ReplyComparator TYPE_ONLY = (e, a) -> Replies.typeName(e).equals(Replies.typeName(a)) ? Optional.empty()
            : Optional.of("type differs: expected " + Replies.typeName(e) + " but was " + Replies.typeName(a));

    /**
     * For {@code TTL}/{@code PTTL}-like replies: integers that are negative ({@code -1} no expiry,
     * {@code -2} no key) must be equal; non-negative ones may differ by at most {@code tolerance}
     * (in the reply's unit). Any other reply falls back to {@link #EXACT} (errors must match).
     */
    static ReplyComparator ttl(long tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance < 0");
        }
        return (e, a) -> {
            if (e instanceof Reply.IntegerReply ei && a instanceof Reply.IntegerReply ai) {
                long x = ei.value();
                long y = ai.value();
                if (x < 0 || y < 0) {
                    return x == y ? Optional.empty()
                            : Optional.of("expected " + x + " but was " + y + " (negative TTLs must be equal)");
                }
                return Math.abs(x - y) <= tolerance ? Optional.empty()
                        : Optional.of("expected " + x + " +/- " + tolerance + " but was " + y);
            }
            return EXACT.difference(e, a);
        };
    }

    /** @return a comparator that accepts a pair when either this or {@code other} does. */
    default ReplyComparator or(ReplyComparator other) {
        return (e, a) -> {
            Optional<String> d = difference(e, a);
            return d.isEmpty() ? d : other.difference(e, a).map(x -> d.get());
        };
    }

    /** Helpers behind the built-in comparators. */
    final class Replies {
        private Replies() {
        }

        private static final Comparator<Reply> CANONICAL = Comparator.comparing(ReplyFormat::reply);

        /**
         * Returns a canonical form: null flavours merged, set elements sorted, and aggregates sorted
         * down to {@code unorderedDepth} levels (1 = the top-level aggregate only).
         */
        static Reply normalize(Reply r, int unorderedDepth) {
            if (r instanceof Reply.Null) {
                return Reply.NULL;
            }
            int inner = unorderedDepth == Integer.MAX_VALUE ? unorderedDepth : Math.max(0, unorderedDepth - 1);
            if (r instanceof Reply.SetReply s) {
                return new Reply.SetReply(sorted(normalizeAll(s.elements(), inner)));
            }
            if (r instanceof Reply.ArrayReply a) {
                List<Reply> el = normalizeAll(a.elements(), inner);
                return new Reply.ArrayReply(unorderedDepth > 0 ? sorted(el) : el);
            }
            if (r instanceof Reply.Push p) {
                List<Reply> el = normalizeAll(p.elements(), inner);
                return new Reply.Push(unorderedDepth > 0 ? sorted(el) : el);
            }
            if (r instanceof Reply.Map m) {
                List<Reply> flat = normalizeAll(m.flat(), inner);
                if (unorderedDepth > 0) {
                    List<Reply[]> pairs = new ArrayList<>();
                    for (int i = 0; i < flat.size(); i += 2) {
                        pairs.add(new Reply[] {flat.get(i), flat.get(i + 1)});
                    }
                    pairs.sort(Comparator.<Reply[], String>comparing(p -> ReplyFormat.reply(p[0]))
                            .thenComparing(p -> ReplyFormat.reply(p[1])));
                    flat = new ArrayList<>();
                    for (Reply[] p : pairs) {
                        flat.add(p[0]);
                        flat.add(p[1]);
                    }
                }
                return new Reply.Map(flat);
            }
            return r;
        }

        private static List<Reply> normalizeAll(List<Reply> in, int depth) {
            List<Reply> out = new ArrayList<>(in.size());
            for (Reply r : in) {
                out.add(normalize(r, depth));
            }
            return out;
        }

        private static List<Reply> sorted(List<Reply> in) {
            List<Reply> out = new ArrayList<>(in);
            out.sort(CANONICAL);
            return out;
        }

        /** The first difference between two normalized replies, located by a path like {@code $[2][0]}. */
        static Optional<String> diff(Reply e, Reply a, String path) {
            if (e == null || a == null) {
                return e == a ? Optional.empty() : Optional.of("at " + path + ": one reply is a Java null");
            }
            if (e.equals(a)) {
                return Optional.empty();
            }
            List<Reply> el = elements(e);
            List<Reply> al = elements(a);
            if (el != null && al != null && e.getClass() == a.getClass()) {
                for (int i = 0; i < Math.min(el.size(), al.size()); i++) {
                    Optional<String> d = diff(el.get(i), al.get(i), path + "[" + i + "]");
                    if (d.isPresent()) {
                        return el.size() == al.size() ? d
                                : Optional.of(d.get() + " (sizes also differ: " + el.size() + " vs " + al.size() + ")");
                    }
                }
                return Optional.of("at " + path + ": expected " + el.size() + " elements but was " + al.size());
            }
            return Optional.of("at " + path + ": expected " + ReplyFormat.reply(e) + " but was " + ReplyFormat.reply(a));
        }

        private static List<Reply> elements(Reply r) {
            if (r instanceof Reply.ArrayReply a) {
                return a.elements();
            }
            if (r instanceof Reply.SetReply s) {
                return s.elements();
            }
            if (r instanceof Reply.Push p) {
                return p.elements();
            }
            if (r instanceof Reply.Map m) {
                return m.flat();
            }
            return null;
        }

        /** A short type name; both null flavours are {@code null}. */
        static String typeName(Reply r) {
            if (r == null) {
                return "java-null";
            }
            if (r instanceof Reply.Null) {
                return "null";
            }
            return r.getClass().getSimpleName();
        }
    }
}
