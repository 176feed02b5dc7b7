package io.redjar.hitratio;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Belady} against a hand-worked case and an exhaustive search over tiny random traces. */
class BeladyTest {
    @Test
    void handWorkedCase() {
        // capacity 2, 1 2 3 1 2 3: 3 is needed last, so it is not admitted; 1 and 2 then hit
        Trace t = new Trace("t", new int[] {1, 2, 3, 1, 2, 3}, 3, "");
        assertEquals(2 / 6.0, Belady.hitRatio(t, 2, 0), 1e-12);
        assertEquals(2 / 3.0, Belady.hitRatio(t, 2, 3), 1e-12);
        assertEquals(0.5, Belady.hitRatio(t, 3, 0), 1e-12);
    }

    @Test
    void equalsExhaustiveOptimum() {
        Seeds.run("BeladyTest.exhaustive", random -> {
            for (int round = 0; round < 300; round++) {
                int keys = 2 + random.nextInt(4);
                int[] trace = new int[1 + random.nextInt(14)];
                for (int i = 0; i < trace.length; i++) {
                    trace[i] = random.nextInt(keys);
                }
                int capacity = 1 + random.nextInt(keys);
                Trace t = new Trace("t", trace, keys, "");
                int best = best(trace, capacity, 0, 0, new HashMap<>());
                assertEquals(best / (double) trace.length, Belady.hitRatio(t, capacity, 0), 1e-12,
                    java.util.Arrays.toString(trace) + " capacity " + capacity);
            }
        });
    }

    /** The most hits from request {@code i} on with {@code resident} (a bit set) cached. */
    private static int best(int[] trace, int capacity, int i, int resident, Map<Long, Integer> memo) {
        if (i == trace.length) {
            return 0;
        }
        long key = ((long) i << 32) | resident;
        Integer known = memo.get(key);
        if (known != null) {
            return known;
        }
        int bit = 1 << trace[i];
        int result;
        if ((resident & bit) != 0) {
            result = 1 + best(trace, capacity, i + 1, resident, memo);
        } else {
            result = best(trace, capacity, i + 1, resident, memo); // not admitted
            if (Integer.bitCount(resident) < capacity) {
                result = Math.max(result, best(trace, capacity, i + 1, resident | bit, memo));
            } else {
                for (int r = resident; r != 0; r &= r - 1) {
                    int victim = Integer.lowestOneBit(r);
                    result = Math.max(result, best(trace, capacity, i + 1, (resident & ~victim) | bit, memo));
                }
            }
        }
        memo.put(key, result);
        return result;
    }
}
