package io.redjar;

/**
 * Code inside {@link Store#atomically} ran past its time limit ({@code busy-reply-threshold},
 * Redis's script time limit, default 5000 ms, measured on the store's {@link Clock}) before
 * writing anything, and was stopped by the next store call it made. Nothing is undone because
 * nothing was written. A lambda that has already written is never stopped this way: it runs to
 * its end so that no one ever sees half of its effects (as Redis refuses {@code SCRIPT KILL} on
 * a script that has written).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class AtomicTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message how far past the limit the lambda was */
    public AtomicTimeoutException(String message) {
        super(message);
    }
}
