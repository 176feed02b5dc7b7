package io.redjar.internal.command;

import io.redjar.internal.server.CommandStats;
import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import io.redjar.Reply;

import java.nio.charset.StandardCharsets;

/**
 * The textual front of the {@link CallPath}: table lookup, subcommand lookup and arity check, then
 * {@link CallPath#run}, which gates, runs, counts and observes the call and does the after-call
 * work (the same path the typed handles' calls take). A command refused here (unknown, wrong
 * arity) is counted as rejected and in {@code INFO errorstats}.
 *
 * <p><b>Thread-safety:</b> thread-safe; the table is immutable and the rest is the call path's or
 * the caller's context.
 */
public final class Dispatcher {
    private final CommandTable table;
    private final ServerState server;
    private final CallPath path;

    public Dispatcher(CommandTable table, ServerState server, CallPath path) {
        this.table = table;
        this.server = server;
        this.path = path;
    }

    /** @return the settings, counters and slow log the call path feeds */
    public ServerState server() {
        return server;
    }

    /** @return the call path every command runs through */
    public CallPath callPath() {
        return path;
    }

    /** Sets (or with null removes) the feed of executed commands (MONITOR). */
    public void listener(CommandListener l) {
        path.observer().listener(l);
    }

    public CommandTable table() {
        return table;
    }

    /**
     * @return the spec {@code argv} resolves to (a subcommand for container commands), or an error
     *         reply if it is unknown or has the wrong number of arguments
     */
    public Object resolve(byte[][] argv) {
        if (argv.length == 0) {
            return Reply.error("ERR empty command");
        }
        CommandSpec spec = table.lookup(argv[0]);
        if (spec == null) {
            return unknownCommand(argv);
        }
        if (!spec.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
            if (sub == null) {
                return Reply.error(sanitize("ERR unknown subcommand '" + truncate(argv[1]) + "'. Try "
                    + new String(argv[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT) + " HELP."));
            }
            spec = sub;
        }
        if (!spec.arityOk(argv.length)) {
            return Reply.error("ERR wrong number of arguments for '" + spec.fullName() + "' command");
        }
        return spec;
    }

    /** Runs {@code argv} in {@code ctx}. */
    public Reply dispatch(ExecContext ctx, byte[][] argv) {
        Object r = resolve(argv);
        if (r instanceof Reply reply) {
            reply = execAbort(argv, reply);
            rejected(argv, reply);
            TxState tx = ctx.txIfAny();
            if (tx != null) {
                tx.flagDirtyExec(); // Redis's flagTransaction: EXEC will answer EXECABORT
                if (reply != r) {
                    tx.discard(); // a refused EXEC ends the transaction
                }
            }
            return reply;
        }
        return run((CommandSpec) r, ctx, argv);
    }

    /** Runs a resolved command through the {@link CallPath}. */
    public Reply run(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        return path.run(spec, ctx, argv);
    }

    /**
     * Counts one executed command (see {@link CallPath#account}). The RESP module calls this for
     * the connection commands it runs itself.
     */
    public void account(CommandSpec spec, ExecContext ctx, byte[][] argv, long nanos, Reply reply) {
        path.account(spec, ctx, argv, nanos, reply);
    }

    /**
     * Redis's {@code execCommandAbort}: EXEC refused before running (wrong arity) discards the
     * transaction and answers {@code EXECABORT Transaction discarded because of: <error>}.
     */
    private static Reply execAbort(byte[][] argv, Reply reply) {
        if (argv.length == 0 || !(reply instanceof Reply.ErrorReply e)
            || !new String(argv[0], StandardCharsets.UTF_8).equalsIgnoreCase("exec")) {
            return reply;
        }
        String m = e.message();
        if (m.startsWith("ERR ")) {
            m = m.substring(4);
        }
        return Reply.error(io.redjar.ErrorPrefix.EXECABORT, "Transaction discarded because of: " + m);
    }

    /**
     * Counts a command refused before running: its error code, and a rejected call if it is known
     * (also what a script's {@code redis.call} refusals count, as Redis's {@code scriptCall}).
     */
    public void rejected(byte[][] argv, Reply reply) {
        if (!(reply instanceof Reply.ErrorReply e)) {
            return;
        }
        server.countError(e);
        if (argv.length > 0) {
            CommandSpec spec = table.lookup(argv[0]);
            if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
                CommandSpec sub = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
                spec = sub == null ? spec : sub;
            }
            if (spec != null) {
                spec.stats().recordRejected();
            }
        }
    }

    private static Reply unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        return Reply.error(sanitize("ERR unknown command '" + truncate(argv[0]) + "', with args beginning with: " + args));
    }

    private static String truncate(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** Redis replaces CR and LF in error messages with spaces. */
    private static String sanitize(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
