package io.redjar.internal.command;

/**
 * What {@link CallPath} tells after each completed call: the slow log and the MONITOR feed.
 *
 * <p>Typed calls have no wire form: they are offered with {@code argv} holding only the command's
 * name (and subcommand) and a null context, and only when their time was measured (typed calls
 * are timed one in {@link CallPath#TYPED_SAMPLE}).
 *
 * <p><b>Thread-safety:</b> called concurrently from every thread that runs commands; must not
 * block and must not modify {@code argv}.
 */
public interface CallObserver {
    /**
     * @param spec  the command that ran
     * @param ctx   the caller's context; null for a typed call
     * @param db    the database it acted on
     * @param argv  the command as received (name words only for a typed call)
     * @param nanos how long it ran, or -1 when not measured
     * @param error whether it replied an error
     */
    void completed(CommandSpec spec, ExecContext ctx, int db, byte[][] argv, long nanos, boolean error);
}
