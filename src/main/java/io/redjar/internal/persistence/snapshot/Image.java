package io.redjar.internal.persistence.snapshot;

import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One point-in-time image of the keyspace, made by {@link Snapshotter#begin}: the encoded shards,
 * read in order with {@link #shard(int)}.
 *
 * <p><b>Thread-safety:</b> {@link #shard}, {@link #close} and {@link #stats} are for the one
 * consumer thread; captures run on whichever thread locks a shard first (see
 * {@link Snapshotter}); the slots are an atomic array, so a capture on one thread is seen by the
 * consumer.
 */
public final class Image implements AutoCloseable {
    private static final Object CONSUMED = new Object();

    /**
     * What the image cost: how many shards writers (not the consumer) captured, the longest such
     * capture (the longest pause a writer saw), and the most encoded bytes held at once.
     */
    public record Stats(int capturedByOthers, long longestOtherCaptureNanos, long peakBufferedBytes) {
    }

    private final Keyspace keyspace;
    private final Snapshotter.ShardEncoder encoder;
    private final Runnable onClose;
    private final AtomicReferenceArray<Object> slots;
    private volatile boolean closed;
    private volatile Thread consumer;
    long cutOffset;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong peakBuffered = new AtomicLong();
    private final AtomicLong longestOther = new AtomicLong();
    private final AtomicLong capturedByOthers = new AtomicLong();

    Image(Keyspace keyspace, Snapshotter.ShardEncoder encoder, Runnable onClose) {
        this.keyspace = keyspace;
        this.encoder = encoder;
        this.onClose = onClose;
        this.slots = new AtomicReferenceArray<>(keyspace.shardCount());
    }

    /** Runs under {@code s}'s lock, on whichever thread took it first after the cut. */
    void capture(Shard s) {
        if (closed) {
            return;
        }
        long start = System.nanoTime();
        Object result;
        try {
            result = encoder.encode(s);
        } catch (Throwable t) { // never into the unrelated thread that took the lock
            result = t;
        }
        slots.set(s.index(), result);
        if (result instanceof byte[] b) {
            long now = buffered.addAndGet(b.length);
            peakBuffered.accumulateAndGet(now, Math::max);
        }
        if (Thread.currentThread() != consumer) {
            capturedByOthers.incrementAndGet();
            longestOther.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
    }

    /** @return the number of shards */
    public int shards() {
        return slots.length();
    }

    /** @return the propagation offset at the cut: every effect up to it is in the image, none after */
    public long cutOffset() {
        return cutOffset;
    }

    /**
     * Returns shard {@code i}'s image, encoding it now if nobody has; each shard once.
     *
     * @throws IllegalStateException if the shard was read already, the image is closed, or its
     *                               encoding failed (the cause attached)
     */
    public byte[] shard(int i) {
        if (closed) {
            throw new IllegalStateException("image closed");
        }
        consumer = Thread.currentThread();
        Object o = slots.get(i);
        if (o == null) {
            // the capture runs under the lock: once we have held it, shard i is captured,
            // by us or by whoever held it before us
            Shard s = keyspace.shard(i);
            s.lock();
            s.unlock();
            o = slots.get(i);
        }
        if (o == CONSUMED || o == null) {
            throw new IllegalStateException("shard " + i + " already read");
        }
        slots.set(i, CONSUMED);
        if (o instanceof Throwable t) {
            throw new IllegalStateException("encoding shard " + i + " failed: " + t, t);
        }
        byte[] b = (byte[]) o;
        buffered.addAndGet(-b.length);
        return b;
    }

    /** @return what the image cost so far */
    public Stats stats() {
        return new Stats((int) capturedByOthers.get(), longestOther.get(), peakBuffered.get());
    }

    /** Ends the image (done or abandoned): pending captures become no-ops, the snapshotter is free. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, CONSUMED);
        }
        onClose.run();
    }
}
