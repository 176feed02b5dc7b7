package io.redjar.internal.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassesTest {

    @Test
    void tableIsStrictlyIncreasingMultiplesOfEightFromMinToMax() {
        assertEquals(SizeClasses.MIN_BLOCK, SizeClasses.size(0));
        assertEquals(SizeClasses.MAX_SLAB_BLOCK, SizeClasses.size(SizeClasses.count() - 1));
        for (int c = 1; c < SizeClasses.count(); c++) {
            assertTrue(SizeClasses.size(c) > SizeClasses.size(c - 1), "class " + c + " not increasing");
            assertEquals(0, SizeClasses.size(c) % 8, "class " + c + " not 8-aligned");
        }
    }

    @Test
    void everySizeFitsTheSmallestClassThatHoldsIt() {
        int prev = 0;
        for (int b = 1; b <= SizeClasses.MAX_SLAB_BLOCK; b++) {
            int c = SizeClasses.classOf(b);
            assertTrue(c >= prev, "classOf not monotonic at " + b);
            prev = c;
            int size = SizeClasses.size(c);
            assertTrue(size >= b, "size " + b + " does not fit class " + c + " (" + size + ")");
            assertTrue(c == 0 || SizeClasses.size(c - 1) < b, "class " + c + " is not the smallest for " + b);
            assertEquals(size, SizeClasses.blockSize(b));
            assertEquals(bruteForceClass(b), c, "classOf(" + b + ")");
        }
    }

    @Test
    void slackIsBounded() {
        for (int b = 1; b <= SizeClasses.MAX_SLAB_BLOCK; b++) {
            int slack = SizeClasses.size(SizeClasses.classOf(b)) - b;
            if (b <= SizeClasses.MIN_BLOCK) {
                assertTrue(slack < SizeClasses.MIN_BLOCK, "slack at " + b);
            } else if (b <= 512) {
                assertTrue(slack < 8, "linear range slack at " + b + ": " + slack);
            } else {
                assertTrue(slack * 4L < b, "slack over 25% at " + b + ": " + slack);
            }
        }
    }

    @Test
    void largeRequestsAreTheirOwnSize() {
        for (long b : new long[] {SizeClasses.MAX_SLAB_BLOCK + 1L, 100_000, 1L << 20, 512L * 1024 * 1024 + 17}) {
            assertEquals(b, SizeClasses.blockSize(b));
        }
        assertEquals(SizeClasses.MAX_SLAB_BLOCK, SizeClasses.blockSize(SizeClasses.MAX_SLAB_BLOCK));
    }

    private static int bruteForceClass(int b) {
        for (int c = 0; c < SizeClasses.count(); c++) {
            if (SizeClasses.size(c) >= b) {
                return c;
            }
        }
        throw new AssertionError("no class for " + b);
    }
}
