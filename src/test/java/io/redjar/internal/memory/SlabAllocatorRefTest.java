package io.redjar.internal.memory;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ref API: blocks named by 32-bit refs, contents kept across reallocation, exact accounting. */
class SlabAllocatorRefTest {

    @Test
    void randomRefWorkloadKeepsContentsAndAccounting() {
        Seeds.run("slab ref workload", SlabAllocatorRefTest::workload);
    }

    private static void workload(Random rnd) {
        try (SlabAllocator a = new SlabAllocator()) {
            Map<Integer, long[]> live = new HashMap<>(); // ref -> {size, tag}
            List<Integer> refs = new ArrayList<>();
            long expect = 0;
            for (int op = 0; op < 20_000; op++) {
                int r = rnd.nextInt(100);
                if (r < 55 || refs.isEmpty()) {
                    long size = rnd.nextInt(20) == 0 ? 65_537 + rnd.nextInt(200_000) : 1 + rnd.nextInt(3000);
                    int ref = a.allocateRef(size);
                    assertTrue((ref >>> 17) != 0, "page 0 is never used");
                    assertNull(live.put(ref, new long[] {size, op & 0x7F}), "ref handed out twice");
                    refs.add(ref);
                    fill(a.address(ref), size, op & 0x7F);
                    expect += SizeClasses.blockSize(size);
                } else {
                    int i = rnd.nextInt(refs.size());
                    int ref = refs.get(i);
                    long[] st = live.remove(ref);
                    check(a.address(ref), st[0], (int) st[1]);
                    if (r < 80) {
                        a.freeRef(ref, st[0]);
                        expect -= SizeClasses.blockSize(st[0]);
                        refs.set(i, refs.get(refs.size() - 1));
                        refs.remove(refs.size() - 1);
                    } else {
                        long size = rnd.nextInt(10) == 0 ? 65_537 + rnd.nextInt(200_000) : 1 + rnd.nextInt(3000);
                        int moved = a.reallocateRef(ref, st[0], size);
                        check(a.address(moved), Math.min(size, st[0]), (int) st[1]);
                        if (st[0] > SizeClasses.MAX_SLAB_BLOCK && size > SizeClasses.MAX_SLAB_BLOCK) {
                            assertEquals(ref, moved, "a large block keeps its ref when it grows");
                        }
                        fill(a.address(moved), size, (int) st[1]);
                        expect += SizeClasses.blockSize(size) - SizeClasses.blockSize(st[0]);
                        assertNull(live.put(moved, new long[] {size, st[1]}));
                        refs.set(i, moved);
                    }
                }
                assertEquals(expect, a.usedBytes(), "used bytes after op " + op);
            }
            for (int ref : refs) {
                long[] st = live.get(ref);
                check(a.address(ref), st[0], (int) st[1]);
                a.freeRef(ref, st[0]);
            }
            assertEquals(0, a.usedBytes());
        }
    }

    private static void fill(long address, long size, int tag) {
        for (long i = 0; i < size; i += 97) {
            NativeMemory.putByte(address + i, (byte) (tag + i));
        }
    }

    private static void check(long address, long size, int tag) {
        for (long i = 0; i < size; i += 97) {
            assertEquals((byte) (tag + i), NativeMemory.getByte(address + i), "byte " + i);
        }
    }
}
