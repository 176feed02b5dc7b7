package io.redjar;

/** The command's options do not parse: Redis's {@code ERR syntax error}. */
public final class SyntaxException extends RedJarException {
    private static final long serialVersionUID = 1L;

    /** The message Redis uses. */
    public static final String MESSAGE = ErrorPrefix.ERR.line("syntax error");

    /** Creates the exception with Redis's message. */
    public SyntaxException() {
        super(MESSAGE);
    }
}
