package io.redjar.internal.memory;

/**
 * The block sizes the {@link SlabAllocator} hands out: every multiple of 8 from 16 to 512 bytes,
 * then four classes per doubling (at most 25% slack) up to {@link #MAX_SLAB_BLOCK}. Larger blocks
 * are allocated one by one from the system.
 *
 * <p><b>Thread-safety:</b> immutable tables; thread-safe.
 */
public final class SizeClasses {
    /** The smallest block: it must hold the free-list link (8 bytes). */
    public static final int MIN_BLOCK = 16;
    /** The largest block carved from a slab page; anything larger is a dedicated allocation. */
    public static final int MAX_SLAB_BLOCK = 64 * 1024;
    private static final int LINEAR_LIMIT = 512;

    private static final int[] SIZES;

    static {
        int[] tmp = new int[256];
        int n = 0;
        for (int s = MIN_BLOCK; s <= LINEAR_LIMIT; s += 8) {
            tmp[n++] = s;
        }
        for (int base = LINEAR_LIMIT; base < MAX_SLAB_BLOCK; base <<= 1) {
            int step = base / 4;
            for (int k = 1; k <= 4; k++) {
                tmp[n++] = base + k * step;
            }
        }
        SIZES = java.util.Arrays.copyOf(tmp, n);
    }

    private SizeClasses() {
    }

    /** @return the number of classes. */
    public static int count() {
        return SIZES.length;
    }

    /** @return the block size of class {@code c}. */
    public static int size(int c) {
        return SIZES[c];
    }

    /**
     * @param bytes a request size, 1..{@link #MAX_SLAB_BLOCK}
     * @return the smallest class whose blocks hold {@code bytes}
     */
    public static int classOf(int bytes) {
        if (bytes <= LINEAR_LIMIT) {
            return bytes <= MIN_BLOCK ? 0 : ((bytes + 7) >>> 3) - (MIN_BLOCK >>> 3);
        }
        int lo = (LINEAR_LIMIT - MIN_BLOCK) / 8 + 1;
        int hi = SIZES.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SIZES[mid] >= bytes) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the number of bytes actually reserved for a request of {@code bytes}. */
    public static long blockSize(long bytes) {
        return bytes <= MAX_SLAB_BLOCK ? SIZES[classOf((int) bytes)] : bytes;
    }
}
