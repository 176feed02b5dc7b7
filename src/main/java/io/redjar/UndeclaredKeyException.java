package io.redjar;

/**
 * Code inside {@link Store#atomically} touched a key it did not declare, or ran a command that
 * needs the whole keyspace ({@code KEYS}, {@code SCAN}, {@code DBSIZE}, {@code FLUSHALL},
 * {@link Store#multi}): refused before anything was locked or changed, because the lambda holds
 * only its declared keys' locks and taking another one could deadlock. It escapes the lambda
 * (it is not a Redis error reply, even from {@link AtomicContext#execute(String...)}); writes the
 * lambda made before it stay, as with any exception thrown inside.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class UndeclaredKeyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final byte[] key;

    /**
     * @param message what was refused and why
     * @param key     the undeclared key, or null for a whole-keyspace command
     */
    public UndeclaredKeyException(String message, byte[] key) {
        super(message);
        this.key = key == null ? null : key.clone();
    }

    /** @return a copy of the undeclared key, or null when a whole-keyspace command was refused */
    public byte[] key() {
        return key == null ? null : key.clone();
    }
}
