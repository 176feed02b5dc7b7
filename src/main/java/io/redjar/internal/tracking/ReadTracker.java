package io.redjar.internal.tracking;

import io.redjar.internal.command.CallTracker;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.KeyExtractor;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ClientTracking;

/**
 * The tracking part of Redis's {@code call()}: counts the handlers running on the thread (an
 * invalidation for the running client is held back while one runs) and, after a read-only
 * command, makes a tracking client in default mode remember its keys
 * ({@code trackingRememberKeys}). A read inside a script makes the script's caller remember the
 * keys the script declared (its EVAL / FCALL's keys); EVAL_RO, EVALSHA_RO and FCALL_RO
 * themselves remember nothing. OPTIN remembers only after CLIENT CACHING YES, OPTOUT not after
 * CLIENT CACHING NO; pub/sub commands' (shard channel) keys are never remembered. A client's own
 * read is remembered before its handler too (see {@link TrackingTable}'s note on racing writes).
 *
 * <p><b>Thread-safety:</b> thread-safe; per-thread state lives in {@link TrackingScope}.
 */
public final class ReadTracker implements CallTracker {
    private final TrackingTable table;

    public ReadTracker(TrackingTable table) {
        this.table = table;
    }

    @Override
    public boolean before(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        if (!table.active()) {
            return false;
        }
        TrackingScope s = TrackingScope.get();
        s.depth++;
        if (ctx.fromScript()) {
            s.scriptDepth++;
        } else {
            s.push(spec, argv, ctx.client());
            if (s.provisional.isEmpty() && spec.has(CommandFlag.READONLY) && !scriptRo(spec)) {
                // remembered before the read too: a write racing with it on another thread is told
                remember(s, ctx.client(), spec, argv, s.provisional);
            }
        }
        return true;
    }

    @Override
    public void after(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        TrackingScope s = TrackingScope.get();
        try {
            if (spec.has(CommandFlag.READONLY) && !scriptRo(spec)) {
                if (ctx.fromScript()) {
                    if (s.topSpec() != null) {
                        remember(s, s.topClient(), s.topSpec(), s.topArgv(), null);
                    }
                } else {
                    remember(s, ctx.client(), spec, argv, null);
                }
            }
        } finally {
            s.depth--;
            if (ctx.fromScript()) {
                s.scriptDepth--;
            } else {
                s.pop();
                s.provisional.clear();
            }
        }
    }

    private static boolean scriptRo(CommandSpec spec) {
        String n = spec.fullName();
        return n.equals("eval_ro") || n.equals("evalsha_ro") || n.equals("fcall_ro");
    }

    private void remember(TrackingScope s, ClientState c, CommandSpec spec, byte[][] argv, java.util.List<byte[]> added) {
        if (c == null) {
            return;
        }
        ClientTracking t = c.tracking();
        if (!t.on() || t.bcast()) {
            return;
        }
        boolean caching = t.caching();
        if ((t.optin() && !caching) || (t.optout() && caching)) {
            return;
        }
        if (KeyExtractor.keys(spec, argv, s.refs) == 0 || spec.has(CommandFlag.PUBSUB)) {
            return;
        }
        table.remember(c.id(), argv, s.refs, added);
    }
}
