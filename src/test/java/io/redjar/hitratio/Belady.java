package io.redjar.hitratio;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * The optimal hit ratio of a trace for a cache of {@code capacity} keys: Belady's MIN, which on a
 * miss evicts the resident key needed furthest in the future, or does not admit the new key when
 * that one is needed even later. No online policy can do better; the report prints it as the
 * ceiling each trace allows at the benchmark's cache size.
 *
 * <p>Design note: next-use indexes computed backwards in one pass, then a max-heap of
 * {@code (nextUse << 32 | key)} with lazy deletion (an entry is stale when its key's current next
 * use differs); {@code O(n log capacity)}.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class Belady {
    private Belady() {
    }

    /** @return hits among requests {@code warmup..} divided by their count */
    static double hitRatio(Trace trace, int capacity, int warmup) {
        int[] keys = trace.keys();
        int n = keys.length;
        int[] next = new int[n];
        int[] last = new int[trace.idBound()];
        Arrays.fill(last, Integer.MAX_VALUE);
        for (int i = n - 1; i >= 0; i--) {
            next[i] = last[keys[i]];
            last[keys[i]] = i;
        }
        int[] residentNext = new int[trace.idBound()];
        Arrays.fill(residentNext, -1);
        PriorityQueue<Long> heap = new PriorityQueue<>((a, b) -> Long.compare(b, a));
        int size = 0;
        long hits = 0;
        long lookups = 0;
        for (int i = 0; i < n; i++) {
            int k = keys[i];
            boolean hit = residentNext[k] >= 0;
            if (i >= warmup) {
                lookups++;
                if (hit) {
                    hits++;
                }
            }
            if (hit) {
                residentNext[k] = next[i];
                heap.add(((long) next[i] << 32) | k);
                continue;
            }
            if (size < capacity) {
                size++;
            } else {
                long top;
                while (true) {
                    top = heap.peek();
                    int key = (int) top;
                    if (residentNext[key] == (int) (top >>> 32)) {
                        break;
                    }
                    heap.poll();
                }
                if ((int) (top >>> 32) <= next[i]) {
                    continue; // the newcomer is needed no sooner than anything resident: not admitted
                }
                heap.poll();
                residentNext[(int) top] = -1;
            }
            residentNext[k] = next[i];
            heap.add(((long) next[i] << 32) | k);
        }
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
