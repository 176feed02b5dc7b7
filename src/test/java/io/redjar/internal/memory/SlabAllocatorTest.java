package io.redjar.internal.memory;

import io.redjar.testing.NoMemoryViolations;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@NoMemoryViolations.ExpectsViolations
class SlabAllocatorTest {

    @Test
    void freedBlockIsReusedByTheNextRequestOfItsClass() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(40);
            long y = a.allocate(40);
            a.free(x, 40);
            assertEquals(x, a.allocate(33), "33 and 40 share the 40-byte class");
            a.free(x, 33);
            a.free(y, 40);
            // LIFO per class
            assertEquals(y, a.allocate(40));
            assertEquals(x, a.allocate(40));
        }
    }

    @Test
    void freedBlockIsNotHandedOutForAnotherClass() {
        try (SlabAllocator a = new SlabAllocator()) {
            long x = a.allocate(40);
            a.free(x, 40);
            long y = a.allocate(200);
            assertNotEquals(x, y);
        }
    }

    @Test
    void usedBytesIsTheSumOfBlockSizes() {
        try (SlabAllocator a = new SlabAllocator()) {
            assertEquals(0, a.usedBytes());
            long x = a.allocate(1);
            assertEquals(16, a.usedBytes());
            long y = a.allocate(513);
            assertEquals(16 + 640, a.usedBytes());
            a.free(x, 1);
            assertEquals(640, a.usedBytes());
            a.free(y, 513);
            assertEquals(0, a.usedBytes());
            assertEquals(SlabAllocator.PAGE_SIZE, a.reservedBytes(), "one page taken, kept until close");
        }
    }

    @Test
    void largeBlocksAreDedicatedAllocations() {
        try (SlabAllocator a = new SlabAllocator()) {
            long size = SizeClasses.MAX_SLAB_BLOCK + 1L;
            long x = a.allocate(size);
            assertEquals(size, a.usedBytes());
            assertEquals(size, a.reservedBytes(), "no page for a large block");
            fill(x, size, 7);
            check(x, size, 7);
            long y = a.allocate(3_000_000);
            assertEquals(size + 3_000_000, a.usedBytes());
            a.free(x, size);
            assertEquals(3_000_000, a.usedBytes());
            assertEquals(3_000_000, a.reservedBytes());
            a.free(y, 3_000_000);
            assertEquals(0, a.usedBytes());
            assertEquals(0, a.reservedBytes());
            // the checked mode (on in the test suite) catches it first, as a violation
            Class<? extends Throwable> expected = NativeMemory.CHECKED ? NativeMemoryViolation.class : IllegalStateException.class;
            assertThrows(expected, () -> a.free(y, 3_000_000), "double free of a large block");
        }
    }

    @Test
    void reallocateKeepsContents() {
        long[][] moves = {
            {40, 40}, {40, 33}, {40, 48}, {48, 400}, {400, 24}, {1000, 60_000},
            {60_000, SizeClasses.MAX_SLAB_BLOCK + 1L}, {SizeClasses.MAX_SLAB_BLOCK + 1L, 200_000},
            {200_000, 70_000}, {70_000, 100}, {SizeClasses.MAX_SLAB_BLOCK, SizeClasses.MAX_SLAB_BLOCK + 8L},
        };
        for (long[] m : moves) {
            try (SlabAllocator a = new SlabAllocator()) {
                long x = a.allocate(m[0]);
                fill(x, m[0], 3);
                long y = a.reallocate(x, m[0], m[1]);
                check(y, Math.min(m[0], m[1]), 3);
                if (SizeClasses.blockSize(m[0]) == SizeClasses.blockSize(m[1]) && m[0] <= SizeClasses.MAX_SLAB_BLOCK) {
                    assertEquals(x, y, "same class must not move: " + m[0] + " -> " + m[1]);
                }
                assertEquals(SizeClasses.blockSize(m[1]), a.usedBytes(), "accounting after " + m[0] + " -> " + m[1]);
                a.free(y, m[1]);
                assertEquals(0, a.usedBytes());
            }
        }
    }

    @Test
    void randomAllocateFreeReallocateKeepsExactAccountingAndNoOverlap() {
        Seeds.run("slab workload", SlabAllocatorTest::randomWorkload);
    }

    private static void randomWorkload(Random rnd) {
        try (SlabAllocator a = new SlabAllocator()) {
            Map<Long, long[]> live = new HashMap<>(); // address -> {size, tag}
            List<Long> addresses = new ArrayList<>();
            long expectUsed = 0;
            for (int op = 0; op < 20_000; op++) {
                int r = rnd.nextInt(100);
                if (r < 55 || addresses.isEmpty()) {
                    long size = randomSize(rnd);
                    long x = a.allocate(size);
                    assertTrue(x > 0);
                    assertTrue(live.put(x, new long[] {size, op & 0x7F}) == null, "address handed out twice: " + x);
                    addresses.add(x);
                    fill(x, size, op & 0x7F);
                    expectUsed += SizeClasses.blockSize(size);
                } else {
                    int i = rnd.nextInt(addresses.size());
                    long x = addresses.get(i);
                    long[] st = live.get(x);
                    check(x, st[0], (int) st[1]);
                    if (r < 85) {
                        addresses.set(i, addresses.get(addresses.size() - 1));
                        addresses.remove(addresses.size() - 1);
                        live.remove(x);
                        a.free(x, st[0]);
                        expectUsed -= SizeClasses.blockSize(st[0]);
                    } else {
                        long size = randomSize(rnd);
                        long y = a.reallocate(x, st[0], size);
                        check(y, Math.min(st[0], size), (int) st[1]);
                        live.remove(x);
                        assertTrue(live.put(y, new long[] {size, op & 0x7F}) == null, "reallocate returned a live block");
                        addresses.set(i, y);
                        fill(y, size, op & 0x7F);
                        expectUsed += SizeClasses.blockSize(size) - SizeClasses.blockSize(st[0]);
                    }
                }
                assertEquals(expectUsed, a.usedBytes(), "usedBytes after op " + op);
                assertTrue(a.reservedBytes() >= a.usedBytes());
            }
            for (long x : addresses) {
                long[] st = live.get(x);
                check(x, st[0], (int) st[1]);
                a.free(x, st[0]);
            }
            assertEquals(0, a.usedBytes());
        }
    }

    private static long randomSize(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 70) {
            return 1 + rnd.nextInt(512);
        }
        if (r < 97) {
            return 1 + rnd.nextInt(SizeClasses.MAX_SLAB_BLOCK);
        }
        return SizeClasses.MAX_SLAB_BLOCK + 1 + rnd.nextInt(200_000);
    }

    @Test
    void closeReturnsEverythingAndRefusesFurtherUse() {
        SlabAllocator a = new SlabAllocator();
        a.allocate(100);
        a.allocate(SizeClasses.MAX_SLAB_BLOCK * 2L);
        assertTrue(a.reservedBytes() > 0);
        a.close();
        assertEquals(0, a.usedBytes());
        assertEquals(0, a.reservedBytes());
        assertThrows(IllegalStateException.class, () -> a.allocate(8));
        a.close(); // idempotent
    }

    @Test
    void pageTailsAreRecycledWithoutOverlap() {
        try (SlabAllocator a = new SlabAllocator()) {
            List<Long> big = new ArrayList<>();
            // 60000-byte requests take the 65536 class: a page holds 16 of them exactly; use 40000 (40960 class) to leave tails
            for (int i = 0; i < 60; i++) {
                long x = a.allocate(40_000);
                fill(x, 40_000, i);
                big.add(x);
            }
            List<Long> small = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long x = a.allocate(24);
                fill(x, 24, 100 + (i & 7));
                small.add(x);
            }
            for (int i = 0; i < big.size(); i++) {
                check(big.get(i), 40_000, i);
            }
            for (int i = 0; i < small.size(); i++) {
                check(small.get(i), 24, 100 + (i & 7));
            }
            assertEquals(60L * SizeClasses.blockSize(40_000) + 2000L * 24, a.usedBytes());
        }
    }

    static void fill(long address, long len, int tag) {
        for (long i = 0; i < len; i++) {
            NativeMemory.putByte(address + i, (byte) (tag + i * 31));
        }
    }

    static void check(long address, long len, int tag) {
        for (long i = 0; i < len; i++) {
            byte want = (byte) (tag + i * 31);
            byte got = NativeMemory.getByte(address + i);
            if (got != want) {
                fail("block " + address + " byte " + i + " of " + len + ": want " + want + " got " + got);
            }
        }
    }
}
