package io.redjar;

import io.redjar.internal.util.Preconditions;

/**
 * What code inside {@link Store#atomically} works through: the typed handles and
 * {@code execute} of database 0, restricted to the keys the lambda declared.
 *
 * <p>Every call made through it (or through the store's own handles, on the lambda's thread)
 * runs inside the lambda's atomic region: it may touch only the declared keys
 * ({@link UndeclaredKeyException} otherwise), blocking pops answer as timed out instead of
 * waiting, and each call first checks the lambda's time limit ({@link AtomicTimeoutException}).
 *
 * <p><b>Thread-safety:</b> confined to the thread running the lambda, and only while it runs;
 * another thread using it is not part of the atomic region (and blocks on its locks).
 */
public final class AtomicContext {
    private final Database db;

    AtomicContext(Database db) {
        this.db = db;
    }

    /** @return string operations (declared keys only) */
    public Strings strings() {
        return db.strings();
    }

    /** @return key operations (declared keys only) */
    public Keys keys() {
        return db.keys();
    }

    /** @return hash operations (declared keys only) */
    public Hashes hashes() {
        return db.hashes();
    }

    /** @return set operations (declared keys only) */
    public Sets sets() {
        return db.sets();
    }

    /** @return list operations (declared keys only; blocking pops do not wait) */
    public Lists lists() {
        return db.lists();
    }

    /** @return sorted-set operations (declared keys only; blocking pops do not wait) */
    public SortedSets sortedSets() {
        return db.sortedSets();
    }

    /** @return a handle on the UTF-8 string at {@code key} (a declared key) */
    public StringValue<String> string(String key) {
        return db.string(key);
    }

    /** @return a handle on the string at {@code key} (a declared key), through {@code codec} */
    public <T> StringValue<T> string(String key, Codec<T> codec) {
        return db.string(key, codec);
    }

    /**
     * Runs one command on the lambda's database, inside the atomic region: a Redis error is an
     * {@link Reply.ErrorReply}, but an undeclared key or a whole-keyspace command throws
     * {@link UndeclaredKeyException}.
     *
     * @return the reply
     */
    public Reply execute(String... argv) {
        Preconditions.noNullElements(argv, "argv");
        return db.execute(argv);
    }

    /** Binary form of {@link #execute(String...)}. */
    public Reply execute(byte[]... argv) {
        Preconditions.noNullElements(argv, "argv");
        return db.execute(argv);
    }
}
