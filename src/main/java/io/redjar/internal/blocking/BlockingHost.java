package io.redjar.internal.blocking;

import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.types.ZSetOps;

/**
 * What the blocking pops need from the store they run in: the keyspace, the list and sorted-set
 * operations, TYPE, and the registry of blocked clients. Implemented by the composition root
 * ({@code io.redjar.internal.Engine}), which builds one instance of each part; this interface
 * exists so that this package does not depend on the root (no package cycle).
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe; every accessor returns the same
 * instance for the life of the store.
 */
public interface BlockingHost {
    /** @return the keyspace */
    Keyspace keyspace();

    /** @return the generic key operations (TYPE, ...) */
    KeyOps keys();

    /** @return the list operations */
    ListOps lists();

    /** @return the sorted-set operations */
    ZSetOps zsets();

    /** @return the clients blocked on keys */
    BlockingRegistry blocking();

}
