package io.redjar.internal.eviction.access;

/**
 * The admission window of one shard under a {@code *-wtinylfu} policy: the keys most recently
 * added to the shard, oldest first, that have not yet had to prove they deserve their place. On
 * eviction the oldest of them competes with the main candidate (see the evictor's {@code WTinyLfu}); whoever the
 * {@link FrequencySketch} says is used less is evicted.
 *
 * <p>Design: a ring of key copies with their database, bounded by {@link #capacity} (about 1 % of
 * the shard's keys, at least {@link #MIN}, at most {@link #MAX}); a full ring drops its oldest entry, which
 * then simply stays in the main space. Entries are not removed when their key is deleted:
 * the evictor's {@code WTinyLfu} skips those ghosts when it takes the oldest.
 *
 * <p><b>Thread-safety:</b> not thread-safe; guarded by its shard's lock.
 */
public final class AdmissionWindow {
    /** Largest window per shard. */
    public static final int MAX = 1 << 14;
    /** Smallest window per shard. */
    public static final int MIN = 16;

    private byte[][] keys = new byte[MIN][];
    private int[] dbs = new int[MIN];
    private int head;
    /** Written under the shard lock; volatile so the evictor can compare shards without locking them. */
    private volatile int count;

    /** @return the window size for a shard of {@code keys} keys: about 1 %, at least {@link #MIN} */
    public static int capacityFor(long keys) {
        return (int) Math.max(MIN, Math.min(MAX, keys / 100));
    }

    /** Adds a newly inserted key; drops the oldest when the window holds {@code capacity} already. */
    public void add(int db, byte[] key, int capacity) {
        if (capacity > keys.length) {
            grow(Integer.highestOneBit(capacity - 1) << 1);
        }
        while (count >= capacity) {
            pollOldest();
        }
        int i = (head + count) & (keys.length - 1);
        keys[i] = key;
        dbs[i] = db;
        count++;
    }

    private void grow(int cap) {
        byte[][] k = new byte[cap][];
        int[] d = new int[cap];
        for (int j = 0; j < count; j++) {
            int i = (head + j) & (keys.length - 1);
            k[j] = keys[i];
            d[j] = dbs[i];
        }
        keys = k;
        dbs = d;
        head = 0;
    }

    /** @return the number of entries (ghosts included); may be read without the shard lock (a hint) */
    public int size() {
        return count;
    }

    /** @return the oldest key, or null when empty */
    public byte[] oldestKey() {
        return count == 0 ? null : keys[head];
    }

    /** @return the oldest key's database (only when not empty) */
    public int oldestDb() {
        return dbs[head];
    }

    /** Removes the oldest entry. */
    public void pollOldest() {
        keys[head] = null;
        head = (head + 1) & (keys.length - 1);
        count--;
    }

    /** Empties the window. */
    public void clear() {
        java.util.Arrays.fill(keys, null);
        head = 0;
        count = 0;
    }
}
