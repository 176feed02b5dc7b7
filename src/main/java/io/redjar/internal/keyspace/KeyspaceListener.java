package io.redjar.internal.keyspace;

/**
 * Told of every change to the keyspace, in execution order: the hook for WATCH, keyspace
 * notifications, client tracking, eviction bookkeeping and snapshot barriers. Register it with
 * {@link KeyspaceEvents#add}.
 *
 * <p>Callbacks run on the writing thread while it holds the lock of the key's shard (every lock for
 * {@link #flushed} and {@link #swapped}): they must be short, must not block, must not call back
 * into the store, and must not throw (an exception would escape from the write that caused it,
 * after the write was done). The {@code key} array is shared with the caller and other
 * listeners: never modify it; copy it to keep it beyond the call.
 *
 * <p><b>Thread-safety:</b> implementations are called from many threads at once (one per shard
 * being written); calls for one key never overlap and arrive in the order of the writes.
 */
public interface KeyspaceListener {

    /**
     * A write changed {@code key} in {@code db}. Called under the key's shard lock, after the
     * change, in Redis's order of notifications (one command may report several events).
     */
    void modified(int db, byte[] key, KeyEvent event);

    /**
     * Every key of {@code db} was removed ({@code FLUSHDB}), or of every database when {@code db}
     * is -1 ({@code FLUSHALL}). Called with every shard lock held, after the flush. No
     * {@link #modified} call is made per key.
     */
    default void flushed(int db) {
    }

    /**
     * {@code db} (every database when -1) is about to be flushed: called with every shard lock
     * held, before the keys are removed, so a listener can still look at them (WATCH only
     * invalidates watched keys that existed).
     */
    default void flushing(int db) {
    }

    /**
     * Databases {@code db1} and {@code db2} swapped contents ({@code SWAPDB}). Called with every
     * shard lock held, after the swap.
     */
    default void swapped(int db1, int db2) {
    }
}
