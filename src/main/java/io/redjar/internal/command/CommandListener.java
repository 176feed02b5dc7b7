package io.redjar.internal.command;

/**
 * A feed of executed commands (MONITOR). Set on the {@link Dispatcher}; when none is set the
 * dispatcher pays one volatile read per command.
 *
 * <p><b>Thread-safety:</b> called concurrently from every thread that executes commands; must
 * not block and must not modify {@code argv}.
 */
@FunctionalInterface
public interface CommandListener {
    /**
     * @param ctx         the context the command ran in (db, client)
     * @param argv        the command as received
     * @param epochMicros when it ran, in microseconds since the epoch
     */
    void executed(ExecContext ctx, byte[][] argv, long epochMicros);
}
