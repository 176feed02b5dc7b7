package io.redjar;

/**
 * The ACL user of a session may not run a command, or not on those keys or channels: Redis's
 * {@code NOPERM} error (see {@link Store#newSession(String, String)}).
 *
 * <pre>{@code
 * try {
 *     NoPermissionException.check(session.execute("SET", "k", "v"));
 * } catch (NoPermissionException e) {
 *     // e.getMessage(): "NOPERM this user has no permissions to run the 'set' command"
 * }
 * }</pre>
 */
public final class NoPermissionException extends RedJarException {
    private static final long serialVersionUID = 1L;

    /** @param message the full error line, starting with {@code NOPERM} */
    public NoPermissionException(String message) {
        super(message);
    }

    /**
     * @return {@code reply}, unless it is a {@code NOPERM} error reply
     * @throws NoPermissionException if {@code reply} is a {@code NOPERM} error
     */
    public static Reply check(Reply reply) {
        if (reply instanceof Reply.ErrorReply e && e.prefix() == ErrorPrefix.NOPERM) {
            throw new NoPermissionException(e.message());
        }
        return reply;
    }
}
