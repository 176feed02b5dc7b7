package io.redjar.internal.util;

import java.util.Objects;

/**
 * The Redis Cluster hash slot of a key.
 *
 * <p><b>Mirrors</b> {@code keyHashSlot()} in Redis 7.0's {@code src/cluster.c}: the slot is
 * {@code crc16(k) & 16383} where {@code k} is
 * <ul>
 *   <li>the bytes strictly between the <em>first</em> <code>'&#123;'</code> of the key and the
 *       <em>first</em> <code>'&#125;'</code> that follows it, when both exist and that hash tag is
 *       not empty;</li>
 *   <li>the whole key otherwise (no <code>'&#123;'</code>, no <code>'&#125;'</code> after it, or an
 *       empty tag <code>"&#123;&#125;"</code>).</li>
 * </ul>
 * So <code>"foo&#123;&#123;bar&#125;&#125;zap"</code> hashes <code>"&#123;bar"</code>,
 * <code>"foo&#123;bar&#125;&#123;zap&#125;"</code> hashes {@code "bar"}, and
 * <code>"foo&#123;&#125;&#123;bar&#125;"</code> hashes the whole key.
 *
 * <p><b>Thread-safety:</b> stateless and allocation-free; safe from any thread.
 */
public final class HashSlot {
    /** Number of hash slots in a Redis Cluster ({@code CLUSTER_SLOTS}). */
    public static final int SLOTS = 16384;

    private HashSlot() {
    }

    /**
     * Computes the hash slot of a key.
     *
     * @param key the key bytes
     * @return the slot, in {@code 0..16383}
     */
    public static int of(byte[] key) {
        return of(key, 0, key.length);
    }

    /**
     * Computes the hash slot of a key stored in a slice of a byte array.
     *
     * @param key the array holding the key
     * @param off index of the key's first byte
     * @param len the key's length in bytes
     * @return the slot, in {@code 0..16383}
     * @throws IndexOutOfBoundsException if the slice is not inside {@code key}
     */
    public static int of(byte[] key, int off, int len) {
        Objects.checkFromIndexSize(off, len, key.length);
        int end = off + len;
        int s = off;
        while (s < end && key[s] != '{') {
            s++;
        }
        if (s == end) {
            return Crc16.crc16(key, off, len) & (SLOTS - 1);
        }
        int e = s + 1;
        while (e < end && key[e] != '}') {
            e++;
        }
        if (e == end || e == s + 1) {
            return Crc16.crc16(key, off, len) & (SLOTS - 1);
        }
        return Crc16.crc16(key, s + 1, e - s - 1) & (SLOTS - 1);
    }
}
