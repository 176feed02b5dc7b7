package io.redjar.internal.command;

import io.redjar.internal.server.ClientPause;

/**
 * Which commands a client pause holds (Redis 7.0's {@code processCommand}): under
 * {@link ClientPause.Type#ALL} every command that got past the unknown-command, arity and
 * authentication checks; under {@link ClientPause.Type#WRITE} the ones that may replicate: flagged
 * {@code write} or {@code may-replicate} (PUBLISH, PFCOUNT, EVAL...), scripts judged by the flags
 * they declare, and EXEC when one of its queued commands may replicate.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class PauseRules {
    private PauseRules() {
    }

    /** @return whether {@code spec} called with {@code argv} by {@code ctx} waits for the pause {@code t} to end */
    public static boolean holds(ClientPause.Type t, CommandSpec spec, byte[][] argv, ExecContext ctx) {
        if (t == ClientPause.Type.OFF) {
            return false;
        }
        if (t == ClientPause.Type.ALL) {
            return true;
        }
        if (mayReplicate(spec, argv, ctx.engine())) {
            return true;
        }
        if (spec.fullName().equals("exec")) {
            TxState tx = ctx.txIfAny();
            if (tx != null && tx.inMulti()) {
                for (int i = 0; i < tx.queued(); i++) {
                    if (mayReplicate(tx.spec(i), tx.argv(i), ctx.engine())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return whether the call may write or replicate (Redis's {@code CMD_WRITE | CMD_MAY_REPLICATE} after script flags) */
    public static boolean mayReplicate(CommandSpec spec, byte[][] argv, CommandHost host) {
        if (spec.has(CommandFlag.WRITE)) {
            return true;
        }
        if (!spec.has(CommandFlag.MAY_REPLICATE)) {
            return false;
        }
        String name = spec.fullName();
        if (name.equals("eval") || name.equals("evalsha") || name.equals("fcall")) {
            return host.scriptMayWrite(name, argv);
        }
        return true;
    }
}
