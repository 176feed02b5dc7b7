package io.redjar.internal.command;

/**
 * Told around the handler of every textual command the {@link CallPath} runs: at top level,
 * queued in EXEC and called by scripts ({@code redis.call}, with the script's context). Client
 * tracking uses it: Redis's {@code call()} remembers a read command's keys for a tracking client
 * after the command ran, and invalidations of the running client's own keys are held back while
 * a command is in its handler (Redis's {@code fixed_time_expire} test).
 *
 * <p><b>Thread-safety:</b> called concurrently from every thread that runs commands; the calls
 * for one command come on the thread that runs it, {@link #after} following {@link #before} (when
 * it asked for it) even when the handler throws.
 */
public interface CallTracker {
    /**
     * Before {@code spec}'s handler runs with {@code argv} in {@code ctx}.
     *
     * @return whether {@link #after} is to be called for this command (false: the tracker has
     *         nothing to do, e.g. no client tracks; the hot path then costs one volatile read)
     */
    boolean before(CommandSpec spec, ExecContext ctx, byte[][] argv);

    /** After the handler returned or threw, when {@link #before} answered true. */
    void after(CommandSpec spec, ExecContext ctx, byte[][] argv);
}
