package io.redjar.internal.keyspace;

import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.propagation.PropagationBus;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One shard of the keyspace: a lock, the native memory of every entry whose key hashes here, and
 * one {@link KeyTable} per database.
 *
 * <p>Keys map to shards by Redis Cluster's hash slot (CRC16 of the key or of its {@code {tag}},
 * modulo 16384) masked to the shard count, so keys that share a hash tag share a shard and can be
 * updated together under one lock.
 *
 * <p>Take and release the lock through {@link #lock()}/{@link #unlock()} (or the keyspace's
 * helpers), not through {@link #lock} directly: they tell the {@link PropagationBus} so that a
 * thread's write effects are sequenced before it releases its last shard lock and delivered right
 * after, outside every lock.
 *
 * <p><b>Thread-safety:</b> every field is guarded by {@link #lock}, which is reentrant so that a
 * transaction holding several shards can call single-key operations.
 */
public final class Shard {
    /** Guards everything in this shard. */
    public final ReentrantLock lock = new ReentrantLock();
    final SlabAllocator allocator = new SlabAllocator();
    final KeyTable[] tables;
    final int index;
    private final PropagationBus bus;
    /** Set (under the lock) when the store closes; its memory is gone after that. */
    boolean closed;
    /**
     * A point-in-time capture armed at a snapshot's cut and not yet run: the first thread to take
     * this lock afterwards runs it before doing anything else (see {@link ShardCapture}).
     * Guarded by {@link #lock}.
     */
    private ShardCapture capture;

    Shard(int index, int databases, ValueStructures[] structures, PropagationBus bus) {
        this.index = index;
        this.bus = bus;
        this.tables = new KeyTable[databases];
        for (int i = 0; i < databases; i++) {
            tables[i] = new KeyTable(allocator, structures);
        }
    }

    /** @return the table of database {@code db}; caller holds the lock. */
    public KeyTable table(int db) {
        return tables[db];
    }

    /** @return this shard's allocator; caller holds the lock. */
    public SlabAllocator allocator() {
        return allocator;
    }

    /** W-TinyLFU state, created on first use; guarded by {@link #lock}. */
    private volatile io.redjar.internal.eviction.access.ShardAdmission admission;

    /** @return this shard's W-TinyLFU state if it exists; safe without the lock (for hints) */
    public io.redjar.internal.eviction.access.ShardAdmission admissionIfAny() {
        return admission;
    }

    /** @return this shard's W-TinyLFU state (created on first use); caller holds the lock */
    public io.redjar.internal.eviction.access.ShardAdmission admission() {
        io.redjar.internal.eviction.access.ShardAdmission a = admission;
        if (a == null) {
            a = new io.redjar.internal.eviction.access.ShardAdmission();
            a.sketch().ensureCapacity(keyCount());
            admission = a;
        }
        return a;
    }

    /** @return the keys in every database of this shard; caller holds the lock */
    public long keyCount() {
        long n = 0;
        for (KeyTable t : tables) {
            n += t.size();
        }
        return n;
    }

    /** @return this shard's position. */
    public int index() {
        return index;
    }

    /**
     * Acquires the lock.
     *
     * @throws IllegalStateException if the store has been closed (the lock is not held then)
     */
    public void lock() {
        lockUntracked();
        bus.acquired(1);
    }

    /** Acquires the lock without telling the bus. @throws IllegalStateException if the store is closed */
    void lockUntracked() {
        AtomicRegion.checkShard(this);
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("the store is closed");
        }
        ShardCapture c = capture;
        if (c != null) {
            capture = null;
            c.capture(this);
        }
    }

    /**
     * Arms a capture: the next thread to take this lock runs {@code c} first (under the lock).
     * The caller holds the lock.
     */
    public void armCapture(ShardCapture c) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("armCapture without the shard lock");
        }
        this.capture = c;
    }

    /**
     * Releases the lock; if it was the calling thread's last shard lock, its write effects are
     * sequenced just before and delivered just after.
     */
    public void unlock() {
        long token = bus.releasing(1);
        lock.unlock();
        bus.released(token);
    }

    /** @return whether the calling thread holds this shard's lock */
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }
}
