package io.redjar;

/**
 * A value or argument is not a 64-bit signed integer, or is out of range: Redis's
 * {@code ERR value is not an integer or out of range} (or a command-specific variant of it).
 */
public final class NotIntegerException extends RedJarException {
    private static final long serialVersionUID = 1L;

    /** The message Redis uses for most commands. */
    public static final String MESSAGE = ErrorPrefix.ERR.line("value is not an integer or out of range");

    /** Creates the exception with Redis's usual message. */
    public NotIntegerException() {
        super(MESSAGE);
    }

    /** @param message a command-specific variant, e.g. for an out-of-range timeout */
    public NotIntegerException(String message) {
        super(message);
    }
}
