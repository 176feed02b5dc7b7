package io.redjar.internal.memory;

import io.redjar.internal.structure.ByteStrings;
import io.redjar.testing.NoMemoryViolations;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bounds-checked mode of {@link NativeMemory}: out-of-bounds accesses (against the requested
 * size, not the size class), use after free, double free, frees of memory never allocated, the
 * poisoning of freed blocks, in-place resizes moving the bound, and the allocator's live-block
 * accounting. The mode is read once per JVM, so these tests need the surefire property
 * {@code -Dredjar.memory.checked=true} (set in pom.xml) and fail, not skip, without it.
 */
@NoMemoryViolations.ExpectsViolations
class CheckedMemoryTest {
    private static final int POISON_INT = 0xDBDBDBDB;

    @BeforeAll
    static void requireCheckedMode() {
        assertTrue(NativeMemory.CHECKED, "these tests need -Dredjar.memory.checked=true (the surefire argLine sets it)");
    }

    /** Asserts that {@code e} throws a violation whose message contains every fragment, and that it was counted. */
    private static NativeMemoryViolation violation(Executable e, String... fragments) {
        long before = MemoryGuard.violations();
        NativeMemoryViolation v = assertThrows(NativeMemoryViolation.class, e);
        for (String f : fragments) {
            assertTrue(v.getMessage().contains(f), "message lacks '" + f + "': " + v.getMessage());
        }
        assertTrue(MemoryGuard.violations() > before, "the violation was not counted");
        assertNotNull(MemoryGuard.firstViolation());
        return v;
    }

    // ---- out of bounds -----------------------------------------------------------------------

    @Test
    void writeOneBytePastTheRequestedSizeIsCaughtThoughTheClassHasRoom() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(20); // a 24-byte block
            assertEquals(24, SizeClasses.blockSize(20));
            NativeMemory.putByte(x + 19, (byte) 1);
            NativeMemory.putInt(x + 16, 7);
            violation(() -> NativeMemory.putByte(x + 20, (byte) 1), "putByte", "overruns live block", "requested 20 bytes");
            violation(() -> NativeMemory.putInt(x + 17, 7), "putInt", "overruns");
            violation(() -> NativeMemory.putLong(x + 16, 7L), "putLong", "overruns");
            violation(() -> NativeMemory.putByte(x - 1, (byte) 1), "putByte");
        }
    }

    @Test
    void readPastTheRequestedSizeIsCaught() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(20);
            NativeMemory.fill(x, 20, (byte) 3);
            assertEquals(0x03030303, NativeMemory.getInt(x + 16));
            violation(() -> NativeMemory.getByte(x + 20), "getByte", "overruns");
            violation(() -> NativeMemory.getLong(x + 16), "getLong", "overruns");
            violation(() -> NativeMemory.toArray(x, 21), "toArray", "overruns");
            violation(() -> NativeMemory.equals(x, new byte[21], 0, 21), "equals", "overruns");
            violation(() -> NativeMemory.hash(null, x + 1, 20), "hash", "overruns");
            violation(() -> ByteStrings.compare(x, 21, new byte[21], 0, 21), "compare", "overruns");
            assertEquals(NativeMemory.hash(NativeMemory.toArray(x, 20), 0, 20), NativeMemory.hash(null, x, 20));
        }
    }

    @Test
    void copyWhoseDestinationOrSourceOverrunsIsCaught() {
        try (SlabAllocator a = new SlabAllocator()) {
            long src = a.allocate(40);
            long dst = a.allocate(10);
            NativeMemory.fill(src, 40, (byte) 9);
            NativeMemory.copy(src, dst, 10);
            violation(() -> NativeMemory.copy(src, dst, 11), "copy destination", "overruns", "requested 10 bytes");
            violation(() -> NativeMemory.copy(dst, src, 11), "copy source", "overruns");
            violation(() -> NativeMemory.copyFromArray(new byte[11], 0, dst, 11), "copyFromArray destination", "overruns");
            violation(() -> NativeMemory.copyToArray(dst, new byte[11], 0, 11), "copyToArray source", "overruns");
            violation(() -> NativeMemory.fill(dst, 11, (byte) 0), "fill", "overruns");
            // and the heap side of a copy
            violation(() -> NativeMemory.copyFromArray(new byte[4], 1, dst, 4), "copyFromArray source", "outside byte[4]");
            violation(() -> NativeMemory.copyToArray(src, new byte[4], 2, 3), "copyToArray destination", "outside byte[4]");
            assertEquals(9, NativeMemory.getByte(dst + 9));
        }
    }

    @Test
    void largeBlocksAreBoundedByTheirRequestedSize() {
        try (SlabAllocator a = new SlabAllocator()) {
            long size = SizeClasses.MAX_SLAB_BLOCK + 3L;
            long x = a.allocate(size);
            NativeMemory.putByte(x + size - 1, (byte) 1);
            violation(() -> NativeMemory.putByte(x + size, (byte) 1), "putByte");
            int ref = a.allocateRef(size);
            long y = a.address(ref);
            NativeMemory.putByte(y + size - 1, (byte) 1);
            violation(() -> NativeMemory.getInt(y + size - 3), "getInt", "overruns");
        }
    }

    @Test
    void rawAllocationsAreBoundedToo() {
        long p = NativeMemory.allocate(12);
        try {
            NativeMemory.putLong(p + 4, 1L);
            violation(() -> NativeMemory.putLong(p + 5, 1L), "putLong", "overruns");
        } finally {
            NativeMemory.free(p);
        }
        violation(() -> NativeMemory.getByte(p), "getByte");
        violation(() -> NativeMemory.free(p), "free", "double free");
    }

    @Test
    void addressesOutsideEveryBlockAreCaught() {
        violation(() -> NativeMemory.getByte(8), "getByte", "no live block");
        violation(() -> NativeMemory.putLong(Long.MAX_VALUE - 64, 0L), "putLong", "no live block");
        violation(() -> NativeMemory.getInt(0), "getInt", "no live block");
    }

    // ---- use after free ----------------------------------------------------------------------

    @Test
    void readAndWriteAfterFreeAreCaught() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(32);
            long keep = a.allocate(32); // the page stays in use
            NativeMemory.putLong(x, 42L);
            a.free(x, 32);
            violation(() -> NativeMemory.getLong(x), "getLong", "no live block", "freed");
            violation(() -> NativeMemory.putByte(x + 3, (byte) 1), "putByte", "no live block");
            violation(() -> NativeMemory.toArray(x + 8, 4), "toArray", "no live block");
            int ref = a.allocateRef(100);
            a.freeRef(ref, 100);
            violation(() -> NativeMemory.getInt(a.address(ref)), "getInt", "no live block");
            NativeMemory.putLong(keep, 1L);
        }
    }

    @Test
    void largeBlockUseAfterFreeIsCaught() {
        try (SlabAllocator a = new SlabAllocator()) {
            long size = 200_000;
            long x = a.allocate(size);
            a.free(x, size);
            violation(() -> NativeMemory.getByte(x + 10), "getByte", "no live block");
        }
    }

    @Test
    void freedBlocksArePoisonedButForTheLink() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(64);
            NativeMemory.fill(x, 64, (byte) 0x11);
            a.free(x, 64);
            // the allocator's own view of the freed block
            for (int off = 0; off < 64; off += 4) {
                if (off != 8) {
                    assertEquals(POISON_INT, NativeMemory.rawGetInt(x + off), "offset " + off + " not poisoned");
                }
            }
            // what a caller sees in the next block of that class (LIFO reuse): garbage, not old data
            long y = a.allocate(60);
            assertEquals(x, y, "the freed block is reused first");
            byte[] seen = NativeMemory.toArray(y, 60);
            int poisoned = 0;
            for (byte b : seen) {
                assertNotEquals((byte) 0x11, b, "stale contents survived the free");
                poisoned += b == MemoryGuard.POISON ? 1 : 0;
            }
            assertTrue(poisoned >= 56, "only " + poisoned + " poisoned bytes");
        }
    }

    // ---- frees -------------------------------------------------------------------------------

    @Test
    void doubleFreeIsCaughtAndLeavesTheAccountingAlone() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(32);
            long y = a.allocate(32);
            a.free(x, 32);
            long used = a.usedBytes();
            violation(() -> a.free(x, 32), "free", "double free");
            assertEquals(used, a.usedBytes());
            a.verifyAccounting();
            // the free list is intact: the next two blocks of the class are x, then fresh memory
            assertEquals(x, a.allocate(32));
            assertNotEquals(x, a.allocate(32));
            int ref = a.allocateRef(16);
            a.freeRef(ref, 16);
            violation(() -> a.freeRef(ref, 16), "freeRef", "double free");
            a.free(y, 32);
        }
    }

    @Test
    void freeWithAnotherSizeThanAllocatedIsCaught() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(20);
            violation(() -> a.free(x, 24), "free", "allocated with 20 bytes"); // same class, wrong size
            violation(() -> a.free(x, 100), "free", "allocated with 20 bytes");
            violation(() -> a.reallocate(x, 21, 30), "reallocate", "allocated with 20 bytes");
            long big = a.allocate(100_000);
            violation(() -> a.free(big, 100_001), "free", "allocated with 100000 bytes");
            a.free(x, 20);
            a.free(big, 100_000);
            assertEquals(0, a.usedBytes());
        }
    }

    @Test
    void freeOfNeverAllocatedMemoryIsCaught() {
        try (SlabAllocator a = new SlabAllocator(); SlabAllocator other = new SlabAllocator()) {
            long x = a.allocate(48);
            violation(() -> a.free(x + 8, 16), "free", "never allocated", "inside live block");
            violation(() -> a.free(x + 48, 16), "free", "never allocated");
            violation(() -> a.free(0x1000, 16), "free", "never allocated", "no live block");
            violation(() -> a.free(0x1000, 500_000), "free", "never allocated");
            long theirs = other.allocate(48);
            violation(() -> a.free(theirs, 48), "free", "never allocated here");
            NativeMemory.putLong(theirs, 1L); // still live
            a.free(x, 48);
            other.free(theirs, 48);
        }
    }

    @Test
    void violationsAreRecordedEvenWhenSwallowed() {
        long before = MemoryGuard.violations();
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(16);
            try {
                NativeMemory.putLong(x + 16, 1L);
                fail("not caught");
            } catch (Throwable swallowed) {
                // a catch-all that would hide the error
            }
        }
        assertEquals(before + 1, MemoryGuard.violations(), "a swallowed violation still counts");
        assertNotNull(MemoryGuard.firstViolation(), "the first violation is kept");
    }

    @Test
    void closingTheAllocatorEndsEveryBlock() {
        SlabAllocator a = new SlabAllocator();
        long x = a.allocate(30);
        long big = a.allocate(70_000);
        a.close();
        violation(() -> NativeMemory.getByte(x), "getByte", "no live block");
        violation(() -> NativeMemory.getByte(big), "getByte", "no live block");
    }

    // ---- resizes -----------------------------------------------------------------------------

    @Test
    void inPlaceResizeMovesTheBound() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(17); // class 24
            violation(() -> NativeMemory.putByte(x + 20, (byte) 0), "putByte", "requested 17 bytes");
            assertEquals(x, a.reallocate(x, 17, 24), "same class: in place");
            NativeMemory.putByte(x + 23, (byte) 1);
            violation(() -> NativeMemory.putLong(x + 17, 0L), "putLong", "requested 24 bytes");
            violation(() -> NativeMemory.putByte(x + 24, (byte) 0), "putByte", "no live block"); // past the class too
            assertEquals(x, a.reallocate(x, 24, 18));
            NativeMemory.putByte(x + 17, (byte) 1);
            violation(() -> NativeMemory.putByte(x + 18, (byte) 0), "putByte", "requested 18 bytes");
            violation(() -> a.free(x, 24), "free", "allocated with 18 bytes");
            a.free(x, 18);

            int ref = a.allocateRef(100); // class 104
            assertEquals(ref, a.reallocateRef(ref, 100, 97));
            long r = a.address(ref);
            violation(() -> NativeMemory.getByte(r + 97), "getByte", "requested 97 bytes");
            assertEquals(ref, a.reallocateRef(ref, 97, 104));
            NativeMemory.getByte(r + 103);
            a.freeRef(ref, 104);
            a.verifyAccounting();
        }
    }

    @Test
    void movingResizesRegisterTheNewBlockAndEndTheOld() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(40);
            NativeMemory.fill(x, 40, (byte) 5);
            long y = a.reallocate(x, 40, 400);
            assertNotEquals(x, y);
            assertEquals(5, NativeMemory.getByte(y + 39));
            NativeMemory.putByte(y + 399, (byte) 1);
            violation(() -> NativeMemory.getByte(x), "getByte", "no live block");
            long big = a.reallocate(y, 400, 80_000);
            NativeMemory.putByte(big + 79_999, (byte) 1);
            long bigger = a.reallocate(big, 80_000, 90_000);
            NativeMemory.putByte(bigger + 89_999, (byte) 1);
            violation(() -> NativeMemory.putByte(bigger + 90_000, (byte) 1), "putByte");
            int ref = a.allocateRef(70_000);
            assertEquals(ref, a.reallocateRef(ref, 70_000, 75_000));
            NativeMemory.putByte(a.address(ref) + 74_999, (byte) 1);
            a.verifyAccounting();
            a.free(bigger, 90_000);
            a.freeRef(ref, 75_000);
            assertEquals(0, a.usedBytes());
            a.verifyAccounting();
        }
    }

    // ---- accounting --------------------------------------------------------------------------

    @Test
    void liveBlockBytesMatchesUsedBytesAcrossRandomSequences() {
        long seed = Seeds.seed();
        System.out.println("CheckedMemoryTest seed: " + seed + " (rerun with -Dredjar.seed=" + seed + ")");
        Random rnd = new Random(seed);
        try (SlabAllocator a = new SlabAllocator()) {
            Map<Long, Long> model = new HashMap<>(); // address -> requested size
            Map<Long, Boolean> byRef = new HashMap<>();
            Map<Long, Integer> refs = new HashMap<>();
            List<Long> addresses = new ArrayList<>();
            for (int step = 0; step < 20_000; step++) {
                int op = rnd.nextInt(10);
                if (op < 4 || addresses.isEmpty()) {
                    long size = randomSize(rnd);
                    boolean ref = rnd.nextBoolean();
                    long x;
                    if (ref) {
                        int r = a.allocateRef(size);
                        x = a.address(r);
                        refs.put(x, r);
                    } else {
                        x = a.allocate(size);
                    }
                    stamp(x, size);
                    assertEquals(null, model.put(x, size), "handed out a live block again, seed " + seed);
                    byRef.put(x, ref);
                    addresses.add(x);
                } else if (op < 7) {
                    int i = rnd.nextInt(addresses.size());
                    long x = addresses.get(i);
                    long size = model.get(x);
                    long newSize = rnd.nextInt(3) == 0 ? Math.max(1, size + rnd.nextInt(17) - 8) : randomSize(rnd);
                    long y;
                    if (byRef.get(x)) {
                        int r = a.reallocateRef(refs.remove(x), size, newSize);
                        y = a.address(r);
                        refs.put(y, r);
                    } else {
                        y = a.reallocate(x, size, newSize);
                    }
                    verifyStamp(y, Math.min(size, newSize), x, seed);
                    stamp(y, newSize);
                    model.remove(x);
                    model.put(y, newSize);
                    byRef.put(y, byRef.remove(x));
                    addresses.set(i, y);
                } else {
                    int i = rnd.nextInt(addresses.size());
                    long x = addresses.get(i);
                    long size = model.remove(x);
                    verifyStamp(x, size, x, seed);
                    if (byRef.remove(x)) {
                        a.freeRef(refs.remove(x), size);
                    } else {
                        a.free(x, size);
                    }
                    addresses.set(i, addresses.get(addresses.size() - 1));
                    addresses.remove(addresses.size() - 1);
                }
                assertEquals(a.usedBytes(), a.liveBlockBytes(), "step " + step + ", seed " + seed);
                if (step % 500 == 0) {
                    checkLiveBlocks(a, model, seed);
                }
            }
            checkLiveBlocks(a, model, seed);
            long expected = 0;
            for (long size : model.values()) {
                expected += SizeClasses.blockSize(size);
            }
            assertEquals(expected, a.usedBytes(), "seed " + seed);
            a.verifyAccounting();
        }
    }

    private static void checkLiveBlocks(SlabAllocator a, Map<Long, Long> model, long seed) {
        Map<Long, Long> seen = new HashMap<>();
        a.forEachLiveBlock((address, size) -> assertEquals(null, seen.put(address, size)));
        assertEquals(model, seen, "seed " + seed);
        assertEquals(model.size(), a.liveBlockCount());
        a.verifyAccounting();
    }

    /** Mostly small sizes, some up to the largest slab block, a few large. */
    private static long randomSize(Random rnd) {
        int kind = rnd.nextInt(100);
        if (kind < 70) {
            return 1 + rnd.nextInt(600);
        } else if (kind < 97) {
            return 1 + rnd.nextInt(SizeClasses.MAX_SLAB_BLOCK);
        }
        return SizeClasses.MAX_SLAB_BLOCK + 1 + rnd.nextInt(100_000);
    }

    /** Fills a block with bytes derived from its address, so overlapping blocks would show. */
    private static void stamp(long x, long size) {
        byte b = (byte) (x >>> 3);
        NativeMemory.fill(x, size, b);
    }

    private static void verifyStamp(long x, long len, long stampedAt, long seed) {
        byte b = (byte) (stampedAt >>> 3);
        byte[] want = new byte[(int) len];
        java.util.Arrays.fill(want, b);
        assertArrayEquals(want, NativeMemory.toArray(x, (int) len), "block contents damaged, seed " + seed);
    }
}
