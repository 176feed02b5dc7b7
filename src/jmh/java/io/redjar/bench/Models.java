package io.redjar.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Plain-Java reference models and shared data for the collection benchmarks. */
final class Models {
    private Models() {
    }

    /** Elements per collection in every collection benchmark. */
    static final int N = 1_000_000;

    /** @return {@code "member:" + i} as ASCII bytes, one allocation */
    static byte[] member(long i) {
        return name(MEMBER, i);
    }

    /** @return {@code "field:" + i} as ASCII bytes */
    static byte[] field(long i) {
        return name(FIELD, i);
    }

    private static final byte[] MEMBER = "member:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIELD = "field:".getBytes(StandardCharsets.US_ASCII);

    /** @return prefix followed by the decimal digits of {@code i}, one allocation */
    static byte[] name(byte[] prefix, long i) {
        int digits = 1;
        for (long x = i; x >= 10; x /= 10) {
            digits++;
        }
        int pl = prefix.length;
        byte[] b = new byte[pl + digits];
        System.arraycopy(prefix, 0, b, 0, pl);
        for (int k = b.length - 1; k >= pl; k--) {
            b[k] = (byte) ('0' + (i % 10));
            i /= 10;
        }
        return b;
    }

    static String str(byte[] ascii) {
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /** A deterministic score in [0, 1e6) for fresh member number {@code c}. */
    static double freshScore(long c) {
        return ((c * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 * 1e6;
    }

    /**
     * The simple Java sorted set: {@code HashMap<String, Double>} for member -> score plus a
     * {@code TreeSet<ScoreMember>} (a red-black tree, i.e. {@code TreeMap}) ordered by score, then
     * member (as Redis: {@code memcmp} on the member bytes; members here are ASCII, so
     * {@code String.compareTo} orders them the same). ZRANK is {@code headSet(x).size()}, which walks
     * the head set: O(rank). Single-threaded, no locking.
     */
    static final class ZSet {
        record ScoreMember(double score, String member) implements Comparable<ScoreMember> {
            @Override
            public int compareTo(ScoreMember o) {
                if (score < o.score) {
                    return -1;
                }
                if (score > o.score) {
                    return 1;
                }
                return member.compareTo(o.member);
            }
        }

        final HashMap<String, Double> dict = new HashMap<>();
        final TreeSet<ScoreMember> tree = new TreeSet<>();

        /** @return 1 when added, 0 when updated or unchanged */
        int zadd(String member, double score) {
            Double old = dict.put(member, score);
            if (old == null) {
                tree.add(new ScoreMember(score, member));
                return 1;
            }
            if (old != score) {
                tree.remove(new ScoreMember(old, member));
                tree.add(new ScoreMember(score, member));
            }
            return 0;
        }

        Double zscore(String member) {
            return dict.get(member);
        }

        Long zrank(String member) {
            Double s = dict.get(member);
            return s == null ? null : (long) tree.headSet(new ScoreMember(s, member)).size();
        }

        List<String> zrange(int start, int stop) {
            List<String> out = new ArrayList<>(stop - start + 1);
            Iterator<ScoreMember> it = tree.iterator();
            for (int i = 0; i <= stop && it.hasNext(); i++) {
                ScoreMember sm = it.next();
                if (i >= start) {
                    out.add(sm.member);
                }
            }
            return out;
        }

        /** ZRANGEBYSCORE key min +inf LIMIT 0 count. */
        List<String> zrangeByScore(double min, int count) {
            List<String> out = new ArrayList<>(count);
            Iterator<ScoreMember> it = tree.tailSet(new ScoreMember(min, ""), true).iterator();
            while (out.size() < count && it.hasNext()) {
                out.add(it.next().member);
            }
            return out;
        }

        int size() {
            return dict.size();
        }
    }

    /** Closes whatever a benchmark trial opened (store, client, server), skipping nulls. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable r : resources) {
            if (r != null) {
                r.close();
            }
        }
    }
}
