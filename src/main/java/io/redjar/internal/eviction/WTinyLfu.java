package io.redjar.internal.eviction;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.eviction.access.AdmissionWindow;
import io.redjar.internal.eviction.access.FrequencySketch;
import io.redjar.internal.eviction.access.ShardAdmission;

import java.util.SplittableRandom;

/**
 * RedJar's admission-aware policies, {@code allkeys-wtinylfu} and {@code volatile-wtinylfu}: the
 * idea of Caffeine's W-TinyLFU (a small recency window in front of a main space guarded by a
 * frequency filter) adapted to a sampled, sharded keyspace with no object per key.
 *
 * <ul>
 *   <li><b>Frequency.</b> Each shard has a {@link FrequencySketch} that counts every access under
 *       the policy, hits and misses alike ({@link Keyspace}'s lookups record them), so a key that
 *       was evicted and is asked for again is known to be popular when it comes back, which Redis's
 *       per-object LFU counter (reset to 5 on every insert) cannot know.</li>
 *   <li><b>Window.</b> Each shard has an {@link AdmissionWindow} of its most recently inserted keys
 *       (about 1 %). They are the admission candidates.</li>
 *   <li><b>Eviction.</b> One eviction works in the next shard with keys (round-robin, under that
 *       shard's lock only; or a random shard if its window holds more candidates, so that no
 *       shard's window overflows while another's is empty): the candidate is the oldest live key of its window; the victim is the
 *       sampled key ({@link #VICTIM_SAMPLES_FACTOR} x {@code maxmemory-samples} per database, all
 *       keys or keys with a TTL) with the
 *       lowest sketch frequency, the larger idle time breaking ties. The one the sketch says is
 *       used less is evicted; on a tie, the idler. A candidate that wins leaves the window: it is
 *       admitted. A shard with no window entry evicts its victim; one with no sampled victim
 *       evicts its candidate.</li>
 * </ul>
 * So a burst of one-time keys (a scan) is evicted as it arrives instead of pushing out the hot
 * set, while a new key that is asked for repeatedly wins its place.
 *
 * <p><b>Thread-safety:</b> used under the evictor's lock; each shard's state under its own lock.
 */
final class WTinyLfu {
    /**
     * Victims are drawn from this many times {@code maxmemory-samples} keys per database: the duel
     * is only as good as the victim, and (measured on the Zipf traces) twice Redis's sample lifts
     * the hit ratio by about a point where more adds little.
     */
    static final int VICTIM_SAMPLES_FACTOR = 2;

    private final Keyspace ks;
    private int nextShard;
    private int[] samples = new int[5];

    WTinyLfu(Keyspace ks) {
        this.ks = ks;
    }

    /** Evicts one key. @return false when no shard has a candidate */
    boolean evictOne(boolean allKeys, int sampleCount, SplittableRandom random, boolean unlink, Evictor evictor) {
        int want = VICTIM_SAMPLES_FACTOR * sampleCount;
        if (samples.length != want) {
            samples = new int[want];
        }
        long now = ks.now();
        int mask = ks.shardCount() - 1;
        for (int tries = 0; tries < ks.shardCount(); tries++) {
            // the next shard round-robin, or a random one if its window holds more candidates
            // (two choices keep the windows' queues short: candidates arrive in random shards)
            Shard s = ks.shard(nextShard);
            nextShard = (nextShard + 1) & mask;
            if (tries == 0) {
                Shard other = ks.shard(random.nextInt(mask + 1));
                if (windowHint(other) > windowHint(s)) {
                    s = other;
                }
            }
            s.lock();
            try {
                if (evictIn(s, allKeys, random, unlink, now)) {
                    evictor.counted();
                    return true;
                }
            } finally {
                s.unlock();
            }
        }
        return false;
    }

    private boolean evictIn(Shard s, boolean allKeys, SplittableRandom random, boolean unlink, long now) {
        ShardAdmission a = s.admission();
        FrequencySketch sketch = a.sketch();
        AdmissionWindow w = a.window();
        // the candidate: the window's oldest key that still exists (and qualifies)
        int cDb = -1;
        int cSlot = -1;
        long cHash = 0;
        while (w.size() > 0) {
            byte[] key = w.oldestKey();
            int db = w.oldestDb();
            long h = Keyspace.hash(key);
            int slot = s.table(db).find(key, 0, key.length, h);
            if (slot >= 0 && (allKeys || EntryDescriptor.hasExpire(s.table(db).entry(slot)))) {
                cDb = db;
                cSlot = slot;
                cHash = h;
                break;
            }
            w.pollOldest(); // a ghost
        }
        // the victim: the least frequent sampled key, the idler on ties
        int vDb = -1;
        int vSlot = -1;
        int vFreq = Integer.MAX_VALUE;
        long vIdle = -1;
        for (int db = 0; db < ks.databases(); db++) {
            KeyTable t = s.table(db);
            int got = t.sample(random, !allKeys, samples);
            for (int j = 0; j < got; j++) {
                long e = t.entry(samples[j]);
                int f = sketch.frequency(hashOf(e));
                long idle = Evictor.idleMillis(EntryDescriptor.lru(e), now);
                if (f < vFreq || (f == vFreq && idle > vIdle)) {
                    vDb = db;
                    vSlot = samples[j];
                    vFreq = f;
                    vIdle = idle;
                }
            }
        }
        if (cSlot < 0 && vSlot < 0) {
            return false;
        }
        boolean evictCandidate;
        if (vSlot < 0) {
            evictCandidate = true;
        } else if (cSlot < 0 || (cDb == vDb && cSlot == vSlot)) {
            evictCandidate = cSlot >= 0;
        } else {
            int cFreq = sketch.frequency(cHash);
            if (cFreq != vFreq) {
                evictCandidate = cFreq < vFreq;
            } else {
                long cIdle = Evictor.idleMillis(EntryDescriptor.lru(s.table(cDb).entry(cSlot)), now);
                evictCandidate = cIdle >= vIdle;
            }
        }
        if (cSlot >= 0) {
            w.pollOldest(); // judged: evicted, or admitted to the main space
        }
        if (evictCandidate) {
            ks.evict(s, cDb, cSlot, unlink);
        } else {
            ks.evict(s, vDb, vSlot, unlink);
        }
        return true;
    }

    /** @return the shard's window size, read without its lock (a hint; 0 before its state exists) */
    private static int windowHint(Shard s) {
        ShardAdmission a = s.admissionIfAny();
        return a == null ? 0 : a.window().size();
    }

    private static long hashOf(long e) {
        return io.redjar.internal.memory.NativeMemory.hash(null, EntryDescriptor.keyAddress(e), EntryDescriptor.keyLength(e));
    }
}
