package io.redjar.internal.eviction;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.server.ServerConfig;

import java.util.function.LongSupplier;

/**
 * The {@link CallGate.Slot#OOM} gate: Redis 7.0's {@code maxmemory} check in {@code
 * processCommand}. With {@code maxmemory} 0 (the default) it costs one volatile read. Otherwise,
 * when the data set uses more than {@code maxmemory}, it refuses with Redis's {@code OOM} error:
 * <ul>
 *   <li>every command flagged {@code denyoom} (textual and typed calls alike);</li>
 *   <li>EXEC when it queued a {@code denyoom} command;</li>
 *   <li>inside MULTI, every command but EXEC, DISCARD, QUIT and RESET (queueing takes memory).</li>
 * </ul>
 * A refusal inside MULTI fails the transaction (the {@link io.redjar.internal.command.CallPath}
 * flags it, as Redis's {@code rejectCommand} does).
 *
 * <p>The only policy today is {@code noeviction} ({@link ServerConfig} refuses the others until
 * eviction exists), so "out of memory" is simply {@code used > maxmemory}: nothing is freed first.
 * The used-memory figure is the keyspace's native bytes (entries and key tables), read shard by
 * shard, one shard lock at a time, and only while {@code maxmemory} is set.
 *
 * <p><b>Thread-safety:</b> thread-safe and stateless; called concurrently by every calling thread.
 */
public final class OomGate implements CallGate {
    /** Redis's {@code shared.oomerr}. */
    public static final Reply OOM = Reply.error(ErrorPrefix.OOM, "command not allowed when used memory > 'maxmemory'.");

    private final ServerConfig config;
    private final LongSupplier usedMemory;

    public OomGate(ServerConfig config, Keyspace keyspace) {
        this(config, keyspace::usedMemory);
    }

    OomGate(ServerConfig config, LongSupplier usedMemory) {
        this.config = config;
        this.usedMemory = usedMemory;
    }

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        long max = config.maxmemory();
        if (max == 0) {
            return null;
        }
        if (ctx != null && ctx.fromScript()) {
            return null; // a script's commands: the script runtime applies Redis's script OOM rules
        }
        if (!rejectsOnOom(spec, ctx)) {
            return null;
        }
        return usedMemory.getAsLong() > max ? OOM : null;
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
