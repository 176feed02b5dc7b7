package io.redjar;

/**
 * A command failed the way a Redis command fails: the message is Redis 7's error line without the
 * leading dash, starting with the error code ({@code ERR}, {@code WRONGTYPE}, ...).
 *
 * <p>Typed handles throw this (or a subclass); {@code execute} turns it into an
 * {@link Reply.ErrorReply} with the same text. These exceptions carry no stack trace: they are
 * expected outcomes of bad input, not bugs, and building a trace would make error replies slow.
 */
public class RedJarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the full error line, e.g. {@code "ERR syntax error"}; a message that does not
     *                start with an upper-case code gets the generic {@code ERR} code prepended
     */
    public RedJarException(String message) {
        super(withCode(message), null, false, false);
    }

    /**
     * @param prefix  the error code
     * @param message the rest of the line, e.g. {@code "syntax error"} for {@code ERR syntax error}
     */
    public RedJarException(ErrorPrefix prefix, String message) {
        super(prefix.line(message), null, false, false);
    }

    private static String withCode(String message) {
        if (!message.isEmpty() && Character.isUpperCase(message.charAt(0))) {
            int sp = message.indexOf(' ');
            String first = sp < 0 ? message : message.substring(0, sp);
            if (first.chars().allMatch(c -> Character.isUpperCase(c) || c == '_' || Character.isDigit(c))) {
                return message;
            }
        }
        return "ERR " + message;
    }

    /** @return the error code, e.g. {@code ERR} or {@code WRONGTYPE}. */
    public String errorCode() {
        String m = getMessage();
        int sp = m.indexOf(' ');
        return sp < 0 ? m : m.substring(0, sp);
    }

    /** @return the error code as a {@link ErrorPrefix}, or null for a code outside that list */
    public ErrorPrefix prefix() {
        return ErrorPrefix.of(getMessage());
    }

    /** @return this error as a reply. */
    public Reply.ErrorReply toReply() {
        return new Reply.ErrorReply(getMessage());
    }
}
