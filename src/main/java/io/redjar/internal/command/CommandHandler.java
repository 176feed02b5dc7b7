package io.redjar.internal.command;

import io.redjar.Reply;

/** Runs one command: argv is complete and its arity already checked by the dispatcher. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @param ctx  the session state (selected database, ...)
     * @param argv the command name and arguments, never modified
     * @return the reply; Redis-style failures are thrown as {@code RedJarException}
     */
    Reply handle(ExecContext ctx, byte[][] argv);
}
