package io.redjar.internal.eviction;

/**
 * Redis's eviction pool ({@code evictionPoolPopulate} in {@code evict.c}): the
 * {@value #SIZE} best eviction candidates seen so far, kept in ascending order of score ("idle",
 * higher is a better candidate: idle time under LRU, {@code 255 - counter} under LFU,
 * {@code Long.MAX_VALUE - expireAt} under volatile-ttl). Sampled keys enter when the pool has room
 * or when they beat its worst entry; entries are not removed when their key goes away, so the
 * evictor re-checks a candidate before evicting it (a "ghost" is skipped).
 *
 * <p>RedJar keeps the shard beside the database of each entry, and keeps a copy of the key (Redis
 * keeps an sds copy too), so at most {@value #SIZE} small arrays live here whatever the data set.
 *
 * <p><b>Thread-safety:</b> not thread-safe; used under the evictor's lock.
 */
final class EvictionPool {
    /** Redis's {@code EVPOOL_SIZE}. */
    static final int SIZE = 16;

    private final long[] idle = new long[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private final int[] dbs = new int[SIZE];
    private final int[] shards = new int[SIZE];

    /**
     * Offers a sampled key; the key bytes are copied only if it enters.
     *
     * @param keyBytes supplies the key's bytes (only called when it enters)
     */
    void offer(long score, int shard, int db, java.util.function.Supplier<byte[]> keyBytes) {
        int k = 0;
        while (k < SIZE && keys[k] != null && idle[k] < score) {
            k++;
        }
        if (k == 0 && keys[SIZE - 1] != null) {
            return; // worse than the worst we have and no free bucket
        } else if (k < SIZE && keys[k] == null) {
            // empty bucket: insert here
        } else if (keys[SIZE - 1] == null) {
            shift(k, k + 1, SIZE - k - 1); // free space on the right: shift right from k
        } else {
            k--; // no free space: drop the worst (leftmost) and insert at k - 1
            shift(1, 0, k);
        }
        keys[k] = keyBytes.get();
        idle[k] = score;
        dbs[k] = db;
        shards[k] = shard;
    }

    private void shift(int from, int to, int n) {
        System.arraycopy(idle, from, idle, to, n);
        System.arraycopy(keys, from, keys, to, n);
        System.arraycopy(dbs, from, dbs, to, n);
        System.arraycopy(shards, from, shards, to, n);
    }

    /** @return the index of the best remaining entry, or -1 when empty */
    int best() {
        for (int k = SIZE - 1; k >= 0; k--) {
            if (keys[k] != null) {
                return k;
            }
        }
        return -1;
    }

    byte[] key(int k) {
        return keys[k];
    }

    int db(int k) {
        return dbs[k];
    }

    int shard(int k) {
        return shards[k];
    }

    long score(int k) {
        return idle[k];
    }

    /** Removes entry {@code k} (Redis leaves the bucket empty in place). */
    void remove(int k) {
        keys[k] = null;
        idle[k] = 0;
    }

    /** Empties the pool (the policy changed). */
    void clear() {
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(idle, 0);
    }

    /** @return how many entries are filled */
    int size() {
        int n = 0;
        for (byte[] k : keys) {
            if (k != null) {
                n++;
            }
        }
        return n;
    }
}
