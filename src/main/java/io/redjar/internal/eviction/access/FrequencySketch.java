package io.redjar.internal.eviction.access;

/**
 * A count-min sketch of 4-bit counters estimating how often each key was accessed recently (the
 * "TinyLFU" of Einziger, Friedman and Manes, as Caffeine's {@code FrequencySketch} uses it; our own
 * code). One per shard, so it is updated under the shard lock that guards the accesses it records.
 *
 * <p>Design: a power-of-two {@code long[]}, 16 counters of 4 bits per word. A key's 64-bit hash
 * (the one the key tables already compute) is re-mixed into four independent indexes, each naming
 * one counter in the table; an access increments those of the four that are below 15, and the
 * estimate is their minimum. After {@code 10 x capacity} recorded increments every counter is
 * halved ({@link #reset}), so the sketch ages: what was popular long ago fades. Memory is 16 bytes
 * per key of capacity ({@link #ensureCapacity}), at most {@link #MAX_WORDS} words; no object per
 * key.
 *
 * <p><b>Thread-safety:</b> not thread-safe; guarded by its shard's lock.
 */
public final class FrequencySketch {
    /** Largest table: 2^24 words (128 MiB of counters for 16M keys in one shard). */
    static final int MAX_WORDS = 1 << 24;
    /**
     * Words per key of capacity: 2 (32 counters a key, 16 bytes). Caffeine uses one word per entry;
     * a shard here also counts the misses of keys it does not hold (often many more than it
     * holds), and on the Zipf traces twice the width cut the collisions enough to gain a point
     * of hit ratio, four times not much more.
     */
    static final int WORDS_PER_KEY = 2;
    private static final long[] SEEDS = {0xc3a5c85c97cb3127L, 0xb492b66fbe98f273L, 0x9ae16a3b2f90404fL, 0xcbf29ce484222325L};
    private static final long RESET_MASK = 0x7777777777777777L;

    private long[] table = new long[16];
    private int sampleSize = 160;
    private int additions;

    /** Grows the table (forgetting what it knew) so that it suits {@code keys} keys. */
    public void ensureCapacity(long keys) {
        long want = Math.min(MAX_WORDS, Math.max(16, Long.highestOneBit(Math.max(1, WORDS_PER_KEY * keys - 1)) << 1));
        if (want <= table.length) {
            return;
        }
        table = new long[(int) want];
        sampleSize = (int) Math.min(Integer.MAX_VALUE, 10L * want);
        additions = 0;
    }

    /** @return the number of counters' words (for tests and sizing) */
    public int words() {
        return table.length;
    }

    /** Records one access of the key whose table hash is {@code hash}. */
    public void increment(long hash) {
        long h = spread(hash);
        boolean added = false;
        int m = table.length - 1;
        for (int i = 0; i < 4; i++) {
            long x = (h + SEEDS[i]) * SEEDS[(i + 1) & 3];
            x ^= x >>> 29;
            int index = (int) (x >>> 32) & m;
            int shift = ((int) x & 15) << 2;
            long word = table[index];
            if (((word >>> shift) & 0xF) != 0xF) {
                table[index] = word + (1L << shift);
                added = true;
            }
        }
        if (added && ++additions >= sampleSize) {
            reset();
        }
    }

    /** @return the estimated recent accesses of the key whose table hash is {@code hash} (0..15) */
    public int frequency(long hash) {
        long h = spread(hash);
        int min = 15;
        int m = table.length - 1;
        for (int i = 0; i < 4; i++) {
            long x = (h + SEEDS[i]) * SEEDS[(i + 1) & 3];
            x ^= x >>> 29;
            int index = (int) (x >>> 32) & m;
            int shift = ((int) x & 15) << 2;
            min = Math.min(min, (int) ((table[index] >>> shift) & 0xF));
        }
        return min;
    }

    /** Halves every counter (the sketch's aging step). */
    public void reset() {
        long[] t = table;
        for (int i = 0; i < t.length; i++) {
            t[i] = (t[i] >>> 1) & RESET_MASK;
        }
        additions >>>= 1;
    }

    private static long spread(long hash) {
        long z = hash * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 31);
    }
}
