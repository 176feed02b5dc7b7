package io.redjar.internal.command;

import java.util.Arrays;

/**
 * The keys found in one command call (Redis's {@code getKeysResult}): argument positions with the
 * {@link KeyFlag} mask of the spec (or procedure) that found each, in the order found.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a caller that extracts keys on a hot path can
 * keep one instance per thread.
 *
 * <p><b>Thread-safety:</b> not thread-safe; confine an instance to one thread.
 */
public final class KeyRefs {
    private int[] positions = new int[4];
    private int[] flags = new int[4];
    private int count;

    /** @return the number of keys */
    public int count() {
        return count;
    }

    /** @return the argument index of key {@code i} */
    public int position(int i) {
        if (i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        return positions[i];
    }

    /** @return the {@link KeyFlag} mask of key {@code i} */
    public int flags(int i) {
        if (i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        return flags[i];
    }

    /** @return the positions, a copy */
    public int[] positions() {
        return Arrays.copyOf(positions, count);
    }

    /** Forgets every key. */
    public void clear() {
        count = 0;
    }

    /** Appends a key at {@code position} with {@code flagMask}. */
    public void add(int position, int flagMask) {
        if (count == positions.length) {
            int n = Math.addExact(count, count);
            positions = Arrays.copyOf(positions, n);
            flags = Arrays.copyOf(flags, n);
        }
        positions[count] = position;
        flags[count] = flagMask;
        count++;
    }

    /** Overwrites key {@code i} (a later STORE replacing an earlier one, as in Redis's sortGetKeys). */
    void set(int i, int position, int flagMask) {
        if (i == count) {
            add(position, flagMask);
            return;
        }
        positions[i] = position;
        flags[i] = flagMask;
    }

    /** Keeps only the first {@code n} keys. */
    void truncate(int n) {
        count = Math.min(count, n);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(positions[i]).append(KeyFlag.of(flags[i]));
        }
        return sb.append(']').toString();
    }
}
