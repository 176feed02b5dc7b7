package io.redjar.internal.propagation;

import io.redjar.internal.util.Preconditions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's single, ordered stream of write effects, fanned out to any number of
 * {@link EffectConsumer}s (append-only file, replicas, tests).
 *
 * <p><b>Design.</b> Writers call {@link #append} while they hold the shard locks of the keys they
 * changed. The effects are buffered per thread and <em>published</em> (sequenced and queued) when
 * the thread is about to release its last shard lock, still under that lock: a global sequencer
 * gives each effect the next offset (1, 2, 3, ...) and the whole buffer becomes one
 * {@link EffectBatch} with contiguous offsets. Because a key's effects are sequenced under the
 * key's lock, per-key offset order is execution order; because a command's effects are sequenced
 * together, a command that propagates several effects (SPOP with a count, a lazily expired key
 * plus the command's own write) delivers them as one unit, as Redis wraps them in MULTI/EXEC.
 * {@link #beginBatch()}/{@link #endBatch()} (nestable, per thread) widen a batch over several
 * commands for MULTI/EXEC and scripts; the caller must hold the locks of every key the batch
 * touches until it ends (or the batch may be sequenced after a later write to the same key).
 *
 * <p><b>Delivery</b> happens outside every shard lock: right after releasing its last lock, the
 * writer makes sure its own batch has been delivered before its call returns (what Redis gives
 * by writing the AOF before replying). One thread at a time delivers ({@code deliverLock}): it
 * takes everything queued so far and hands each batch, in offset order, to each consumer in turn;
 * a writer that finds its offset already delivered returns at once, one that finds another thread
 * delivering waits for the end of a round (back-pressure instead of an unbounded queue), then
 * returns if the round carried its batch or else delivers the next round itself. A consumer's exception is
 * logged and does not reach the writer or the other consumers. {@link #drain()} (engine close, or a
 * periodic sweep) delivers anything published but not yet delivered.
 *
 * <p><b>Deferred delivery.</b> A network front end may not wait for a slow round (the append-only
 * file's sync under {@code appendfsync always}) on its event loop: around such a call it sets
 * {@link #deferDelivery}, the thread's batches are then sequenced as usual but left to the bus's
 * delivery thread, and the front end sends the call's reply when {@link #whenDurable} of the
 * offset from {@link #takeDeferred()} completes (right after the round that carried it ended, with
 * that round's failure if any). Only while a consumer's {@link EffectConsumer#slowRounds()} says
 * so; otherwise (and for every other thread) the writer delivers as above. While the delivery
 * thread syncs one round, the batches of every connection accumulate for the next: group commit.
 *
 * <p><b>Rounds and failures.</b> A delivery round (everything queued when it began) ends with each
 * consumer's {@link EffectConsumer#endOfRound()} before {@code delivered} moves past it, so a
 * consumer can write and sync the round at once (the append-only file's group commit: writers
 * that queued while a sync ran share the next one). A consumer that could not make a round
 * durable says why; the bus records the round's offset range with the reason, and each writer
 * whose batch fell in it finds the reason with {@link #takeFailure()} after its call (the call
 * path answers the error instead of the call's reply). Recording costs nothing until a failure
 * happens (one volatile read per call afterwards).
 *
 * <p><b>Tracking locks.</b> To know when a thread releases its <em>last</em> shard lock, the
 * shards report every acquisition ({@link #acquired}) and release ({@link #releasing} then
 * {@link #released}) and the bus counts holds per thread, but only while a consumer is registered.
 * The "active" flag changes only while {@link #addConsumer}/{@link #removeConsumer} hold every
 * shard lock ({@link Quiescence}), so it is constant throughout any stretch in which a thread holds
 * a shard lock and the count is always balanced. With no consumer, each hook costs one volatile
 * read and effects are dropped unsequenced (offsets count effects sequenced while a consumer was
 * registered).
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #append}, {@link #acquired}, {@link #releasing}
 * and {@link #released} are called by any writer thread (the first three under its shard locks);
 * offsets are assigned under {@code appendLock}; consumers are called under {@code deliverLock},
 * one at a time; consumers are added and removed under {@code membership} with the world stopped.
 * {@link #whenDurable} futures complete on the thread that ended the round (the delivery thread or
 * a delivering writer), under {@code deliverLock}: their dependents must only hand off.
 */
public final class PropagationBus {
    /** How the bus stops the world to add or remove consumers: every shard lock, untracked. */
    public interface Quiescence {
        /** Takes every shard lock in order. @throws IllegalStateException once the store is closed */
        void lockAll();

        /** Releases what {@link #lockAll()} took. */
        void unlockAll();

        /** @return whether the calling thread holds any shard lock */
        boolean heldByCurrentThread();
    }

    /** A consumer and the last offset it must not see (it was registered after that one). */
    private record Subscription(EffectConsumer consumer, long after) {
    }

    /** One thread's writing state. Touched only by its thread. */
    private static final class Writer {
        int holds;
        int batchDepth;
        int pending;
        int[] dbs = new int[2];
        byte[][][] argvs = new byte[2][][];
        /** Offset of the last effect this thread published. */
        long last;
        /** Effects of this thread are dropped (loading a file: what is replayed is not propagated). */
        boolean suppressed;
        /** Why this thread's last delivered batch is not durable (null: it is, or nobody asked). */
        String failure;
        /** This thread publishes without delivering (a network call: see {@link #deferDelivery}). */
        boolean deferring;
        /** Highest offset this thread published while deferring and has not taken yet (0: none). */
        long deferred;

        void add(int db, byte[][] argv) {
            if (pending == dbs.length) {
                dbs = Arrays.copyOf(dbs, pending * 2);
                argvs = Arrays.copyOf(argvs, pending * 2);
            }
            dbs[pending] = db;
            argvs[pending++] = argv;
        }

        void clear() {
            Arrays.fill(argvs, 0, pending, null);
            pending = 0;
        }
    }

    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];
    private static final System.Logger LOG = System.getLogger("io.redjar");

    private final Quiescence world;
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
    private final Object membership = new Object();
    /** Whether any consumer is registered; changes only with the world stopped. */
    private volatile boolean active;
    private volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;

    private final Object appendLock = new Object();
    /** Last offset assigned; guarded by appendLock. */
    private long sequence;
    /** Published, undelivered batches in offset order; guarded by appendLock. */
    private ArrayList<EffectBatch> queue = new ArrayList<>();
    private volatile long published;

    /** A round a consumer could not make durable: offsets {@code from..to} and why. */
    private record Failure(long from, long to, String reason) {
    }

    /** The most recent failed rounds (newest last); copy-on-write under {@code deliverLock}. */
    private volatile Failure[] failures = new Failure[0];
    private static final int FAILURES_KEPT = 64;

    private final ReentrantLock deliverLock = new ReentrantLock();
    /** A network call's reply waiting for {@code offset} to be delivered. */
    private record DurableWaiter(long offset, CompletableFuture<String> future) {
    }

    /** Waiters of {@link #whenDurable}, lowest offset first; guarded by itself. */
    private final PriorityQueue<DurableWaiter> durableWaiters =
        new PriorityQueue<>(Comparator.comparingLong(DurableWaiter::offset));
    /** Whether {@link #durableWaiters} may be non-empty (a cheap check after each round). */
    private volatile boolean waiting;
    /** Delivers deferring writers' batches; started on the first deferred batch. */
    private volatile Thread deliverer;
    /** Guards starting {@link #deliverer} and stopping it. */
    private final Object delivererLock = new Object();
    /** Set by {@link #shutdown()}: nothing is deferred any more. */
    private volatile boolean stopped;
    /** Where writers wait for a round to end (see {@link #awaitDelivery}). */
    private final ReentrantLock roundLock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition roundEnded = roundLock.newCondition();
    private volatile long delivered;
    /** Guarded by deliverLock: an empty list to swap with {@link #queue}. */
    private ArrayList<EffectBatch> spare = new ArrayList<>();
    /** Guarded by deliverLock: what a consumer's own writes need delivered before the deliverer stops. */
    private long reentrantTarget;

    /** @param world how to stop every writer (the keyspace's shard locks) */
    public PropagationBus(Quiescence world) {
        this.world = Preconditions.notNull(world, "world");
    }

    // ---- consumers -----------------------------------------------------------------------------

    /**
     * Registers a consumer. It sees exactly the batches sequenced after this call stopped the
     * world: the keyspace at that moment is the state every effect up to the returned offset
     * produced (what a replica's initial snapshot would pair with). Call with no shard lock held.
     *
     * @return the offset of the last effect the consumer will not see (0 if none was sequenced)
     * @throws IllegalStateException if the calling thread holds a shard lock, or the store is closed
     */
    public long addConsumer(EffectConsumer consumer) {
        Preconditions.notNull(consumer, "consumer");
        synchronized (membership) {
            stopTheWorld();
            try {
                long cut;
                synchronized (appendLock) {
                    cut = sequence;
                }
                Subscription[] s = Arrays.copyOf(subscriptions, subscriptions.length + 1);
                s[s.length - 1] = new Subscription(consumer, cut);
                subscriptions = s;
                active = true;
                return cut;
            } finally {
                world.unlockAll();
            }
        }
    }

    /**
     * Unregisters a consumer (the first registration of that instance). Once this returns, the
     * consumer is not called again (unless called from within a consumer, which may still be the
     * current delivery). Call with no shard lock held.
     *
     * @return whether it was registered
     * @throws IllegalStateException if the calling thread holds a shard lock, or the store is closed
     */
    public boolean removeConsumer(EffectConsumer consumer) {
        synchronized (membership) {
            Subscription[] s = subscriptions;
            int at = -1;
            for (int i = 0; i < s.length; i++) {
                if (s[i].consumer() == consumer) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return false;
            }
            stopTheWorld();
            try {
                Subscription[] n = new Subscription[s.length - 1];
                System.arraycopy(s, 0, n, 0, at);
                System.arraycopy(s, at + 1, n, at, n.length - at);
                subscriptions = n;
                active = n.length > 0;
            } finally {
                world.unlockAll();
            }
        }
        if (!deliverLock.isHeldByCurrentThread()) {
            deliverLock.lock(); // wait out a delivery that may still be calling it
            deliverLock.unlock();
        }
        return true;
    }

    private void stopTheWorld() {
        if (world.heldByCurrentThread()) {
            throw new IllegalStateException("consumers are added and removed with no shard lock held");
        }
        world.lockAll();
    }

    /** @return how many consumers are registered */
    public int consumers() {
        return subscriptions.length;
    }

    // ---- writers -------------------------------------------------------------------------------

    /**
     * Appends a write's effect. Caller holds the shard locks of the keys involved (the effect is
     * then sequenced when the caller releases its last one); with no lock held it is sequenced and
     * delivered at once. Costs one volatile read when no consumer is registered.
     *
     * @param argv the command and its arguments; must not be modified afterwards
     */
    public void append(int db, byte[][] argv) {
        if (!active) {
            return;
        }
        Writer w = writers.get();
        if (w.suppressed) {
            return;
        }
        w.add(db, argv);
        if (w.holds == 0 && w.batchDepth == 0) {
            publish(w);
            if (!defer(w)) {
                deliverUpTo(w.last);
                noteFailure(w);
            }
        }
    }

    /**
     * Drops (or stops dropping) the calling thread's effects: what a start-up load replays is
     * the data set being restored, not new writes (Redis does not propagate while loading).
     */
    public void suppress(boolean on) {
        writers.get().suppressed = on;
    }

    /**
     * Opens (or nests) a batch on the calling thread: every effect it appends until the matching
     * {@link #endBatch()} is delivered as one {@link EffectBatch}. Hold the locks of every key the
     * batch touches until it ends.
     */
    public void beginBatch() {
        writers.get().batchDepth++;
    }

    /**
     * Closes the innermost batch; closing the outermost one sequences the batch (now if no shard
     * lock is held, and delivers it; else when the last one is released).
     *
     * @throws IllegalStateException without a matching {@link #beginBatch()}
     */
    public void endBatch() {
        Writer w = writers.get();
        if (w.batchDepth == 0) {
            throw new IllegalStateException("endBatch without beginBatch");
        }
        if (--w.batchDepth == 0 && w.pending > 0 && w.holds == 0) {
            publish(w);
            if (!defer(w)) {
                deliverUpTo(w.last);
                noteFailure(w);
            }
        }
    }

    /** @return the calling thread's batch nesting depth (0 outside a batch) */
    public int batchDepth() {
        return writers.get().batchDepth;
    }

    /** The calling thread has just acquired {@code n} shard locks (it holds them now). */
    public void acquired(int n) {
        if (active) {
            writers.get().holds += n;
        }
    }

    /**
     * The calling thread is about to release {@code n} shard locks (it still holds them). If they
     * are its last, its buffered effects are sequenced now, under them.
     *
     * @return what to pass to {@link #released} once the locks are released
     */
    public long releasing(int n) {
        if (!active) {
            return 0;
        }
        Writer w = writers.get();
        int h = w.holds - n;
        if (h > 0) {
            w.holds = h;
            return 0;
        }
        w.holds = 0;
        if (w.pending == 0 || w.batchDepth > 0) {
            return 0;
        }
        publish(w);
        return w.last;
    }

    /**
     * The locks of {@link #releasing} are released: delivers this thread's batch unless another
     * thread already has. Call with no shard lock held.
     */
    public void released(long token) {
        if (token != 0) {
            if (defer(writers.get())) {
                return;
            }
            deliverUpTo(token);
            if (failures.length != 0) {
                noteFailure(writers.get());
            }
        }
    }

    private void noteFailure(Writer w) {
        Failure[] f = failures;
        for (int i = f.length - 1; i >= 0; i--) {
            if (w.last >= f[i].from() && w.last <= f[i].to()) {
                w.failure = f[i].reason();
                return;
            }
        }
    }

    /**
     * @return why the calling thread's last delivered batch could not be made durable (a
     *         consumer's {@link EffectConsumer#endOfRound()} failed on its round), or null; clears it
     */
    public String takeFailure() {
        if (failures.length == 0) {
            return null;
        }
        Writer w = writers.get();
        String f = w.failure;
        w.failure = null;
        return f;
    }

    /** @return whether any delivery round ever failed (then callers check {@link #takeFailure()}) */
    public boolean anyFailure() {
        return failures.length != 0;
    }

    private void publish(Writer w) {
        int n = w.pending;
        Effect[] effects = new Effect[n];
        long last;
        synchronized (appendLock) {
            long first = sequence + 1;
            for (int i = 0; i < n; i++) {
                effects[i] = new Effect(first + i, w.dbs[i], w.argvs[i]);
            }
            last = first + n - 1;
            sequence = last;
            queue.add(new EffectBatch(effects));
            published = last;
        }
        w.last = last;
        w.clear();
    }

    // ---- deferred durability (network calls) ---------------------------------------------------

    /**
     * Makes the calling thread publish its batches without delivering them (or stops it): a
     * network front end sets it around a call so its event loop does not wait for the round
     * (write and sync) that makes the call durable; it takes the offset with
     * {@link #takeDeferred()} and sends the reply once {@link #whenDurable} completes. Only while
     * a consumer asks for it ({@link EffectConsumer#slowRounds()}); otherwise the thread delivers
     * as usual.
     */
    public void deferDelivery(boolean on) {
        writers.get().deferring = on;
    }

    /**
     * @return the offset the calling thread's deferred batches end at (0: it published none since
     *         the last call), cleared; the call's reply must wait for {@link #whenDurable} of it
     */
    public long takeDeferred() {
        Writer w = writers.get();
        long d = w.deferred;
        w.deferred = 0;
        return d;
    }

    /**
     * @return a future completed, once the effects up to {@code offset} are delivered (and so made
     *         durable by every consumer's {@link EffectConsumer#endOfRound()}), with null, or with
     *         why the round that carried {@code offset} could not be made durable. It completes on
     *         the thread that ended the round (or this one), which must not be blocked on: hop to
     *         your own executor.
     */
    public CompletableFuture<String> whenDurable(long offset) {
        CompletableFuture<String> f = new CompletableFuture<>();
        if (delivered >= offset) {
            f.complete(failureOf(offset));
            return f;
        }
        synchronized (durableWaiters) {
            durableWaiters.add(new DurableWaiter(offset, f));
            waiting = true;
        }
        if (delivered >= offset) {
            fireDurable();
        } else {
            wakeDeliverer();
        }
        return f;
    }

    /** Publishes of a deferring thread: @return whether {@code w}'s batch is left to the delivery thread */
    private boolean defer(Writer w) {
        if (!w.deferring || stopped || !slowRounds()) {
            return false;
        }
        w.deferred = w.last;
        wakeDeliverer();
        return true;
    }

    private boolean slowRounds() {
        for (Subscription s : subscriptions) {
            if (s.consumer().slowRounds()) {
                return true;
            }
        }
        return false;
    }

    private void wakeDeliverer() {
        Thread t = deliverer;
        if (t == null) {
            synchronized (delivererLock) {
                t = deliverer;
                if (t == null) {
                    if (stopped) {
                        drain(); // closed meanwhile: deliver here
                        return;
                    }
                    t = new Thread(this::deliverLoop, "redjar-propagation");
                    t.setDaemon(true);
                    deliverer = t;
                    t.start();
                }
            }
        }
        LockSupport.unpark(t);
    }

    /** The delivery thread: delivers what deferring writers published, round after round. */
    private void deliverLoop() {
        while (!stopped) {
            try {
                long target = published;
                if (delivered < target) {
                    deliverUpTo(target);
                } else {
                    LockSupport.park(this);
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "propagation delivery failed", e);
            }
        }
    }

    /** Completes the waiters of {@link #whenDurable} whose offset is delivered. */
    private void fireDurable() {
        if (!waiting) {
            return;
        }
        long d = delivered;
        ArrayList<DurableWaiter> ready = null;
        synchronized (durableWaiters) {
            while (!durableWaiters.isEmpty() && durableWaiters.peek().offset() <= d) {
                if (ready == null) {
                    ready = new ArrayList<>();
                }
                ready.add(durableWaiters.poll());
            }
            waiting = !durableWaiters.isEmpty();
        }
        if (ready != null) {
            for (DurableWaiter w : ready) {
                try {
                    w.future().complete(failureOf(w.offset()));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "durability callback failed", e);
                }
            }
        }
    }

    private String failureOf(long offset) {
        Failure[] f = failures;
        for (int i = f.length - 1; i >= 0; i--) {
            if (offset >= f[i].from() && offset <= f[i].to()) {
                return f[i].reason();
            }
        }
        return null;
    }

    /**
     * Stops the delivery thread and delivers what is left (engine close); deferring threads
     * deliver their own batches afterwards. Call with no shard lock held.
     */
    public void shutdown() {
        Thread t;
        synchronized (delivererLock) {
            stopped = true;
            t = deliverer;
        }
        if (t != null) {
            LockSupport.unpark(t);
            if (t != Thread.currentThread()) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        drain();
        fireDurable();
    }

    // ---- delivery ------------------------------------------------------------------------------

    /** Delivers everything sequenced so far (engine close; a periodic safety sweep). Call with no shard lock held. */
    public void drain() {
        deliverUpTo(published);
    }

    /** @return the offset of the last effect sequenced (0 before the first) */
    public long publishedOffset() {
        return published;
    }

    /** @return the offset of the last effect handed to the consumers */
    public long deliveredOffset() {
        return delivered;
    }

    private void deliverUpTo(long target) {
        if (delivered >= target) {
            return;
        }
        if (deliverLock.isHeldByCurrentThread()) {
            // a consumer wrote to the store: the delivery loop below, further up this stack, delivers it
            reentrantTarget = Math.max(reentrantTarget, target);
            return;
        }
        while (delivered < target) {
            if (deliverLock.tryLock()) {
                try {
                    while (delivered < Math.max(target, reentrantTarget) && drainOnce()) {
                        // each round delivers everything queued when it started
                        signalDelivered();
                        fireDurable();
                    }
                } finally {
                    deliverLock.unlock();
                    signalDelivered(); // after the unlock: a waiter that saw it locked is awaiting by now
                }
                return;
            }
            awaitDelivery(target);
        }
    }

    /**
     * Waits until {@code target} is delivered or no thread is delivering. Waiters park on a
     * condition that each round signals instead of queueing on {@code deliverLock}: when a round
     * ends, every writer whose batch it carried returns at once (no convoy of lock hand-offs), and
     * the batches queued meanwhile go into the next round together (group commit).
     */
    private void awaitDelivery(long target) {
        roundLock.lock();
        try {
            while (delivered < target && deliverLock.isLocked()) {
                roundEnded.awaitUninterruptibly();
            }
        } finally {
            roundLock.unlock();
        }
    }

    private void signalDelivered() {
        roundLock.lock();
        try {
            roundEnded.signalAll();
        } finally {
            roundLock.unlock();
        }
    }

    /** Caller holds deliverLock. @return whether anything was queued */
    private boolean drainOnce() {
        ArrayList<EffectBatch> taken;
        synchronized (appendLock) {
            if (queue.isEmpty()) {
                return false;
            }
            taken = queue;
            queue = spare;
        }
        spare = null;
        try {
            for (int i = 0; i < taken.size(); i++) {
                deliver(taken.get(i));
            }
            endRound(taken.get(0).firstOffset(), taken.get(taken.size() - 1).lastOffset());
            delivered = taken.get(taken.size() - 1).lastOffset();
        } finally {
            taken.clear();
            spare = taken;
        }
        return true;
    }

    /** Caller holds deliverLock: each consumer's end of round; a failure is recorded for the round. */
    private void endRound(long from, long to) {
        for (Subscription s : subscriptions) {
            if (to <= s.after()) {
                continue;
            }
            String why;
            try {
                why = s.consumer().endOfRound();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "propagation consumer " + s.consumer() + " failed ending a round", e);
                why = String.valueOf(e.getMessage());
            }
            if (why != null) {
                Failure[] f = failures;
                int keep = Math.min(f.length, FAILURES_KEPT - 1);
                Failure[] n = new Failure[keep + 1];
                System.arraycopy(f, f.length - keep, n, 0, keep);
                n[keep] = new Failure(Math.max(from, s.after() + 1), to, why);
                failures = n;
            }
        }
    }

    private void deliver(EffectBatch b) {
        for (Subscription s : subscriptions) {
            if (b.firstOffset() <= s.after()) {
                continue;
            }
            try {
                s.consumer().accept(b);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "propagation consumer " + s.consumer() + " failed on " + b, e);
            }
        }
    }
}
