package io.redjar.internal.memory;

import io.redjar.internal.util.Sizes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A wrapped or negative size must stop at the allocator with a clear exception, before
 * {@code Unsafe.allocateMemory}/{@code reallocateMemory} or a size-class lookup on a truncated int.
 */
class SlabAllocatorSizeGuardTest {
    static final long[] BAD = {0, -1, -16, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Sizes.MAX_ALLOCATION + 1,
        Long.MIN_VALUE + 16}; // the last one truncates to 16 as an int

    @Test
    void rejectsOutOfRangeSizesAndStaysUsable() {
        try (SlabAllocator a = new SlabAllocator()) {
            long block = a.allocate(100);
            int ref = a.allocateRef(100);
            for (long bad : BAD) {
                assertThrows(IllegalArgumentException.class, () -> a.allocate(bad), "allocate " + bad);
                assertThrows(IllegalArgumentException.class, () -> a.allocateRef(bad), "allocateRef " + bad);
                assertThrows(IllegalArgumentException.class, () -> a.reallocate(block, 100, bad), "reallocate " + bad);
                assertThrows(IllegalArgumentException.class, () -> a.reallocateRef(ref, 100, bad), "reallocateRef " + bad);
            }
            NativeMemory.putLong(block, 42);
            long grown = a.reallocate(block, 100, 200_000);
            assertEquals(42, NativeMemory.getLong(grown));
            a.free(grown, 200_000);
            a.freeRef(ref, 100);
            assertEquals(0, a.usedBytes());
        }
    }
}
