package io.redjar.internal.eviction;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.eviction.access.EvictionPolicy;
import io.redjar.internal.eviction.access.Lfu;
import io.redjar.internal.server.ServerConfig;

import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Redis 7.0's {@code performEvictions} ({@code evict.c}) for a sharded, multi-threaded keyspace.
 *
 * <p><b>When.</b> The {@link OomGate} calls {@link #perform()} before every command while
 * {@code maxmemory} is set (Redis's {@code processCommand}). If the data set is within bounds
 * ({@link Keyspace#usedMemory()}, lock-free) that is all. Otherwise the calling thread takes the
 * one eviction lock (evicting threads serialise; a thread that waited re-checks the figure, so a
 * storm of writers does not evict N times what is needed) and evicts until the data set is back
 * under {@code maxmemory}, nothing is left to evict ({@link Result#FAIL}: the gate then refuses
 * {@code denyoom} commands with the OOM error), or the {@code maxmemory-eviction-tenacity} time
 * limit passes: then, as Redis's {@code evictionTimeProc}, the work continues on the background
 * {@link Executor} in further time-bounded rounds, and the command goes on ({@link Result#RUNNING}).
 * A thread that already holds shard locks (an atomic region) never evicts inline: taking another
 * shard's lock could deadlock; its call is treated as Redis treats an unsafe moment (a fake OK).
 *
 * <p><b>Choosing a key.</b> LRU, LFU and volatile-ttl use Redis's {@link EvictionPool}: each round
 * samples {@code maxmemory-samples} keys from every database of the next shard (round-robin, under
 * that shard's lock only; the volatile policies sample keys with a TTL through the tables' TTL
 * bit sets), merges them into the pool, and evicts the best candidate that still exists. The
 * random policies evict a random key of the next shard with candidates. The W-TinyLFU policies
 * are described in {@link WTinyLfu}. Each eviction is {@link Keyspace#evict}: DEL/UNLINK
 * propagated, the {@code evicted} event, WATCH and tracking told.
 *
 * <p><b>Metrics.</b> {@code evicted_keys}, and Redis's {@code total_eviction_exceeded_time} /
 * {@code current_eviction_exceeded_time}: the time spent over {@code maxmemory} with eviction
 * running or failing.
 *
 * <p><b>Thread-safety:</b> thread-safe. The pool, the round-robin cursors and the random source are
 * guarded by the eviction lock; counters are atomic.
 */
public final class Evictor implements io.redjar.internal.server.EvictionStats {
    /** What {@link #perform()} found. */
    public enum Result {
        /** Within bounds (or eviction is not possible right now and the call is let through). */
        OK,
        /** Over the limit; eviction continues in the background. */
        RUNNING,
        /** Over the limit and nothing (more) can be evicted. */
        FAIL
    }

    private final Keyspace ks;
    private final ServerConfig config;
    private final Executor background;
    private final ReentrantLock lock = new ReentrantLock();
    private final EvictionPool pool = new EvictionPool();
    private final WTinyLfu wtinylfu;
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicBoolean procRunning = new AtomicBoolean();
    private final AtomicLong evictedKeys = new AtomicLong();
    /** Guarded by {@code this}: when the data set last went over (nanoTime, 0: not over) and the total. */
    private long exceededSince;
    private long exceededTotalNanos;
    private volatile boolean exceeded;
    private EvictionPolicy poolPolicy;
    private int nextShard;
    private int[] samples = new int[5];

    /**
     * @param background where the continuation of a time-bounded eviction runs (Redis's time event)
     */
    public Evictor(Keyspace ks, ServerConfig config, Executor background) {
        this.ks = ks;
        this.config = config;
        this.background = background;
        this.wtinylfu = new WTinyLfu(ks);
    }

    @Override
    public long evictedKeys() {
        return evictedKeys.get();
    }

    @Override
    public synchronized void resetStats() {
        evictedKeys.set(0);
        exceededTotalNanos = 0;
        exceededSince = 0; // Redis's resetServerStats zeroes both
        exceeded = false;
    }

    @Override
    public synchronized long totalExceededMillis() {
        return (exceededTotalNanos + currentNanos()) / 1_000_000;
    }

    @Override
    public synchronized long currentExceededMillis() {
        return currentNanos() / 1_000_000;
    }

    private long currentNanos() {
        return exceededSince == 0 ? 0 : Math.max(1, System.nanoTime() - exceededSince);
    }

    /**
     * Redis's {@code performEvictions}: frees memory by the policy until the data set is within
     * {@code maxmemory}, the time limit passes, or nothing is left to evict.
     */
    public Result perform() {
        long max = config.maxmemory();
        if (max == 0 || ks.usedMemory() <= max) {
            if (exceeded) {
                metrics(Result.OK);
            }
            return Result.OK;
        }
        EvictionPolicy policy = config.maxmemoryPolicy();
        if (policy == EvictionPolicy.NOEVICTION) {
            metrics(Result.FAIL);
            return Result.FAIL;
        }
        if (ks.isClosed() || ks.anyLockHeldByCurrentThread()) {
            return Result.OK; // not safe to evict from here (Redis's isSafeToPerformEvictions)
        }
        Result r;
        lock.lock();
        try {
            r = evict(policy, max);
        } finally {
            lock.unlock();
        }
        metrics(r);
        return r;
    }

    /** Under the eviction lock. */
    private Result evict(EvictionPolicy policy, long max) {
        long limit = timeLimitNanos(config.evictionTenacity());
        long start = System.nanoTime();
        int freed = 0;
        boolean unlink = "yes".equals(config.get("lazyfree-lazy-eviction"));
        if (poolPolicy != policy) {
            pool.clear(); // scores of another policy mean nothing now
            poolPolicy = policy;
        }
        while (ks.usedMemory() > max) {
            boolean ok = switch (policy.score()) {
                case LRU, LFU, TTL -> evictFromPool(policy, unlink);
                case RANDOM -> evictRandom(policy, unlink);
                case WTINYLFU -> wtinylfu.evictOne(policy.allKeys(), config.maxmemorySamples(), random, unlink, this);
                case NONE -> false;
            };
            if (!ok) {
                return Result.FAIL;
            }
            if (++freed % 16 == 0 && System.nanoTime() - start > limit) {
                startTimeProc();
                break;
            }
        }
        return procRunning.get() ? Result.RUNNING : Result.OK;
    }

    /** Counts one eviction (the policies call it after {@link Keyspace#evict}). */
    void counted() {
        evictedKeys.incrementAndGet();
    }

    /** Redis's {@code evictionTimeLimitUs}, in nanoseconds. */
    static long timeLimitNanos(int tenacity) {
        if (tenacity <= 10) {
            return 50_000L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0)) * 1000L;
        }
        return Long.MAX_VALUE;
    }

    /**
     * Redis's {@code startEvictionTimeProc}: keeps evicting in the background, one time-bounded
     * round at a time, until the data set is within bounds or nothing is left to evict. Also
     * called when {@code maxmemory} is lowered (Redis's {@code updateMaxmemory}).
     */
    public void startTimeProc() {
        if (procRunning.compareAndSet(false, true)) {
            try {
                background.execute(this::timeProc);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                procRunning.set(false);
            }
        }
    }

    private void timeProc() {
        Result r;
        try {
            long max = config.maxmemory();
            EvictionPolicy policy = config.maxmemoryPolicy();
            if (max == 0 || ks.isClosed() || ks.usedMemory() <= max || policy == EvictionPolicy.NOEVICTION) {
                r = max == 0 || ks.isClosed() || ks.usedMemory() <= max ? Result.OK : Result.FAIL;
            } else {
                lock.lock();
                try {
                    r = evict(policy, max);
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            r = Result.FAIL; // a closed store, typically
        }
        if (r == Result.RUNNING) {
            try {
                background.execute(this::timeProc); // keep evicting
                return;
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the store is closing
            }
        }
        procRunning.set(false);
        metrics(r == Result.RUNNING ? Result.FAIL : r);
    }

    private void metrics(Result r) {
        if ((r == Result.OK) != exceeded) {
            return; // no change of state: one volatile read (refused writes under noeviction come here often)
        }
        updateMetrics(r);
    }

    private synchronized void updateMetrics(Result r) {
        if (r == Result.OK) {
            if (exceededSince != 0) {
                exceededTotalNanos += Math.max(1, System.nanoTime() - exceededSince);
                exceededSince = 0;
                exceeded = false;
            }
        } else if (exceededSince == 0) {
            exceededSince = System.nanoTime();
            exceeded = true;
        }
    }

    // ---- pool policies ---------------------------------------------------------------------

    private int nextShard() {
        int i = nextShard;
        nextShard = (i + 1) & (ks.shardCount() - 1);
        return i;
    }

    private boolean evictFromPool(EvictionPolicy policy, boolean unlink) {
        while (true) {
            if (!populate(policy)) {
                // no candidates in any shard; the pool may still hold live ones from before
                if (pool.best() < 0) {
                    return false;
                }
            }
            int k;
            while ((k = pool.best()) >= 0) {
                byte[] key = pool.key(k);
                int db = pool.db(k);
                Shard s = ks.shard(pool.shard(k));
                pool.remove(k);
                s.lock();
                try {
                    KeyTable t = s.table(db);
                    int slot = t.find(key, 0, key.length, Keyspace.hash(key));
                    if (slot >= 0 && (policy.allKeys() || EntryDescriptor.hasExpire(t.entry(slot)))) {
                        ks.evict(s, db, slot, unlink);
                        counted();
                        return true;
                    }
                } finally {
                    s.unlock();
                }
                // a ghost: try the next best
            }
        }
    }

    /**
     * Samples the next shard that has candidates (trying each shard at most once) into the pool.
     *
     * @return whether any shard had candidates
     */
    private boolean populate(EvictionPolicy policy) {
        int n = config.maxmemorySamples();
        if (samples.length != n) {
            samples = new int[n];
        }
        long now = ks.now();
        int lfuDecay = (int) config.longValue("lfu-decay-time");
        for (int tries = 0; tries < ks.shardCount(); tries++) {
            Shard s = ks.shard(nextShard());
            boolean any = false;
            s.lock();
            try {
                for (int db = 0; db < ks.databases(); db++) {
                    KeyTable t = s.table(db);
                    int got = t.sample(random, !policy.allKeys(), samples);
                    for (int j = 0; j < got; j++) {
                        long e = t.entry(samples[j]);
                        long score = switch (policy.score()) {
                            case LRU -> idleMillis(EntryDescriptor.lru(e), now);
                            case LFU -> 255 - Lfu.decrAndReturn(EntryDescriptor.lru(e), now, lfuDecay);
                            default -> Long.MAX_VALUE - EntryDescriptor.expireAt(e);
                        };
                        pool.offer(score, s.index(), db, () -> EntryDescriptor.key(e));
                    }
                    any |= got > 0;
                }
            } finally {
                s.unlock();
            }
            if (any) {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code estimateObjectIdleTime}: ms since the 24-bit LRU clock {@code lru}. */
    static long idleMillis(int lru, long now) {
        int clock = Keyspace.lruClock(now);
        return clock >= lru ? (clock - lru) * 1000L : (clock + (long) (EntryDescriptor.LRU_MAX - lru)) * 1000L;
    }

    // ---- random policies -------------------------------------------------------------------

    private int nextDb;

    private boolean evictRandom(EvictionPolicy policy, boolean unlink) {
        int[] one = new int[1];
        for (int tries = 0; tries < ks.shardCount(); tries++) {
            Shard s = ks.shard(nextShard());
            s.lock();
            try {
                for (int i = 0; i < ks.databases(); i++) {
                    int db = nextDb = (nextDb + 1) % ks.databases();
                    KeyTable t = s.table(db);
                    if (t.sample(random, !policy.allKeys(), one) == 1) {
                        ks.evict(s, db, one[0], unlink);
                        counted();
                        return true;
                    }
                }
            } finally {
                s.unlock();
            }
        }
        return false;
    }
}
