package io.redjar.internal.pubsub;

import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.server.ClientState;

import java.util.Set;

/**
 * The {@link CallGate.Slot#PUBSUB_CONTEXT} gate: Redis 7.0's {@code processCommand} check that a
 * RESP2 client with subscriptions runs only {@code (P|S)SUBSCRIBE}, {@code (P|S)UNSUBSCRIBE},
 * {@code PING}, {@code QUIT} and {@code RESET}; RESP3 clients have no such limit.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class SubscribedModeGate implements CallGate {
    private static final Set<String> ALLOWED = Set.of("ping", "subscribe", "ssubscribe", "unsubscribe",
        "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        if (ctx == null) {
            return null;
        }
        ClientState cs = ctx.client();
        if (cs == null || ctx.protocol() != 2 || !cs.pubsubMode() || ALLOWED.contains(spec.fullName())) {
            return null;
        }
        return Reply.error("ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / "
            + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    }
}
