package io.redjar.hitratio;

import java.util.Objects;

/**
 * A cache access trace: the key ids a client asks for, in order, plus the number of keys the
 * cache size is taken as a fraction of.
 *
 * <p>Design note: a trace is a plain {@code int[]} of key ids (generated once, replayed many
 * times), so a replay allocates nothing per request. {@code sizingKeys} is the "universe" the
 * benchmark sizes the cache against: all distinct keys for the Zipf and public traces, but only the
 * working set for the scan-polluted trace (its one-off scan keys would otherwise inflate the cache
 * until the scans no longer pollute it).
 *
 * <p>Thread-safety: immutable by convention (the array is not copied; nobody writes it after
 * construction), so safe to share.
 *
 * @param name       short name used in the results ({@code zipf0.99}, {@code web07}, ...)
 * @param keys       the key ids, each {@code >= 0}
 * @param sizingKeys the key count the cache-size fraction applies to
 * @param about      one line on where the trace comes from
 */
public record Trace(String name, int[] keys, int sizingKeys, String about) {
    /** Validates the fields. */
    public Trace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(about, "about");
        if (sizingKeys <= 0) {
            throw new IllegalArgumentException("sizingKeys must be positive: " + sizingKeys);
        }
    }

    /** @return the number of requests */
    public int length() {
        return keys.length;
    }

    /** @return the largest key id plus one (0 for an empty trace) */
    public int idBound() {
        int max = -1;
        for (int k : keys) {
            max = Math.max(max, k);
        }
        return max + 1;
    }

    /** @return the number of distinct key ids */
    public int distinct() {
        boolean[] seen = new boolean[idBound()];
        int n = 0;
        for (int k : keys) {
            if (!seen[k]) {
                seen[k] = true;
                n++;
            }
        }
        return n;
    }
}
