package io.redjar.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The workload every benchmark here shares, generated before anything is measured so that no
 * benchmark loop allocates or formats keys: keys {@code key:0 .. key:(n-1)}, 32-byte values, and a
 * fixed random sequence of key indexes.
 *
 * <p>Each implementation gets its natural key type: RedJar is a binary-safe store and takes
 * {@code byte[]} keys (what a RESP server or a binary client hands it); the Java maps take
 * {@code String} keys, whose hash code is cached inside the String after its first use.
 */
public final class Workload {
    /** Default number of keys. */
    public static final int KEYS = 1_000_000;
    /** Value length in bytes. */
    public static final int VALUE_LEN = 32;
    /** Length of the random index sequence (a power of two). */
    public static final int SEQ_LEN = 1 << 22;

    private Workload() {
    }

    /** @return {@code "key:" + i} */
    public static String key(int i) {
        return "key:" + i;
    }

    /** @return keys 0..n-1 as Strings */
    public static String[] stringKeys(int n) {
        String[] k = new String[n];
        for (int i = 0; i < n; i++) {
            k[i] = key(i);
        }
        return k;
    }

    /** @return keys 0..n-1 as UTF-8 byte arrays */
    public static byte[][] byteKeys(int n) {
        byte[][] k = new byte[n][];
        for (int i = 0; i < n; i++) {
            k[i] = key(i).getBytes(StandardCharsets.US_ASCII);
        }
        return k;
    }

    /** @return a 32-byte value of printable ASCII (never an integer, so Redis keeps it a string) */
    public static byte[] value(SplittableRandom rnd) {
        byte[] v = new byte[VALUE_LEN];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) ('a' + rnd.nextInt(26));
        }
        return v;
    }

    /** @return {@link #SEQ_LEN} uniformly random indexes in [0, n), fixed seed */
    public static int[] indexSequence(int n) {
        SplittableRandom rnd = new SplittableRandom(0x5EEDL);
        int[] seq = new int[SEQ_LEN];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = rnd.nextInt(n);
        }
        return seq;
    }
}
