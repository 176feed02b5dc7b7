package io.redjar;

/** The key holds a value of another type: Redis's {@code WRONGTYPE} error. */
public final class WrongTypeException extends RedJarException {
    private static final long serialVersionUID = 1L;

    /** The one message Redis uses. */
    public static final String MESSAGE = ErrorPrefix.WRONGTYPE.line("Operation against a key holding the wrong kind of value");

    /** Creates the exception with Redis's message. */
    public WrongTypeException() {
        super(MESSAGE);
    }
}
