package io.redjar.internal.blocking;

import io.redjar.internal.keyspace.Keyspace;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients blocked on keys (Redis's {@code blocking.c}): who waits on which key, in arrival order,
 * and the serving of waiters when a key they wait on is created.
 *
 * <p>Design. A blocking command first tries to serve itself; if it cannot, it registers a
 * {@link Waiter} on each of its keys while still holding those keys' shard locks, so no push can
 * slip between the check and the registration. A list or sorted-set waiter can only be waiting on a
 * key that does not exist (or holds another type), so for them "ready" means "created": the
 * keyspace reports every creation of a list, sorted set or stream with {@link #created}; a stream
 * reader waits on an existing stream for entries after an ID, so XADD reports its key too
 * ({@link Keyspace#signalReady}), as do a stream's deletion and overwrite (for XREADGROUP's error).
 * Each report, when someone waits on that key, records it in the current thread's ready list. Nothing is served there: only when the whole command (later:
 * the whole transaction or script) has completed does the dispatcher call {@link #serveReady()},
 * which, for each ready key, locks what the head waiter needs and serves waiters in FIFO order
 * while the key can serve them; a waiter the key cannot serve now (a stream reader whose ID is
 * ahead) is skipped for this round, so it does not hide the waiters behind it. A served BLMOVE creates its destination, which makes that key
 * ready in turn, so chains resolve in the same loop.
 *
 * <p>Exactly-once: a waiter is completed only by whoever wins its {@code claim()}; the serving
 * thread claims before popping, under the key's lock, so one element goes to exactly one waiter.
 *
 * <p>Timeouts follow the store's clock: {@link #expire(long)} runs every few milliseconds on the
 * engine's background thread (and on demand in tests with a manual clock).
 *
 * <p><b>Thread-safety:</b> thread-safe. Each shard's queue map is guarded by that shard's lock; the
 * set of all waiters is concurrent; the ready list is thread-confined.
 */
public final class BlockingRegistry implements Keyspace.CreationListener {
    private static final class WaitKey {
        final int db;
        final byte[] key;
        final int hash;

        WaitKey(int db, byte[] key) {
            this.db = db;
            this.key = key;
            this.hash = 31 * db + ByteBuffer.wrap(key).hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WaitKey w && w.db == db && java.util.Arrays.equals(w.key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Keyspace ks;
    /** Per shard: waiters by key; guarded by that shard's lock. */
    private final Map<WaitKey, ArrayDeque<Waiter<?>>>[] queues;
    private final Set<Waiter<?>> all = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ArrayDeque<WaitKey>> ready = ThreadLocal.withInitial(ArrayDeque::new);

    @SuppressWarnings("unchecked")
    public BlockingRegistry(Keyspace ks) {
        this.ks = ks;
        this.queues = new Map[ks.shardCount()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new HashMap<>();
        }
    }

    /** @return how many waiters are blocked now */
    public int blocked() {
        return all.size();
    }

    /**
     * Registers a waiter on every one of its keys. The caller holds the locks of all of the
     * waiter's key shards (the ones it just found empty).
     */
    public void register(Waiter<?> w) {
        all.add(w);
        for (byte[] key : w.keys) {
            queues[ks.shardIndex(key)].computeIfAbsent(new WaitKey(w.db, key), k -> new ArrayDeque<>()).addLast(w);
        }
    }

    /**
     * A list or sorted set was just created under {@code key}. Caller holds the key's shard lock.
     */
    @Override
    public void created(int shard, int db, byte[] key) {
        if (all.isEmpty()) {
            return;
        }
        WaitKey k = new WaitKey(db, key);
        if (queues[shard].containsKey(k)) {
            ready.get().addLast(k);
        }
    }

    /** SWAPDB: every key waited on in either database may now exist. Caller holds every lock. */
    @Override
    public void databasesSwapped(int a, int b) {
        if (all.isEmpty()) {
            return;
        }
        for (Map<WaitKey, ArrayDeque<Waiter<?>>> m : queues) {
            for (WaitKey k : m.keySet()) {
                if (k.db == a || k.db == b) {
                    ready.get().addLast(k);
                }
            }
        }
    }

    /** @return whether this thread has keys to serve */
    public boolean hasReady() {
        return !ready.get().isEmpty();
    }

    /** Serves every waiter that the keys made ready by this thread can serve. Call with no locks held. */
    public void serveReady() {
        ArrayDeque<WaitKey> r = ready.get();
        List<Waiter<?>> served = new ArrayList<>();
        List<Object> replies = new ArrayList<>();
        while (!r.isEmpty()) {
            serveKey(r.pollFirst(), served, replies);
        }
        for (int i = 0; i < served.size(); i++) {
            Waiter<?> w = served.get(i);
            forget(w);
            w.completeServed(replies.get(i));
        }
    }

    private void serveKey(WaitKey k, List<Waiter<?>> served, List<Object> replies) {
        int shard = ks.shardIndex(k.key);
        // waiters this key could not serve in this round (a stream reader whose ID is ahead, a
        // waiter for another type): skipped, so that they do not hide the ones behind them
        Set<Waiter<?>> tried = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (true) {
            Waiter<?> head;
            ks.shard(shard).lock();
            try {
                ArrayDeque<Waiter<?>> q = queues[shard].get(k);
                head = firstUntried(q, tried);
                if (head == null) {
                    if (q != null && q.isEmpty()) {
                        queues[shard].remove(k);
                    }
                    return;
                }
            } finally {
                ks.shard(shard).unlock();
            }
            // lock everything the head needs, in order, then check it is still the head
            ks.lock(head.shards);
            try {
                ArrayDeque<Waiter<?>> q = queues[shard].get(k);
                if (q == null) {
                    return;
                }
                for (Iterator<Waiter<?>> it = q.iterator(); it.hasNext(); ) {
                    Waiter<?> w = it.next();
                    if (w.isClaimed()) {
                        it.remove();
                        continue;
                    }
                    if (tried.contains(w)) {
                        continue;
                    }
                    if (!java.util.Arrays.equals(w.shards, head.shards) && w != head) {
                        break; // needs other locks: next round of the outer loop
                    }
                    if (!w.claim()) {
                        continue;
                    }
                    Object reply = w.attempt.tryServe(k.key);
                    if (reply == null) {
                        w.unclaim();
                        tried.add(w);
                        if (!ks.exists(k.db, k.key)) {
                            return; // nothing left to serve anyone
                        }
                        continue; // this waiter cannot be served from this key now: let the next one try
                    }
                    it.remove();
                    served.add(w);
                    replies.add(reply);
                    break;
                }
            } finally {
                ks.unlock(head.shards);
            }
        }
    }

    /** @return the first waiter of {@code q} neither claimed nor in {@code tried}, or null */
    private static Waiter<?> firstUntried(ArrayDeque<Waiter<?>> q, Set<Waiter<?>> tried) {
        if (q == null) {
            return null;
        }
        while (!q.isEmpty() && q.peekFirst().isClaimed()) {
            q.pollFirst();
        }
        for (Waiter<?> w : q) {
            if (!w.isClaimed() && !tried.contains(w)) {
                return w;
            }
        }
        return null;
    }

    /** Removes a completed waiter from the queues of all its keys. Call with no locks held. */
    private void forget(Waiter<?> w) {
        all.remove(w);
        for (byte[] key : w.keys) {
            int shard = ks.shardIndex(key);
            ks.shard(shard).lock();
            try {
                WaitKey k = new WaitKey(w.db, key);
                ArrayDeque<Waiter<?>> q = queues[shard].get(k);
                if (q != null) {
                    q.remove(w);
                    if (q.isEmpty()) {
                        queues[shard].remove(k);
                    }
                }
            } finally {
                ks.shard(shard).unlock();
            }
        }
    }

    /**
     * Completes every waiter whose deadline has passed with its timeout reply.
     *
     * @return how many timed out
     */
    public int expire(long now) {
        int n = 0;
        for (Waiter<?> w : all) {
            if (w.deadline != 0 && w.deadline <= now && w.claim()) {
                forget(w);
                w.completeServed(w.timeoutReply);
                n++;
            }
        }
        return n;
    }

    /**
     * Cancels a waiter (its caller was interrupted or disconnected).
     *
     * @return whether it was still blocked (false: it had already been served or timed out)
     */
    public boolean cancel(Waiter<?> w) {
        return cancelWith(w, w.timeoutReply);
    }

    /**
     * Cancels a waiter with {@code reply} instead of its timeout reply (CLIENT UNBLOCK ... ERROR).
     *
     * @return whether it was still blocked
     */
    public <R> boolean cancel(Waiter<R> w, R reply) {
        return cancelWith(w, reply);
    }

    private boolean cancelWith(Waiter<?> w, Object reply) {
        // A serving thread may hold the claim only for a moment (it claims, tries the pop under
        // the key's lock, and unclaims when that key cannot serve this waiter): a failed claim
        // means "served" only once the future is done. Until then wait for the claim to settle,
        // or a cancelled waiter would stay registered for ever. Callers hold no shard lock, so
        // the serving thread always gets to finish.
        while (!w.claim()) {
            if (w.future.isDone()) {
                return false;
            }
            Thread.onSpinWait();
        }
        forget(w);
        w.completeServed(reply);
        return true;
    }

    /** Completes every waiter with its timeout reply (the store is closing). */
    public void cancelAll() {
        for (Waiter<?> w : all) {
            cancel(w);
        }
    }
}
