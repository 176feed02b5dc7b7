package io.redjar.internal.eviction;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;
import io.redjar.internal.server.ServerConfig;

import java.util.function.LongSupplier;

/**
 * The {@link CallGate.Slot#OOM} gate: Redis 7.0's {@code maxmemory} block in {@code
 * processCommand}. With {@code maxmemory} 0 (the default) it costs one volatile read. Otherwise it
 * first runs {@link Evictor#perform()} (every command, as Redis's {@code performEvictions}); if that
 * reports {@link Evictor.Result#FAIL} (over the limit and nothing can be evicted: always so under
 * {@code noeviction}) it refuses with Redis's {@code OOM} error:
 * <ul>
 *   <li>every command flagged {@code denyoom} (textual and typed calls alike);</li>
 *   <li>EXEC when it queued a {@code denyoom} command;</li>
 *   <li>inside MULTI, every command but EXEC, DISCARD, QUIT and RESET (queueing takes memory).</li>
 * </ul>
 * A refusal inside MULTI fails the transaction (the {@link io.redjar.internal.command.CallPath}
 * flags it, as Redis's {@code rejectCommand} does). A script's own commands are not gated here:
 * the script runtime applies Redis's script OOM rules ({@code scriptVerifyOOM}).
 *
 * <p><b>Thread-safety:</b> thread-safe and stateless; called concurrently by every calling thread.
 */
public final class OomGate implements CallGate {
    /** Redis's {@code shared.oomerr}. */
    public static final Reply OOM = Reply.error(ErrorPrefix.OOM, "command not allowed when used memory > 'maxmemory'.");

    private final ServerConfig config;
    private final java.util.function.BooleanSupplier outOfMemory;

    public OomGate(ServerConfig config, Evictor evictor) {
        this(config, () -> evictor.perform() == Evictor.Result.FAIL);
    }

    /** A gate without eviction: out of memory is {@code used > maxmemory} (tests). */
    OomGate(ServerConfig config, LongSupplier usedMemory) {
        this(config, () -> usedMemory.getAsLong() > config.maxmemory());
    }

    private OomGate(ServerConfig config, java.util.function.BooleanSupplier outOfMemory) {
        this.config = config;
        this.outOfMemory = outOfMemory;
    }

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        if (config.maxmemory() == 0) {
            return null;
        }
        if (ctx != null && ctx.fromScript()) {
            return null; // a script's commands: the script runtime applies Redis's script OOM rules
        }
        if (!outOfMemory.getAsBoolean()) {
            return null;
        }
        return rejectsOnOom(spec, ctx) ? OOM : null;
    }

    private static boolean rejectsOnOom(CommandSpec spec, ExecContext ctx) {
        if (spec.has(CommandFlag.DENYOOM)) {
            return true;
        }
        TxState tx = ctx == null ? null : ctx.txIfAny();
        if (tx == null || !tx.inMulti() || tx.executing()) {
            return false;
        }
        switch (spec.fullName()) {
            case "exec":
                for (int i = 0; i < tx.queued(); i++) {
                    if (tx.spec(i).has(CommandFlag.DENYOOM)) {
                        return true;
                    }
                }
                return false;
            case "discard":
            case "quit":
            case "reset":
                return false;
            default:
                return true;
        }
    }
}
