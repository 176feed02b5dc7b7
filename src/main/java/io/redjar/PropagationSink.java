package io.redjar;

/**
 * Receives the deterministic effect of every write, in execution order per key: what an
 * append-only file or a replica must replay to reach the same state. Relative times are already
 * absolute ({@code SET k v EX 10} arrives as {@code SET k v PXAT <ms>}, {@code EXPIRE} as
 * {@code PEXPIREAT}, {@code INCRBYFLOAT} as {@code SET ... KEEPTTL}); keys that expire arrive as
 * {@code DEL}.
 *
 * <p>The sink is one consumer of the store's ordered stream of effects: every effect has a place
 * in one global order that agrees with execution order for every key, and the effects of one
 * command (for example the {@code SREM}s of an {@code SPOP} with a count) arrive back to back.
 *
 * <p><b>Thread-safety:</b> called one call at a time, in that global order, after the writing
 * thread has released its locks (by the writer itself or by another writer that is delivering);
 * a write does not return before its effects have been passed here. Implementations need no
 * locking for their own state, should be fast (writers wait for delivery), and should not write
 * to the store (such writes are delivered after the current ones). An exception thrown here is
 * logged and does not reach the writer.
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
