package io.redjar.internal.tx;

import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.TxState;
import io.redjar.internal.keyspace.AtomicRegion;
import io.redjar.internal.keyspace.Keyspace;

import java.util.function.Supplier;

/**
 * The typed API's transactions ({@code Store.multi}, {@code Store.watch}): runs a body of typed
 * calls the way EXEC runs its queue. The calling thread holds every shard lock (re-entrant, so
 * the body's own calls re-enter them), the body's effects form one propagation batch, blocking
 * pops inside answer as timed out, and clients blocked on keys the body made ready are served
 * once, after the locks are released. {@link #runDeclared} is the variant for
 * {@code Store.atomically}: only the declared keys' shards are locked.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is confined to its thread.
 */
public final class Atomically {
    private final Keyspace ks;
    private final CallPath path;
    private final WatchRegistry watches;

    public Atomically(Keyspace ks, CallPath path, WatchRegistry watches) {
        this.ks = ks;
        this.path = path;
        this.watches = watches;
    }

    /** Runs {@code body} atomically and isolated; @return its result */
    public <T> T run(Supplier<T> body) {
        ks.lockAll();
        T r;
        try {
            r = asOneUnit(body);
        } finally {
            ks.unlockAll();
            path.afterAtomic();
        }
        path.requireDurable();
        return r;
    }

    /** Runs {@code body} (its locks held) as one execution unit: one propagation batch, no waiting pops. */
    private <T> T asOneUnit(Supplier<T> body) {
        ks.propagation().beginBatch();
        BlockingPops.enterNoWait();
        try {
            return body.get();
        } finally {
            BlockingPops.exitNoWait();
            ks.propagation().endBatch();
        }
    }

    /**
     * Runs {@code body} atomically over {@code keys} only ({@code Store.atomically}): locks the
     * keys' shards in ascending order, opens an {@link AtomicRegion} that refuses other keys and
     * whole-keyspace commands and stops a body that has not written once {@code limitMs} (on the
     * store's clock) has passed; one propagation batch, no waiting pops, blocked clients served
     * once after the locks are released. Nested on the same thread, the inner call must declare
     * a subset of the outer one's keys (its locks are then re-entered).
     *
     * @param keys    the declared keys (not modified, not kept after the call)
     * @param limitMs the time limit, or a value {@code <= 0} for none
     * @return what {@code body} returned
     */
    public <T> T runDeclared(byte[][] keys, long limitMs, Supplier<T> body) {
        int[] shards = ks.shardsOf(keys, 0, keys.length, 1);
        long deadline = limitMs <= 0 ? Long.MAX_VALUE : ks.now() + limitMs;
        ks.lock(shards);
        T r;
        try {
            AtomicRegion region = AtomicRegion.open(ks, keys, shards, deadline);
            try {
                r = asOneUnit(body);
            } finally {
                region.close();
            }
        } finally {
            ks.unlock(shards);
            path.afterAtomic();
        }
        path.requireDurable();
        return r;
    }

    /** A fresh WATCH client (a transaction state of its own). */
    public TxState newClient() {
        return new TxState(watches);
    }

    /** WATCH {@code keys} of {@code db} for {@code tx}. */
    public void watch(TxState tx, int db, byte[][] keys) {
        int[] shards = ks.shardsOf(keys, 0, keys.length, 1);
        ks.lock(shards);
        try {
            for (byte[] k : keys) {
                watches.watch(tx, db, k);
            }
        } finally {
            ks.unlock(shards);
        }
    }

    /**
     * EXEC for a watching typed client: runs {@code body} atomically if no key {@code tx} watches
     * was modified (or expired) since WATCH; unwatches either way.
     *
     * @return whether it ran
     */
    public boolean execIfUntouched(TxState tx, Runnable body) {
        try {
            return run(() -> {
                if (tx.dirtyCas() || watches.anyExpired(tx)) {
                    return false;
                }
                tx.unwatch();
                body.run();
                return true;
            });
        } finally {
            tx.unwatch();
        }
    }
}
