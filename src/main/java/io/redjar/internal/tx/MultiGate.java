package io.redjar.internal.tx;

import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;

import java.util.Set;

/**
 * The {@link CallGate.Slot#MULTI_QUEUE} gate: inside MULTI every command but EXEC, DISCARD, MULTI,
 * WATCH, QUIT and RESET is queued and answered {@code +QUEUED} (Redis's {@code processCommand});
 * a command flagged {@code no-multi} is refused and makes the transaction fail at EXEC. Typed
 * calls are never queued (they belong to no session).
 *
 * <p><b>Thread-safety:</b> stateless; the transaction state is the caller's session's.
 */
public final class MultiGate implements CallGate {
    private static final Set<String> RUN_NOW = Set.of("exec", "discard", "multi", "watch", "quit", "reset");
    private static final Reply NOT_ALLOWED = Reply.error("ERR Command not allowed inside a transaction");

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        if (ctx == null) {
            return null;
        }
        TxState tx = ctx.txIfAny();
        if (tx == null || !tx.inMulti() || tx.executing()) {
            return null;
        }
        if (RUN_NOW.contains(spec.fullName())) {
            return null;
        }
        if (spec.has(CommandFlag.NO_MULTI)) {
            tx.flagDirtyExec();
            return NOT_ALLOWED;
        }
        tx.queue(spec, argv);
        return Reply.QUEUED;
    }
}
