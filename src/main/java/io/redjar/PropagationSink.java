package io.redjar;

/**
 * Receives the deterministic effect of every write, in execution order per key: what an
 * append-only file or a replica must replay to reach the same state. Relative times are already
 * absolute ({@code SET k v EX 10} arrives as {@code SET k v PXAT <ms>}, {@code EXPIRE} as
 * {@code PEXPIREAT}, {@code INCRBYFLOAT} as {@code SET ... KEEPTTL}); keys that expire arrive as
 * {@code DEL}.
 *
 * <p><b>Thread-safety:</b> called from the thread that ran the command, while it still holds the
 * locks of the shards it touched, so calls for one key never reorder; calls for keys in different
 * shards may arrive concurrently. Implementations must be thread-safe, fast and must not call back
 * into the store.
 */
@FunctionalInterface
public interface PropagationSink {
    /**
     * @param db   the database index the command ran against
     * @param argv the command and its arguments; the arrays must not be modified
     */
    void propagate(int db, byte[][] argv);

    /** A sink that drops everything. */
    PropagationSink NONE = (db, argv) -> { };
}
