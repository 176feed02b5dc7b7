package io.redjar.internal.keyspace;

import java.util.concurrent.atomic.LongAdder;

/**
 * INFO stats' keyspace counters: {@code keyspace_hits}, {@code keyspace_misses} and
 * {@code expired_keys}, counted as Redis 7.0 counts them.
 *
 * <p>Design: a hit or a miss is counted by every <em>read</em> lookup ({@link Keyspace#lookupRead},
 * Redis's {@code lookupKeyRead*}: GET, EXISTS, TYPE, TTL, OBJECT, the sources of BITOP, COPY and
 * the non-STORE set and sorted-set algebra...), never by a write lookup ({@code lookupKeyWrite}:
 * SET without GET, INCR, the STORE variants' sources, single-key PFCOUNT...) nor by commands that
 * find keys without a lookup (SCAN, RANDOMKEY, MEMORY USAGE, DEL). An expired key found by a read
 * lookup is deleted and counted as a miss. {@code expired_keys} counts every deletion of an
 * expired key, lazy (any lookup) or active (the expiry cycle), not a key deleted by an EXPIRE in
 * the past. The counters are {@link LongAdder}s: the shards count without sharing a cache line.
 *
 * <p><b>Thread-safety:</b> thread-safe; a reading is not a snapshot across the three counters.
 */
public final class KeyspaceStats {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder expired = new LongAdder();

    /** Counts one read lookup: a hit when the key was found live, else a miss. */
    public void read(boolean found) {
        (found ? hits : misses).increment();
    }

    /** Counts one expired key deleted. */
    public void expired() {
        expired.increment();
    }

    /** @return read lookups that found the key */
    public long hits() {
        return hits.sum();
    }

    /** @return read lookups that did not */
    public long misses() {
        return misses.sum();
    }

    /** @return expired keys deleted */
    public long expiredKeys() {
        return expired.sum();
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        hits.reset();
        misses.reset();
        expired.reset();
    }
}
