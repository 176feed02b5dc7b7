package io.redjar.internal.keyspace;

/**
 * Reclaims expired keys that nobody reads, in the spirit of Redis's {@code activeExpireCycle}:
 * each cycle sweeps every (database, shard) table a bounded number of slots at a time, and goes
 * round again while more than a quarter of the keys with a TTL it examined had expired, until the
 * cycle's time budget is spent. The next cycle resumes where this one stopped.
 *
 * <p>Each step holds one shard's lock for at most {@link #SLOTS_PER_STEP} slot visits, so commands
 * on that shard wait microseconds, not milliseconds.
 *
 * <p><b>Thread-safety:</b> thread-safe: {@link #runCycle} is synchronized, so the store's expiry
 * thread and callers of {@code Store.expireCycle()} take turns (the cycle's position is shared).
 */
public final class ActiveExpiry {
    /** Slots examined per table per step. */
    public static final int SLOTS_PER_STEP = 128;

    private final Keyspace ks;
    private int nextDb;
    private int nextShard;
    private long expiredTotal;

    public ActiveExpiry(Keyspace ks) {
        this.ks = ks;
    }

    /**
     * Runs one cycle.
     *
     * @param budgetNanos the most time to spend
     * @return keys expired in this cycle
     */
    public synchronized long runCycle(long budgetNanos) {
        long start = System.nanoTime();
        int tables = ks.databases() * ks.shardCount();
        long expired = 0;
        for (int visited = 0; visited < tables; visited++) {
            Shard s = ks.shard(nextShard);
            int db = nextDb;
            boolean again;
            do {
                long r;
                s.lock();
                try {
                    r = ks.sweep(s, db, SLOTS_PER_STEP, ks.now());
                } finally {
                    s.unlock();
                }
                int withTtl = (int) (r >>> 32);
                int gone = (int) r;
                expired += gone;
                again = withTtl > 0 && gone * 4 > withTtl && System.nanoTime() - start < budgetNanos;
            } while (again);
            if (++nextShard == ks.shardCount()) {
                nextShard = 0;
                if (++nextDb == ks.databases()) {
                    nextDb = 0;
                }
            }
            if (System.nanoTime() - start >= budgetNanos) {
                break;
            }
        }
        expiredTotal += expired;
        return expired;
    }

    /** @return keys expired by active expiry since the store opened */
    public synchronized long expiredTotal() {
        return expiredTotal;
    }
}
