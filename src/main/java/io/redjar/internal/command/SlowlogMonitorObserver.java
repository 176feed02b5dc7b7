package io.redjar.internal.command;

import io.redjar.internal.server.CommandStats;
import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import java.nio.charset.StandardCharsets;

/**
 * The {@link CallObserver} every store has: the slow log ({@code slowlog-log-slower-than}) and,
 * while one is set, the MONITOR feed ({@link CommandListener}).
 *
 * <p>Typed calls reach the slow log (when timed and slow) under their command's name alone, as
 * they have no arguments in wire form; they are not fed to MONITOR, which shows what clients
 * send. Commands flagged {@code NO_AUTH} (AUTH, HELLO ... AUTH) are kept out of both, as they carry
 * passwords (Redis redacts the arguments instead); ACL SETUSER's arguments are redacted in the slow
 * log, as Redis does.
 *
 * <p><b>Thread-safety:</b> thread-safe; the listener field is volatile, the slow log synchronizes.
 */
public final class SlowlogMonitorObserver implements CallObserver {
    private final ServerState server;
    private volatile CommandListener listener;

    SlowlogMonitorObserver(ServerState server) {
        this.server = server;
    }

    /** Sets (or with null removes) the feed of executed commands (MONITOR). */
    public void listener(CommandListener l) {
        this.listener = l;
    }

    @Override
    public void completed(CommandSpec spec, ExecContext ctx, int db, byte[][] argv, long nanos, boolean error) {
        if (spec.has(CommandFlag.NO_AUTH)) {
            return;
        }
        if (nanos >= 0) {
            ServerConfig cfg = server.config();
            long threshold = cfg.slowlogLogSlowerThan();
            long micros = nanos / 1000;
            // a command that blocked is logged when it is served (Redis's updateStatsOnUnblock)
            if (threshold >= 0 && micros >= threshold && !spec.has(CommandFlag.SKIP_SLOWLOG)
                && (ctx == null || !ctx.hasBlocked())) {
                server.slowlog().push(argv != null ? redacted(spec, argv) : nameWords(spec), micros, System.currentTimeMillis() / 1000,
                    ctx == null ? null : ctx.client(), cfg.slowlogMaxLen());
            }
        }
        CommandListener l = listener;
        if (l != null && ctx != null && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            java.time.Instant now = java.time.Instant.now();
            l.executed(ctx, argv, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        }
    }

    /** Redis redacts every argument of ACL SETUSER after the subcommand (passwords, rules). */
    private static byte[][] redacted(CommandSpec spec, byte[][] argv) {
        if (!spec.fullName().equals("acl|setuser")) {
            return argv;
        }
        byte[][] out = argv.clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = "(redacted)".getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static byte[][] nameWords(CommandSpec spec) {
        String[] w = spec.fullName().split("\\|");
        byte[][] out = new byte[w.length][];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i].toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
