package io.redjar.internal.eviction;

import io.redjar.internal.eviction.access.AdmissionWindow;
import io.redjar.internal.eviction.access.FrequencySketch;
import io.redjar.internal.eviction.access.Lfu;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eviction building blocks on their own: Redis's LFU arithmetic, the pool's order, the sketch. */
class EvictionPartsTest {

    @Test
    void lfuArithmeticIsRedis() {
        long t = 1_700_000_000_000L;
        int bits = Lfu.initial(t);
        assertEquals(Lfu.INIT_VAL, bits & 0xFF);
        assertEquals(Lfu.minutes(t), bits >>> 8);
        // below LFU_INIT_VAL the increment is certain; above it, p = 1 / ((c - 5) * factor + 1)
        assertEquals(6, Lfu.logIncr(5, 10, 0.999));
        assertEquals(11, Lfu.logIncr(10, 10, 1.0 / 51 - 1e-9));
        assertEquals(10, Lfu.logIncr(10, 10, 1.0 / 51 + 1e-9));
        assertEquals(255, Lfu.logIncr(255, 0, 0));
        // decay: one per lfu-decay-time minutes, floored at 0; decay time 0 never decays
        int twenty = (Lfu.minutes(t) << 8) | 20;
        assertEquals(17, Lfu.decrAndReturn(twenty, t + 3 * 60_000, 1));
        assertEquals(19, Lfu.decrAndReturn(twenty, t + 3 * 60_000, 2));
        assertEquals(20, Lfu.decrAndReturn(twenty, t + 3 * 60_000, 0));
        assertEquals(0, Lfu.decrAndReturn(twenty, t + 300 * 60_000, 1));
        // the 16-bit minutes wrap exactly once: LFUTimeElapsed
        int ldtHigh = (65530 << 8) | 20;
        long atMinute2 = (65536L * 60 + 2 * 60) * 1000; // minutes() == 2
        assertEquals(2, Lfu.minutes(atMinute2));
        assertEquals(20 - (65535 - 65530 + 2), Lfu.decrAndReturn(ldtHigh, atMinute2, 1));
    }

    @Test
    void poolKeepsTheSixteenBestInOrder() {
        Seeds.run("poolKeepsTheSixteenBestInOrder", r -> {
            EvictionPool p = new EvictionPool();
            long[] scores = new long[200];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = r.nextInt(1_000_000);
                byte[] key = ("k" + i).getBytes();
                p.offer(scores[i], 0, 0, () -> key);
            }
            java.util.Arrays.sort(scores);
            for (int n = 0; n < EvictionPool.SIZE; n++) {
                int k = p.best();
                assertEquals(scores[scores.length - 1 - n], p.score(k));
                p.remove(k);
            }
            assertEquals(-1, p.best());
        });
    }

    @Test
    void sketchCountsAndAges() {
        Seeds.run("sketchCountsAndAges", r -> {
            FrequencySketch s = new FrequencySketch();
            s.ensureCapacity(1000);
            long hot = r.nextLong();
            for (int i = 0; i < 10; i++) {
                s.increment(hot);
            }
            assertTrue(s.frequency(hot) >= 10);
            int overestimated = 0;
            for (int i = 0; i < 1000; i++) {
                long k = r.nextLong();
                s.increment(k);
                if (s.frequency(k) > 1) {
                    overestimated++;
                }
            }
            assertTrue(overestimated < 100, "count-min collisions: " + overestimated + " of 1000");
            // aging: after 10 x capacity increments every counter has been halved at least once
            for (int i = 0; i < 10 * s.words(); i++) {
                s.increment(r.nextLong());
            }
            assertTrue(s.frequency(hot) <= 7, "not aged: " + s.frequency(hot));
            assertTrue(s.frequency(hot) >= 3);
        });
    }

    @Test
    void windowIsABoundedFifo() {
        AdmissionWindow w = new AdmissionWindow();
        for (int i = 0; i < 40; i++) {
            w.add(i % 3, ("k" + i).getBytes(), 20);
        }
        assertEquals(20, w.size());
        assertEquals("k20", new String(w.oldestKey()));
        assertEquals(20 % 3, w.oldestDb());
        for (int i = 0; i < 20; i++) {
            w.pollOldest();
        }
        assertNull(w.oldestKey());
    }

    @Test
    void tenacityTimeLimitsAreRedis() {
        assertEquals(0, Evictor.timeLimitNanos(0));
        assertEquals(500_000, Evictor.timeLimitNanos(10));
        assertEquals((long) (500.0 * Math.pow(1.15, 40)) * 1000, Evictor.timeLimitNanos(50));
        assertEquals(Long.MAX_VALUE, Evictor.timeLimitNanos(100));
    }
}
